import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { typeName } from '../../helpers/idText';
import { invalidParameterError } from '../../helpers/invalidParameter';
import type { CheckedParameter } from '../../helpers/parameters';

/** What the thread operations built against 2025-03-15 (metadata, retention policy) default to. */
export const THREAD_API_VERSION = '2025-03-15';

/** ACS keeps a thread 30 to 90 days when it is to delete it by itself (service limits). */
const RETENTION_DAYS = { min: 30, max: 90 };

export type RetentionPolicy = { kind: 'none' } | { kind: 'threadCreationDate'; deleteThreadAfterDays: number };

export const retentionPolicyOption: INodeProperties = {
	displayName: 'Retention Policy',
	name: 'retentionPolicy',
	type: 'fixedCollection',
	placeholder: 'Set Retention Policy',
	default: {},
	description: 'Whether ACS deletes the thread by itself some days after it was created (API version 2025-03-15 and later)',
	options: [
		{
			displayName: 'Policy',
			name: 'policy',
			values: [
				{
					displayName: 'Kind',
					name: 'kind',
					type: 'options',
					options: [
						{
							name: 'Delete After Some Days',
							value: 'threadCreationDate',
							description: 'ACS deletes the thread the given number of days after it was created',
						},
						{ name: 'Keep', value: 'none', description: 'ACS keeps the thread until it is deleted' },
					],
					default: 'none',
				},
				{
					displayName: 'Delete Thread After Days',
					name: 'deleteThreadAfterDays',
					type: 'number',
					typeOptions: { minValue: RETENTION_DAYS.min, maxValue: RETENTION_DAYS.max, numberPrecision: 0 },
					displayOptions: { show: { kind: ['threadCreationDate'] } },
					default: 30,
					description: `Days after its creation when ACS deletes the thread, ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`,
				},
			],
		},
	],
};

const retentionPolicyParameter = { name: 'retentionPolicy', displayName: 'Retention Policy' };

/** The item's Retention Policy option as ACS takes it, or undefined when it has none. */
export function getRetentionPolicy(context: IExecuteFunctions, itemIndex: number): RetentionPolicy | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const policy = (options.retentionPolicy as IDataObject | undefined)?.policy as IDataObject | undefined;
	if (policy === undefined) return undefined;
	const kind = policy.kind ?? 'none';
	if (kind === 'none') return { kind };
	if (kind !== 'threadCreationDate') {
		throw invalidParameterError(context.getNode(), itemIndex, retentionPolicyParameter, `has an unknown kind (got ${JSON.stringify(kind)})`);
	}
	const days = policy.deleteThreadAfterDays ?? RETENTION_DAYS.min;
	if (typeof days !== 'number' || !Number.isInteger(days) || days < RETENTION_DAYS.min || days > RETENTION_DAYS.max) {
		throw invalidParameterError(
			context.getNode(),
			itemIndex,
			retentionPolicyParameter,
			`must delete the thread after a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}, as ACS allows (got ${typeof days === 'number' ? days : typeName(days)})`,
		);
	}
	return { kind, deleteThreadAfterDays: days };
}

export function describeTopicProblem(value: unknown): string | undefined {
	if (typeof value !== 'string') return `must be text, got ${typeName(value)}`;
	return value === '' ? 'is empty' : undefined;
}

export const topicParameter: CheckedParameter = {
	name: 'topic',
	displayName: 'Topic',
	describeProblem: describeTopicProblem,
};

