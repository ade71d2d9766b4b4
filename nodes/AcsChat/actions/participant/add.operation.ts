/**
 * Add Participant, batched: each item adds one participant, and the items that add to the same thread (with the
 * same API version) are sent together, up to ACS's 200 per request, so 1,000 items for 5 threads cost 5 requests
 * instead of 1,000 under ACS's 10 participant changes per 10 s per thread. A thread's items keep input order and
 * go out in consecutive chunks, one after another; threads run side by side through the router's pool. A chunk
 * never names a participant twice (ACS's answer could not tell the two apart): a repeat starts the next chunk,
 * so it is added after the first, as it would be item by item, and the later display name wins.
 *
 * Each item gets its own result: the participant added, the error ACS listed for it under `invalidParticipants`
 * (transport/invalidParticipants.ts), or the error of its chunk's request, which every item of that chunk shares.
 * A chunk's request is sent with the settings (timeout, retries) of its first item, whose index the error names.
 * Without continue on fail, a failure starts no further chunk (those in flight finish) and the router stops the
 * node with the error of the lowest failing item.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getMetadata, metadataOption, operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { checkedDateTime } from '../../helpers/dateTime';
import { typeName } from '../../helpers/idText';
import type { CommunicationIdentifierModel } from '../../helpers/identifiers';
import { identifierKind, identifierModelFromRawId } from '../../helpers/identifiers';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import type { InvalidParticipant } from '../../transport/invalidParticipants';
import { invalidParticipantError, invalidParticipantsOf } from '../../transport/invalidParticipants';
import type { BatchResult } from '../resource';
import type { ChatParticipant } from './fields';
import { participantIdField, participantIdParameter } from './fields';

const DEFAULT_API_VERSION = '2025-03-15';

/** ACS adds at most 200 participants per request (a thread holds at most 250). */
export const MAX_PER_REQUEST = 200;

const displayNameParameter = { name: 'displayName', displayName: 'Display Name' };
const shareHistoryTimeParameter = { name: 'shareHistoryTime', displayName: 'Share History Time' };

const properties: INodeProperties[] = [
	threadLocator,
	participantIdField('add'),
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'The name the thread shows for the participant; left out when empty',
	},
	operationOptions(DEFAULT_API_VERSION, [
		metadataOption,
		{
			displayName: 'Share History Time',
			name: 'shareHistoryTime',
			type: 'dateTime',
			default: '',
			description:
				'The earliest message the participant may read: messages sent before it stay hidden from them. When empty, ACS decides (by default the whole history).',
		},
	]),
];

export const option = {
	name: 'Add',
	value: 'add',
	description: 'Add a participant to a chat thread',
	action: 'Add a participant (raw ID, e.g. 8:acs:… or 4:+14255550123) to a chat thread (19:…@thread.v2)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['participant'], operation: ['add'] } },
	properties,
);

export interface AddInput {
	threadId: string;
	apiVersion: string;
	participantId: string;
	participant: ChatParticipant;
}

