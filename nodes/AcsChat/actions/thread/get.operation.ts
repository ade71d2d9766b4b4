import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import { acsPath, acsRequest } from '../../transport';

const DEFAULT_API_VERSION = '2024-03-07';

const properties: INodeProperties[] = [threadLocator, operationOptions(DEFAULT_API_VERSION)];

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['get'] } },
	properties,
);

/** GET /chat/threads/{chatThreadId}: the thread's ChatThreadProperties, exactly as the service returns them. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, DEFAULT_API_VERSION);
	const thread = await acsRequest.call(this, itemIndex, {
		method: 'GET',
		path: acsPath`/chat/threads/${threadId}`,
		apiVersion,
	});
	return thread ?? {};
}
