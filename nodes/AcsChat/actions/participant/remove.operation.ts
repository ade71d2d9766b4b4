import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { identifierKind, identifierModelFromRawId } from '../../helpers/identifiers';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { participantIdField, participantIdParameter } from './fields';

const DEFAULT_API_VERSION = '2025-03-15';

const properties: INodeProperties[] = [
	threadLocator,
	participantIdField('remove'),
	operationOptions(DEFAULT_API_VERSION),
];

export const option = {
	name: 'Remove',
	value: 'remove',
	description: 'Remove a participant from a chat thread',
	action: 'Remove a participant (raw ID, e.g. 8:acs:… or 4:+14255550123) from a chat thread (19:…@thread.v2)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['participant'], operation: ['remove'] } },
	properties,
);

/** POST /chat/threads/{chatThreadId}/participants/:remove with the participant's CommunicationIdentifierModel. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const participantId = getCheckedString(this, itemIndex, participantIdParameter);
	const apiVersion = getApiVersion(this, itemIndex, DEFAULT_API_VERSION);
	const participant = identifierModelFromRawId(participantId);
	await acsRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/chat/threads/${threadId}/participants/:remove`,
		apiVersion,
		body: participant as IDataObject,
		// Removing someone who is already gone changes nothing more.
		resend: 'safe',
		limit: 'participantWrite',
		threadId,
	});
	return {
		removed: true,
		threadId,
		participantId,
		participantKind: identifierKind(participant),
	};
}
