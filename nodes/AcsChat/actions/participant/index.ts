import type { INodeProperties } from 'n8n-workflow';

import * as remove from './remove.operation';

export { remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['participant'] } },
		options: [
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove a participant from a chat thread',
				action: 'Remove a participant from a chat thread',
			},
		],
		default: 'remove',
	},
	...remove.description,
];
