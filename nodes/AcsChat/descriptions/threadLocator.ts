import type { INodeProperties } from 'n8n-workflow';

import { THREAD_ID_PATTERN } from '../helpers/threadId';

export const threadLocator: INodeProperties = {
	displayName: 'Thread',
	name: 'threadId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The chat thread to work on: its ID looks like 19:…@thread.v2, as Thread → Create and Thread → Get Many return it',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a thread…',
			typeOptions: { searchListMethod: 'searchThreads', searchable: true },
		},
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
						// An empty field is reported once, as required; the item's check still refuses it at run time.
						regex: `(?:${THREAD_ID_PATTERN})?`,
						errorMessage: 'Not a chat thread ID: expected 19:…@thread.v2',
					},
				},
			],
		},
	],
};
