import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { MESSAGE_API_VERSION, messageIdField, messageIdParameter, withSenderId } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	messageIdField('The message to get'),
	operationOptions(MESSAGE_API_VERSION),
];

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get one message of a chat thread',
	action: 'Get a message by thread ID (19:…@thread.v2) and message ID (digits, from Send or Get Many)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['get'] } },
	properties,
);

/** GET /chat/threads/{chatThreadId}/messages/{chatMessageId}: the ChatMessage, with its thread and sender's raw ID. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const messageId = getCheckedString(this, itemIndex, messageIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	const message = await acsRequest.call(this, call, {
		method: 'GET',
		path: acsPath`/chat/threads/${threadId}/messages/${messageId}`,
		apiVersion,
		resend: 'safe',
		limit: 'messageRead',
		threadId,
	});
	return withSenderId(threadId, message ?? {});
}
