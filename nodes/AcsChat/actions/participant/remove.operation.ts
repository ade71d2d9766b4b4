import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import {
	describeRawIdProblem,
	identifierKind,
	identifierModelFromRawId,
} from '../../helpers/identifiers';
import type { CheckedParameter } from '../../helpers/parameters';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';

const DEFAULT_API_VERSION = '2025-03-15';

const participantIdParameter: CheckedParameter = {
	name: 'participantId',
	displayName: 'Participant ID',
	describeProblem: describeRawIdProblem,
};

const properties: INodeProperties[] = [
	threadLocator,
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '8:acs:…',
		description:
			'The raw ID of the participant to remove: an ACS user (8:acs:…), a phone number (4:+14255550123), a Teams user (8:orgid:…, 8:teamsvisitor:…) or a Teams app (28:orgid:…)',
	},
	operationOptions(DEFAULT_API_VERSION),
];

export const option = {
	name: 'Remove',
	value: 'remove',
	description: 'Remove a participant from a chat thread',
	action: 'Remove a participant from a chat thread',
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
