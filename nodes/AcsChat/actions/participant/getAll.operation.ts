import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getManyFields, getWanted } from '../../descriptions/getMany';
import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import type { CommunicationIdentifierModel } from '../../helpers/identifiers';
import { rawIdFromIdentifierModel } from '../../helpers/identifiers';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { acsList } from '../../transport/paging';

const DEFAULT_API_VERSION = '2025-03-15';

/**
 * ACS documents no page size for participants; 200 is the largest page it documents for any chat list, and a
 * thread holds at most 250, so Return All costs two requests at most against the 10 lists per 10 s it allows.
 */
export const MAX_PARTICIPANT_PAGE_SIZE = 200;

const properties: INodeProperties[] = [threadLocator, ...getManyFields, operationOptions(DEFAULT_API_VERSION)];

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the participants of a chat thread',
	action: 'Get many participants of a chat thread (19:…@thread.v2), each with its raw ID (e.g. 8:acs:…)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['participant'], operation: ['getAll'] } },
	properties,
);

/**
 * GET /chat/threads/{chatThreadId}/participants, following nextLink: one output item per ChatParticipant
 * ({ communicationIdentifier, displayName, shareHistoryTime, metadata }), with its thread and raw ID.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject[]> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const wanted = getWanted(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, DEFAULT_API_VERSION);
	const participants = await acsList.call(
		this,
		call,
		{
			method: 'GET',
			path: acsPath`/chat/threads/${threadId}/participants`,
			apiVersion,
			resend: 'safe',
			limit: 'participantRead',
			threadId,
			maxPageSize: MAX_PARTICIPANT_PAGE_SIZE,
		},
		wanted,
	);
	return participants.map((participant) => ({
		threadId,
		participantId: rawIdFromIdentifierModel((participant.communicationIdentifier ?? {}) as CommunicationIdentifierModel),
		...participant,
	}));
}
