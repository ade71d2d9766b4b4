import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameterError } from '../helpers/invalidParameter';
import { typeName } from '../helpers/idText';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_POLICY } from '../transport/retry';

/** Measured with `npm run bench`: see bench/results.md for why this value. */
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 50;

/** ACS answers a chat call in well under a second; 30 s leaves room for a slow network without hanging a run. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How every request is sent: the settings the router hands the transport (actions/requestSettings.ts). */
const requestOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
		default: DEFAULT_CONCURRENCY,
		description:
			'How many items are sent to ACS at the same time. Output order always follows input order. ACS limits each user (for example 50 thread reads per 10 s), so more is not always faster. Read from the first item.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20, numberPrecision: 0 },
		default: DEFAULT_MAX_RETRIES,
		description:
			'How many times a rate-limited (429), unavailable (503) or reset request is sent again before its item fails. Used when Retry on Rate Limit / Unavailable is on.',
	},
	{
		displayName: 'Retry on Rate Limit / Unavailable',
		name: 'retryOnThrottle',
		type: 'boolean',
		default: true,
		description: `Whether to send a rate-limited (429), unavailable (503) or reset request again, after the wait ACS asks for in Retry-After (else an exponential backoff). A requested wait over ${DEFAULT_RETRY_POLICY.maxWaitMs / 1000} s fails the item instead.`,
	},
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: DEFAULT_TIMEOUT_MS,
		description:
			'How long to wait for ACS to answer one request, in milliseconds, before the item fails with a timeout error',
	},
];

/** The Options collection, its entries in the alphabetical order n8n's editor and linter expect. */
function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * The Options collection of a chat operation; each passes the ACS Chat API version it was built against, and
 * any options of its own (e.g. {@link metadataOption}), which are listed among the common ones.
 */
export function operationOptions(defaultApiVersion: string, own: INodeProperties[] = []): INodeProperties {
	return optionsCollection([
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: defaultApiVersion,
			placeholder: defaultApiVersion,
			description:
				'The ACS Chat REST API version to call, e.g. 2025-03-15. Change it only to reach a newer or preview version.',
		},
		...requestOptions,
		...own,
	]);
}

/** The Options collection of an Identity API operation: no API version, as the Identity API has its own fixed one. */
export function identityOptions(): INodeProperties {
	return optionsCollection(requestOptions);
}

/** Key/value pairs ACS keeps with a thread, participant or message (2025-03-15 and later). */
export const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Metadata',
	default: {},
	description: 'Key/value pairs ACS stores with it, up to 1 KB in all',
	options: [
		{
			displayName: 'Entry',
			name: 'entries',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

const metadataParameter = { name: 'metadata', displayName: 'Metadata' };

function metadataEntryProblem(key: unknown, value: unknown, metadata: Record<string, string>): string | undefined {
	if (typeof key !== 'string' || key === '') {
		return `has an entry without a key (got ${key === '' ? 'an empty text' : typeName(key)})`;
	}
	if (Object.hasOwn(metadata, key)) return `has the key ${JSON.stringify(key)} twice`;
	if (typeof value !== 'string') return `has a value for ${JSON.stringify(key)} that is not text (got ${typeName(value)})`;
	return undefined;
}

/**
 * The item's Metadata option as the map ACS takes, or undefined when it has none. Keys must be non-empty and
 * distinct, values text: ACS would otherwise refuse the request or keep only one of two values.
 */
export function getMetadata(context: IExecuteFunctions, itemIndex: number): Record<string, string> | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const entries = ((options.metadata as IDataObject | undefined)?.entries ?? []) as IDataObject[];
	if (entries.length === 0) return undefined;
	const metadata: Record<string, string> = {};
	for (const entry of entries) {
		const key = typeof entry.key === 'string' ? entry.key.trim() : entry.key;
		const problem = metadataEntryProblem(key, entry.value, metadata);
		if (problem !== undefined) throw invalidParameterError(context.getNode(), itemIndex, metadataParameter, problem);
		metadata[key as string] = entry.value as string;
	}
	return metadata;
}
