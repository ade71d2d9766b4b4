import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';

const DEFAULT_API_VERSION = '2024-03-07';

const properties: INodeProperties[] = [threadLocator, operationOptions(DEFAULT_API_VERSION)];

export const option = {
	name: 'Get',
	value: 'get',
	description: 'Get the properties of a chat thread',
	action: "Get a chat thread's topic and properties by its ID (19:…@thread.v2, from Get Many Threads)",
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['get'] } },
	properties,
);

/** GET /chat/threads/{chatThreadId}: the thread's ChatThreadProperties, exactly as the service returns them. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, DEFAULT_API_VERSION);
	const thread = await acsRequest.call(this, call, {
		method: 'GET',
		path: acsPath`/chat/threads/${threadId}`,
		apiVersion,
		resend: 'safe',
		limit: 'threadRead',
	});
	return thread ?? {};
}
