import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { MESSAGE_API_VERSION, messageIdField, messageIdParameter } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	messageIdField('The message to delete'),
	operationOptions(MESSAGE_API_VERSION),
];

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a message the acting user sent',
	action: 'Delete a message by thread ID (19:…@thread.v2) and message ID (digits, from Send or Get Many)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['delete'] } },
	properties,
);

/** DELETE /chat/threads/{chatThreadId}/messages/{chatMessageId}: 204, no body. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const messageId = getCheckedString(this, itemIndex, messageIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	await acsRequest.call(this, call, {
		method: 'DELETE',
		path: acsPath`/chat/threads/${threadId}/messages/${messageId}`,
		apiVersion,
		// A message deleted twice is just as deleted.
		resend: 'safe',
		limit: 'messageWrite',
		threadId,
	});
	return { deleted: true, threadId, messageId };
}
