import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getMetadata, metadataOption, operationOptions } from '../../descriptions/options';
import { typeName } from '../../helpers/idText';
import { describeRawIdProblem, identifierModelFromRawId } from '../../helpers/identifiers';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { checkedDateTime } from '../../helpers/dateTime';
import { getRetentionPolicy, retentionPolicyOption, THREAD_API_VERSION, topicParameter } from './fields';
import type { ChatParticipant } from '../participant/fields';

/** ACS creates a thread with at most 200 participants (a thread holds 250: the rest go in with Add). */
const MAX_PARTICIPANTS = 200;

const participantFields: INodeProperties[] = [
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '8:acs:…',
		description: 'The raw ID of the participant: an ACS user (8:acs:…), a phone number (4:+14255550123), a Teams user (8:orgid:…) or a Teams app (28:orgid:…)',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'The name the other participants see',
	},
	{
		displayName: 'Share History Time',
		name: 'shareHistoryTime',
		type: 'dateTime',
		default: '',
		description: 'The participant sees the messages sent from this time on; leave empty to share none sent before they joined',
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Topic',
		name: 'topic',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Support request 4711',
		description: 'The subject of the thread, shown to its participants',
	},
	{
		displayName: 'Specify Participants',
		name: 'specifyParticipants',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
		description: 'Whether to list the participants one by one or as a JSON array (e.g. from an expression)',
	},
	{
		displayName: 'Participants',
		name: 'participants',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Participant',
		default: {},
		displayOptions: { show: { specifyParticipants: ['fields'] } },
		description: `Who is in the thread besides its creator, at most ${MAX_PARTICIPANTS}`,
		options: [{ displayName: 'Participant', name: 'participant', values: participantFields }],
	},
	{
		displayName: 'Participants (JSON)',
		name: 'participantsJson',
		type: 'json',
		default: '[]',
		displayOptions: { show: { specifyParticipants: ['json'] } },
		description: `A JSON array of at most ${MAX_PARTICIPANTS} participants, each {"participantId": "8:acs:…", "displayName": "…", "shareHistoryTime": "2025-03-15T09:30:00Z", "metadata": {"key": "value"}}; only participantId is required`,
	},
	operationOptions(THREAD_API_VERSION, [metadataOption, retentionPolicyOption]),
];

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create a chat thread with a topic and participants',
	action: 'Create a chat thread with a topic and participants given by raw ID (e.g. 8:acs:…)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['create'] } },
	properties,
);

const JSON_KEYS = ['participantId', 'displayName', 'shareHistoryTime', 'metadata'];

/** The participants as the item gave them: entries of the fixed collection, or of the JSON array. */
function participantEntries(
	context: IExecuteFunctions,
	itemIndex: number,
): { parameter: { name: string; displayName: string }; entries: unknown[] } {
	if (context.getNodeParameter('specifyParticipants', itemIndex, 'fields') === 'fields') {
		const collection = context.getNodeParameter('participants', itemIndex, {}) as IDataObject;
		return { parameter: { name: 'participants', displayName: 'Participants' }, entries: (collection.participant ?? []) as unknown[] };
	}
	const parameter = { name: 'participantsJson', displayName: 'Participants (JSON)' };
	let value = context.getNodeParameter('participantsJson', itemIndex, '[]');
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value.trim() === '' ? '[]' : value);
		} catch (error) {
			throw invalidParameterError(context.getNode(), itemIndex, parameter, `is not valid JSON (${(error as Error).message})`);
		}
	}
	if (!Array.isArray(value)) {
		throw invalidParameterError(context.getNode(), itemIndex, parameter, `must be a JSON array of participants, got ${typeName(value)}`);
	}
	return { parameter, entries: value };
}

function metadataProblem(metadata: unknown): string | undefined {
	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
		return `must be an object of text values, got ${typeName(metadata)}`;
	}
	const notText = Object.entries(metadata).find(([, value]) => typeof value !== 'string');
	return notText && `has a value for ${JSON.stringify(notText[0])} that is not text (got ${typeName(notText[1])})`;
}

/** One participant as CreateChatThreadRequest takes it, keys in the order the SDK sends them. */
function chatParticipant(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: { name: string; displayName: string },
	entry: unknown,
	position: number,
): ChatParticipant {
	const fail = (field: string, problem: string) =>
		invalidParameterError(context.getNode(), itemIndex, parameter, `(participant ${position}): ${field} ${problem}`);
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
		throw invalidParameterError(context.getNode(), itemIndex, parameter, `(participant ${position}): must be an object with a participantId, got ${typeName(entry)}`);
	}
	const fields = entry as IDataObject;
	const unknown = Object.keys(fields).find((key) => !JSON_KEYS.includes(key));
	if (unknown !== undefined) {
		throw fail(`key ${JSON.stringify(unknown)}`, `is not one ACS takes (use ${JSON_KEYS.join(', ')})`);
	}
	const participantId = typeof fields.participantId === 'string' ? fields.participantId.trim() : fields.participantId;
	const idProblem = describeRawIdProblem(participantId);
	if (idProblem !== undefined) throw fail('Participant ID', idProblem);
	const participant: ChatParticipant = { communicationIdentifier: identifierModelFromRawId(participantId as string) as IDataObject };
	const displayName = fields.displayName ?? '';
	if (typeof displayName !== 'string') throw fail('Display Name', `must be text, got ${typeName(displayName)}`);
	if (displayName !== '') participant.displayName = displayName;
	const shareHistoryTime = checkedDateTime(fields.shareHistoryTime, context.getTimezone(), (problem) =>
		fail('Share History Time', problem),
	);
	if (shareHistoryTime !== undefined) participant.shareHistoryTime = shareHistoryTime;
	if (fields.metadata !== undefined) {
		const problem = metadataProblem(fields.metadata);
		if (problem !== undefined) throw fail('metadata', problem);
		participant.metadata = fields.metadata as IDataObject;
	}
	return participant;
}

function chatParticipants(context: IExecuteFunctions, itemIndex: number): ChatParticipant[] {
	const { parameter, entries } = participantEntries(context, itemIndex);
	if (entries.length > MAX_PARTICIPANTS) {
		throw invalidParameterError(
			context.getNode(),
			itemIndex,
			parameter,
			`lists ${entries.length} participants; ACS creates a thread with at most ${MAX_PARTICIPANTS} (add the others with Participant → Add)`,
		);
	}
	return entries.map((entry, index) => chatParticipant(context, itemIndex, parameter, entry, index + 1));
}

/**
 * POST /chat/threads: CreateChatThreadRequest, with a `repeatability-request-id` made once for the item, so a resend
 * after a lost answer returns the thread the first send made instead of making a second one.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const topic = getCheckedString(this, itemIndex, topicParameter);
	const participants = chatParticipants(this, itemIndex);
	const metadata = getMetadata(this, itemIndex);
	const retentionPolicy = getRetentionPolicy(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, THREAD_API_VERSION);
	const body: IDataObject = { topic };
	if (participants.length > 0) body.participants = participants;
	if (metadata !== undefined) body.metadata = metadata;
	if (retentionPolicy !== undefined) body.retentionPolicy = retentionPolicy;
	const result = await acsRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/chat/threads`,
		apiVersion,
		body,
		headers: { 'repeatability-request-id': randomUUID() },
		resend: 'safe',
		limit: 'threadCreateDelete',
	});
	const chatThread = (result?.chatThread ?? {}) as IDataObject;
	return {
		threadId: chatThread.id,
		chatThread,
		invalidParticipants: (result?.invalidParticipants ?? []) as IDataObject[],
	};
}
