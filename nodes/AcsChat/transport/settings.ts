import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getWholeNumberOption } from '../helpers/parameters';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY } from './retry';

/** ACS answers a chat call in well under a second; 30 s leaves room for a slow network without hanging a run. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestSettings {
	timeoutMs: number;
	retry: RetryPolicy;
}

/** How the transport sends one item's request, from the operation's Options. */
export function requestSettings(context: IExecuteFunctions, itemIndex: number): RequestSettings {
	const timeoutMs = getWholeNumberOption(context, itemIndex, {
		name: 'timeout',
		displayName: 'Timeout',
		default: DEFAULT_TIMEOUT_MS,
		min: 1,
		max: 600_000,
	});
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const maxRetries =
		options.retryOnThrottle === false
			? 0
			: getWholeNumberOption(context, itemIndex, {
					name: 'maxRetries',
					displayName: 'Max Retries',
					default: DEFAULT_RETRY_POLICY.maxRetries,
					min: 0,
					max: 20,
				});
	return { timeoutMs, retry: { ...DEFAULT_RETRY_POLICY, maxRetries } };
}
