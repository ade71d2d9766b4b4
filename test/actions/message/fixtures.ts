import type { IDataObject } from 'n8n-workflow';

import { ACS_USER, THREAD_ID } from '../../fixtures/acs';

/** Message shapes from the spec's 2025-03-15 examples (Messages_ListChatMessagesWithPageSize, read receipts). */
export const MESSAGE_ID = '1593107077683';

export const TEXT_MESSAGE = {
	id: MESSAGE_ID,
	type: 'text',
	sequenceId: '4',
	version: MESSAGE_ID,
	content: { message: "Let's use this chat to decide what to get for lunch today." },
	senderDisplayName: 'Jane',
	createdOn: '2020-06-25T17:44:37.6830000Z',
	senderCommunicationIdentifier: { rawId: ACS_USER, communicationUser: { id: ACS_USER } },
};

export const TOPIC_UPDATED = {
	id: '1593106976785',
	type: 'topicUpdated',
	sequenceId: '2',
	version: '1593106976785',
	content: {
		initiatorCommunicationIdentifier: { rawId: ACS_USER, communicationUser: { id: ACS_USER } },
		topic: 'Lunch',
	},
	createdOn: '2020-06-25T17:42:56.7850000Z',
};

/** The index-th text message of a thread, from `sender` (an identifier model as ACS sends it). */
export function textMessage(index: number, sender: IDataObject = { rawId: ACS_USER, communicationUser: { id: ACS_USER } }) {
	const id = String(1593107000000 + index);
	return { ...TEXT_MESSAGE, id, version: id, sequenceId: String(index), content: { message: `message ${index}` }, senderCommunicationIdentifier: sender };
}

export function readReceipt(index: number, rawId = `8:acs:resource_reader${index}`) {
	return {
		senderCommunicationIdentifier: { rawId, communicationUser: { id: rawId } },
		chatMessageId: String(1591137790240 + index),
		readOn: '2020-06-06T05:55:41.6460000Z',
	};
}

/** Malformed message IDs every operation that names a message refuses before sending. */
export const BAD_MESSAGE_IDS: Array<[string, unknown, RegExp]> = [
	['empty', '', /^Message ID in item 0 is empty$/],
	['whitespace only', '  ', /^Message ID in item 0 is empty$/],
	['a number', 1593107077683, /^Message ID in item 0 must be text such as 1593107077690, got a number$/],
	['letters', 'abc', /^Message ID in item 0 is not an ACS chat message ID \(expected digits only/],
	['a negative number', '-1', /not an ACS chat message ID/],
	['an exponent', '1e12', /not an ACS chat message ID/],
	['inner space', '1593 107', /not an ACS chat message ID/],
	['a path', '1/../2', /not an ACS chat message ID/],
	['21 digits', '1'.repeat(21), /not an ACS chat message ID/],
];

// Values are `unknown` on purpose: tests feed numbers, objects and null where text belongs.
export const messageParameters = (
	operation: string,
	fields: Record<string, unknown> = {},
	options: Record<string, unknown> = {},
	threadId: unknown = THREAD_ID,
): IDataObject =>
	({
		resource: 'message',
		operation,
		threadId: { __rl: true, mode: 'id', value: threadId },
		...fields,
		options,
	}) as IDataObject;

export const metadataEntries = (metadata: Record<string, unknown>) => ({
	entries: Object.entries(metadata).map(([key, value]) => ({ key, value })),
});

export const acsError = (code: string, message: string) => ({ error: { code, message } });
