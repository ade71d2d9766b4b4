import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameterError } from '../helpers/invalidParameter';
import type { Wanted } from '../transport/paging';

/** Return All and Limit, worded as n8n's own Get Many operations word them. */
export const getManyFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		displayOptions: { show: { returnAll: [false] } },
		default: 50,
		description: 'Max number of results to return',
	},
];

/** How many elements an item asked for: undefined with Return All, else its Limit (checked before sending). */
export function getWanted(context: IExecuteFunctions, itemIndex: number): Wanted {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50);
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw invalidParameterError(context.getNode(), itemIndex, { name: 'limit', displayName: 'Limit' }, 'must be a whole number of at least 1');
	}
	return limit;
}
