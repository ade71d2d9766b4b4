import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getManyFields, getWanted } from '../../descriptions/getMany';
import { operationOptions } from '../../descriptions/options';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion } from '../../helpers/parameters';
import type { AcsRequest, ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { acsList } from '../../transport/paging';
import { checkedDateTime } from '../../helpers/dateTime';
import { THREAD_API_VERSION } from './fields';

/**
 * ACS documents no page size limit for threads; 200 is the one it documents for messages, so no page asks for
 * more than a page ACS is known to serve.
 */
export const MAX_THREAD_PAGE_SIZE = 200;

/** The acting user's threads: GET /chat/threads, counted against the user's thread reads. */
export function listThreadsRequest(apiVersion: string, qs: IDataObject = {}): AcsRequest {
	return { method: 'GET', path: acsPath`/chat/threads`, apiVersion, qs, resend: 'safe', limit: 'threadRead' };
}

const properties: INodeProperties[] = [
	...getManyFields,
	operationOptions(THREAD_API_VERSION, [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			description:
				"The earliest point in time to list threads from (ACS's startTime); a time without an offset is read in the workflow's time zone",
		},
	]),
];

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the chat threads the acting user is or was in',
	action: 'Get many chat threads the acting user is in, newest first, each with its ID (19:…@thread.v2)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['getAll'] } },
	properties,
);

const startTimeParameter = { name: 'startTime', displayName: 'Start Time' };

/**
 * GET /chat/threads, following nextLink: one output item per ChatThreadItem ({ id, topic, deletedOn?,
 * lastMessageReceivedOn? }) in the order ACS lists them, each with its `threadId` for the next node.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject[]> {
	const { itemIndex } = call;
	const wanted = getWanted(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const startTime = checkedDateTime(options.startTime, this.getTimezone(), (problem) =>
		invalidParameterError(this.getNode(), itemIndex, startTimeParameter, problem),
	);
	const apiVersion = getApiVersion(this, itemIndex, THREAD_API_VERSION);
	const threads = await acsList.call(
		this,
		call,
		{ ...listThreadsRequest(apiVersion, startTime === undefined ? {} : { startTime }), maxPageSize: MAX_THREAD_PAGE_SIZE },
		wanted,
	);
	return threads.map((thread) => ({ threadId: thread.id, ...thread }));
}
