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
	messageIdField('The message the acting user has read (and every message before it)'),
	operationOptions(MESSAGE_API_VERSION),
];

export const option = {
	name: 'Mark as Read',
	value: 'markAsRead',
	description: 'Send a read receipt: the acting user has read a message and those before it',
	action: 'Mark a message as read by thread ID (19:…@thread.v2) and message ID (digits, e.g. 1593107077690)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['markAsRead'] } },
	properties,
);

/**
 * POST /chat/threads/{chatThreadId}/readReceipts with SendReadReceiptRequest `{ chatMessageId }`: 200, no body.
 * ACS keeps read receipts only in threads of at most 20 participants.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const messageId = getCheckedString(this, itemIndex, messageIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	await acsRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/chat/threads/${threadId}/readReceipts`,
		apiVersion,
		body: { chatMessageId: messageId },
		// Reading the same message twice leaves the same receipt.
		resend: 'safe',
		limit: 'readReceiptWrite',
		threadId,
	});
	return { markedAsRead: true, threadId, messageId };
}
