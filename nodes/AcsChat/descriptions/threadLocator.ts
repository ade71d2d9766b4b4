import type { INodeProperties } from 'n8n-workflow';

import { THREAD_ID_PATTERN } from '../helpers/threadId';

export const threadLocator: INodeProperties = {
	displayName: 'Thread',
	name: 'threadId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The chat thread to work on',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '19:abc123@thread.v2',
			hint: 'The thread ID as ACS returns it when the thread is created, e.g. 19:…@thread.v2',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: THREAD_ID_PATTERN,
						errorMessage: 'Not a chat thread ID: expected 19:…@thread.v2',
					},
				},
			],
		},
	],
};
