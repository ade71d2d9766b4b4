import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getManyFields, getWanted } from '../../descriptions/getMany';
import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { acsList } from '../../transport/paging';
import { checkedDateTime } from '../../helpers/dateTime';
import { MESSAGE_API_VERSION, withSenderId } from './fields';

/** ACS serves at most 200 messages per page (service limits). */
export const MAX_MESSAGE_PAGE_SIZE = 200;

/** What people wrote; every other type (topicUpdated, participantAdded, participantRemoved, …) ACS writes itself. */
const USER_MESSAGE_TYPES = new Set(['text', 'html']);

const properties: INodeProperties[] = [
	threadLocator,
	...getManyFields,
	operationOptions(MESSAGE_API_VERSION, [
		{
			displayName: 'Exclude System Messages',
			name: 'excludeSystemMessages',
			type: 'boolean',
			default: false,
			description:
				'Whether to leave out the messages ACS writes itself (topic updated, participant added or removed) and keep only text and HTML messages. A Limit counts only the messages kept.',
		},
		{
			displayName: 'Order',
			name: 'order',
			type: 'options',
			options: [
				{ name: 'Newest First', value: 'newestFirst', description: 'As ACS lists them' },
				{
					name: 'Oldest First',
					value: 'oldestFirst',
					description: 'In the order they were written, e.g. for a transcript or a summary',
				},
			],
			default: 'newestFirst',
			description:
				'The order of the output items. With a Limit, the messages are always the newest ones (after Start Time, if set): Oldest First shows those same messages from the oldest to the newest.',
		},
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			description:
				"Only messages written after this time (ACS's startTime); a time without an offset is read in the workflow's time zone",
		},
	]),
];

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the messages of a chat thread',
	action: 'Get many messages of a chat thread (19:…@thread.v2), newest first, each with its ID and sender',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getAll'] } },
	properties,
);

const startTimeParameter = { name: 'startTime', displayName: 'Start Time' };
const orderParameter = { name: 'order', displayName: 'Order' };

/**
 * GET /chat/threads/{chatThreadId}/messages, following nextLink: one output item per ChatMessage, with its
 * thread and the sender's raw ID (`senderId`, absent on system messages, which have no sender).
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject[]> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const wanted = getWanted(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const startTime = checkedDateTime(options.startTime, this.getTimezone(), (problem) =>
		invalidParameterError(this.getNode(), itemIndex, startTimeParameter, problem),
	);
	const order = options.order ?? 'newestFirst';
	if (order !== 'newestFirst' && order !== 'oldestFirst') {
		throw invalidParameterError(this.getNode(), itemIndex, orderParameter, 'must be newestFirst or oldestFirst');
	}
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	const messages = await acsList.call(
		this,
		call,
		{
			method: 'GET',
			path: acsPath`/chat/threads/${threadId}/messages`,
			apiVersion,
			qs: startTime === undefined ? {} : { startTime },
			resend: 'safe',
			limit: 'messageRead',
			threadId,
			maxPageSize: MAX_MESSAGE_PAGE_SIZE,
			keep:
				options.excludeSystemMessages === true
					? (message) => USER_MESSAGE_TYPES.has(message.type as string)
					: undefined,
		},
		wanted,
	);
	if (order === 'oldestFirst') messages.reverse();
	return messages.map((message) => withSenderId(threadId, message));
}
