import type { IDataObject } from 'n8n-workflow';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { locator } from '../thread/params';

export const ADD_PATH = threadPath(THREAD_ID, '/participants/:add');
export const addPath = (threadId: string) => threadPath(threadId, '/participants/:add');

/** Add Participant's parameters; values are `unknown` so tests can feed wrong types. */
export function addParticipant(
	participantId: unknown,
	threadId: unknown = THREAD_ID,
	displayName: unknown = '',
	options: Record<string, unknown> = {},
): IDataObject {
	return { resource: 'participant', operation: 'add', threadId: locator(threadId), participantId, displayName, options } as IDataObject;
}

/** Add Participant reading thread, participant and display name from each item's json. */
export const addFromItems = (options: Record<string, unknown> = {}) =>
	addParticipant('={{ $json.user }}', '={{ $json.thread }}', '={{ $json.name }}', options);

export function getParticipants(threadId: unknown = THREAD_ID, fields: Record<string, unknown> = {}, options: Record<string, unknown> = {}): IDataObject {
	return { resource: 'participant', operation: 'getAll', threadId: locator(threadId), ...fields, options } as IDataObject;
}

/** An ACS user raw ID per number, shaped as ACS makes them. */
export const acsUser = (n: number) => `8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** The wire form of an ACS user, as the SDK sends it. */
export const acsUserModel = (rawId: string) => ({ rawId, communicationUser: { id: rawId } });
