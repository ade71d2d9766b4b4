import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_POLICY } from '../transport/retry';

/** Measured with `npm run bench`: see bench/results.md for why this value. */
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 50;

/** ACS answers a chat call in well under a second; 30 s leaves room for a slow network without hanging a run. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The Options collection every operation has; each passes the ACS API version it was built against. */
export function operationOptions(defaultApiVersion: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'string',
				default: defaultApiVersion,
				placeholder: defaultApiVersion,
				description:
					'The ACS Chat REST API version to call, e.g. 2025-03-15. Change it only to reach a newer or preview version.',
			},
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
		],
	};
}
