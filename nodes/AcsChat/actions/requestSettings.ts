import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../descriptions/options';
import { getWholeNumberOption } from '../helpers/parameters';
import type { RequestSettings } from '../transport';
import { DEFAULT_MAX_RETRIES } from '../transport/retry';

/** How the transport sends one item's requests, read from the operation's Options of that item. */
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
					default: DEFAULT_MAX_RETRIES,
					min: 0,
					max: 20,
				});
	return { timeoutMs, maxRetries };
}