/** Reads and checks one item; the router prepares every item before anything is sent. */
export function prepare(this: IExecuteFunctions, call: ItemCall): AddInput {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const participantId = getCheckedString(this, itemIndex, participantIdParameter);
	const displayName = this.getNodeParameter('displayName', itemIndex, '');
	if (typeof displayName !== 'string') {
		throw invalidParameterError(this.getNode(), itemIndex, displayNameParameter, `must be text, got ${typeName(displayName)}`);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const shareHistoryTime = checkedDateTime(options.shareHistoryTime, this.getTimezone(), (problem) =>
		invalidParameterError(this.getNode(), itemIndex, shareHistoryTimeParameter, problem),
	);
	const metadata = getMetadata(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, DEFAULT_API_VERSION);
	const participant: ChatParticipant = {
		communicationIdentifier: identifierModelFromRawId(participantId) as IDataObject,
	};
	if (displayName.trim() !== '') participant.displayName = displayName.trim();
	if (shareHistoryTime !== undefined) participant.shareHistoryTime = shareHistoryTime;
	if (metadata !== undefined) participant.metadata = metadata;
	return { threadId, apiVersion, participantId, participant };
}

type Prepared = { call: ItemCall; input: AddInput };

/**
 * The requests to send: per thread and API version, in order of first appearance, its chunks of positions in
 * `items`, each at most MAX_PER_REQUEST long and naming every participant once.
 */
export function chunksByThread(items: AddInput[]): number[][][] {
	const groups = new Map<string, number[][]>();
	items.forEach((input, position) => {
		const key = JSON.stringify([input.threadId, input.apiVersion]);
		const chunks = groups.get(key) ?? [];
		groups.set(key, chunks);
		const last = chunks.at(-1);
		const fits =
			last !== undefined &&
			last.length < MAX_PER_REQUEST &&
			!last.some((other) => items[other].participantId === input.participantId);
		if (fits) last.push(position);
		else chunks.push([position]);
	});
	return [...groups.values()];
}

function added(input: AddInput): IDataObject {
	const { communicationIdentifier, ...rest } = input.participant;
	return {
		added: true,
		threadId: input.threadId,
		participantId: input.participantId,
		participantKind: identifierKind(communicationIdentifier as CommunicationIdentifierModel),
		communicationIdentifier,
		...rest,
	};
}

/**
 * Each participant's result from the answer's `invalidParticipants`: its own entry, or, for an entry that names
 * no participant of the request, that entry for every participant without one (any of them may be it).
 */
function resultsOf(context: IExecuteFunctions, chunk: Prepared[], invalid: InvalidParticipant[]): BatchResult[] {
	const sent = new Set(chunk.map(({ input }) => input.participantId));
	const byTarget = new Map<string, InvalidParticipant>();
	const unattributed: InvalidParticipant[] = [];
	for (const entry of invalid) {
		if (entry.target !== undefined && sent.has(entry.target)) byTarget.set(entry.target, entry);
		else if (chunk.length === 1) byTarget.set(chunk[0].input.participantId, entry);
		else unattributed.push(entry);
	}
	return chunk.map(({ call, input }) => {
		const own = byTarget.get(input.participantId);
		if (own) return invalidParticipantError(context.getNode(), call.itemIndex, input.participantId, own);
		if (unattributed.length > 0) {
			return invalidParticipantError(context.getNode(), call.itemIndex, input.participantId, unattributed[0], false);
		}
		return added(input);
	});
}

/** POST /chat/threads/{chatThreadId}/participants/:add for one chunk: one result per participant, never a throw. */
async function addChunk(this: IExecuteFunctions, chunk: Prepared[]): Promise<BatchResult[]> {
	const [{ call, input }] = chunk;
	try {
		const answer = await acsRequest.call(this, call, {
			method: 'POST',
			path: acsPath`/chat/threads/${input.threadId}/participants/:add`,
			apiVersion: input.apiVersion,
			body: { participants: chunk.map((entry) => entry.input.participant) },
			// Adding someone who is already in the thread adds nobody twice.
			resend: 'safe',
			limit: 'participantWrite',
			threadId: input.threadId,
		});
		return resultsOf(this, chunk, invalidParticipantsOf(answer));
	} catch (error) {
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex: call.itemIndex });
		if (failure instanceof NodeApiError && chunk.length > 1) {
			failure.description = [
				failure.description,
				`This item was sent in one request with ${chunk.length - 1} other item(s) adding participants to the same thread; the request failed, so none of them was added.`,
			]
				.filter(Boolean)
				.join('\n');
		}
		return chunk.map(() => failure);
	}
}

export async function executeBatch(
	this: IExecuteFunctions,
	items: Prepared[],
	run: <T>(count: number, task: (index: number) => Promise<T>) => Promise<T[]>,
): Promise<BatchResult[]> {
	const results = new Array<BatchResult>(items.length);
	const groups = chunksByThread(items.map((item) => item.input));
	const signal = this.getExecutionCancelSignal?.();
	const stopOnFailure = !this.continueOnFail();
	let stopped = false;
	await run(groups.length, async (group) => {
		for (const positions of groups[group]) {
			if (signal?.aborted || stopped) return;
			const outcomes = await addChunk.call(
				this,
				positions.map((position) => items[position]),
			);
			positions.forEach((position, index) => (results[position] = outcomes[index]));
			if (stopOnFailure && outcomes.some((outcome) => outcome instanceof NodeApiError || outcome instanceof NodeOperationError)) {
				stopped = true;
			}
		}
	});
	return results;
}
