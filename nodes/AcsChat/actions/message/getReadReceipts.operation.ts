import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getManyFields, getWanted } from '../../descriptions/getMany';
import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { acsList } from '../../transport/paging';
import { MESSAGE_API_VERSION, withSenderId } from './fields';

/** ACS documents no page size for read receipts; 200 is the largest page it documents for any chat list. */
export const MAX_READ_RECEIPT_PAGE_SIZE = 200;

const properties: INodeProperties[] = [threadLocator, ...getManyFields, operationOptions(MESSAGE_API_VERSION)];

export const option = {
	name: 'Get Read Receipts',
	value: 'getReadReceipts',
	description: 'List the read receipts of a chat thread: who has read up to which message, and when',
	action: 'Get the read receipts (who read up to which message, and when) of a chat thread (19:…@thread.v2)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getReadReceipts'] } },
	properties,
);

/**
 * GET /chat/threads/{chatThreadId}/readReceipts, following nextLink: one output item per ChatMessageReadReceipt
 * ({ senderCommunicationIdentifier, chatMessageId, readOn }), with its thread and the reader's raw ID (`senderId`).
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject[]> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const wanted = getWanted(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	const receipts = await acsList.call(
		this,
		call,
		{
			method: 'GET',
			path: acsPath`/chat/threads/${threadId}/readReceipts`,
			apiVersion,
			resend: 'safe',
			limit: 'readReceiptRead',
			threadId,
			maxPageSize: MAX_READ_RECEIPT_PAGE_SIZE,
		},
		wanted,
	);
	return receipts.map((receipt) => withSenderId(threadId, receipt));
}
