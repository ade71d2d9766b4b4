/**
 * The partial failures of a 201: Add Participants (and Create Thread) succeed as a request and list, in
 * `invalidParticipants`, each participant ACS did not add, as a CommunicationError whose `target` is that
 * participant's raw ID and whose `code` is a status-like text ("403", "404"). Each entry becomes the error of the
 * item that asked for that participant: a NodeApiError shaped like every other API error (`details.httpCode`,
 * `code`, `message`, `target`), so a workflow branches on it the same way. `httpCode` stays the status of the
 * exchange, 201, because nothing failed at the HTTP level; `code` carries what ACS said about the participant.
 * Texts are clipped to the same bounds as other error texts; nothing secret is in them (no token is ever sent in
 * a request body, so none can come back in one).
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AcsErrorDetails } from '../helpers/invalidParameter';
import { clip } from './boundedText';

/** The status ACS answers an add (or create) with, including when some participants were not added. */
export const PARTIAL_SUCCESS_STATUS = 201;

const MAX_CODE = 100;
const MAX_MESSAGE = 500;
const MAX_TARGET = 200;
/** More entries than a thread has room for participants are not read. */
const MAX_ENTRIES = 1000;

export interface InvalidParticipant {
	/** The raw ID as ACS sent it, unclipped, to match it against the raw IDs that were sent; absent when ACS named none. */
	target?: string;
	code: string;
	message: string;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `invalidParticipants` of an answer; entries that are not CommunicationErrors are skipped. */
export function invalidParticipantsOf(body: IDataObject | undefined): InvalidParticipant[] {
	const list = body?.invalidParticipants;
	if (!Array.isArray(list)) return [];
	return list.slice(0, MAX_ENTRIES).flatMap((entry: unknown) => {
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [];
		const { target, code, message } = entry as IDataObject;
		if (text(code) === undefined && text(message) === undefined) return [];
		return [{ target: text(target), code: clip(text(code) ?? 'Unknown', [], MAX_CODE), message: clip(text(message) ?? '', [], MAX_MESSAGE) }];
	});
}

/**
 * The error of the item whose participant ACS did not add. `participantId` is the raw ID the item asked for;
 * `attributed` is false when ACS named no participant (or none of the request's) and the entry is handed to
 * every participant of the request that got no entry of its own, since any of them may be the one.
 */
export function invalidParticipantError(
	node: INode,
	itemIndex: number,
	participantId: string,
	entry: InvalidParticipant,
	attributed = true,
): NodeApiError {
	const details: AcsErrorDetails = {
		httpCode: PARTIAL_SUCCESS_STATUS,
		code: entry.code,
		message: entry.message,
		target: clip(entry.target ?? participantId, [], MAX_TARGET),
	};
	const shown = clip(participantId, [], MAX_TARGET);
	const message = attributed
		? `ACS did not add participant ${shown}: ${entry.code} ${entry.message}`.trimEnd()
		: `ACS did not add a participant of this request and did not say which (${entry.code} ${entry.message}`.trimEnd() + ')';
	const description = attributed
		? 'ACS answered the request with success (201) and listed this participant under invalidParticipants: the other participants of the request were added, this one was not.'
		: `ACS answered the request with success (201), but listed a participant it did not add without naming it, so ${shown} may or may not have been added: list the thread's participants to see.`;
	const error = new NodeApiError(node, { message: entry.message } as JsonObject, {
		message,
		description,
		httpCode: String(PARTIAL_SUCCESS_STATUS),
		itemIndex,
	});
	error.context.acsError = details;
	return error;
}
