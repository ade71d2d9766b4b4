import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { THREAD_API_VERSION } from './fields';

const properties: INodeProperties[] = [threadLocator, operationOptions(THREAD_API_VERSION)];

export const option = {
	name: 'Delete',
	value: 'delete',
	description: 'Delete a chat thread for all its participants',
	action: 'Delete a chat thread by its ID (19:…@thread.v2, from Create Thread or Get Many Threads)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['delete'] } },
	properties,
);

/** DELETE /chat/threads/{chatThreadId}: 204, no body. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, THREAD_API_VERSION);
	await acsRequest.call(this, call, {
		method: 'DELETE',
		path: acsPath`/chat/threads/${threadId}`,
		apiVersion,
		// A thread deleted twice is just as deleted.
		resend: 'safe',
		limit: 'threadCreateDelete',
	});
	return { deleted: true, threadId };
}
