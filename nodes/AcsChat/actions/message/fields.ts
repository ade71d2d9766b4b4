import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { typeName } from '../../helpers/idText';
import type { CommunicationIdentifierModel } from '../../helpers/identifiers';
import { rawIdFromIdentifierModel } from '../../helpers/identifiers';
import { invalidParameterError } from '../../helpers/invalidParameter';
import type { CheckedParameter } from '../../helpers/parameters';

/** What the message operations default to: the current stable version, which has message metadata. */
export const MESSAGE_API_VERSION = '2025-03-15';

/**
 * The service documents "about 28 KB" per message without a unit; the node reads it as 28 KiB of the content's
 * UTF-8 (28,672 bytes), the larger reading, so it never refuses what ACS would take and still catches the
 * content ACS would refuse, before anything is sent.
 */
export const MAX_CONTENT_BYTES = 28 * 1024;

/**
 * ACS message IDs are the decimal digits of the message's creation time in milliseconds (`1593107077690` in the
 * spec's examples; read receipts name messages the same way). 20 digits covers any such time.
 */
const MESSAGE_ID = /^[0-9]{1,20}$/;

export function describeMessageIdProblem(value: unknown): string | undefined {
	if (typeof value !== 'string') return `must be text such as 1593107077690, got ${typeName(value)}`;
	if (value === '') return 'is empty';
	if (!MESSAGE_ID.test(value)) {
		return `is not an ACS chat message ID (expected digits only, such as 1593107077690, got ${JSON.stringify(value.slice(0, 40))})`;
	}
	return undefined;
}

export const messageIdParameter: CheckedParameter = {
	name: 'messageId',
	displayName: 'Message ID',
	describeProblem: describeMessageIdProblem,
};

export function messageIdField(description: string): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1593107077690',
		description: `${description}: the digits ACS returns as the message's ID, e.g. 1593107077690 (the output of Message → Send, or the ID field of Message → Get Many)`,
	};
}

const contentParameter = { name: 'content', displayName: 'Content' };

/**
 * The item's Content as it is sent (not trimmed: leading spaces may be meant). Numbers and booleans an expression
 * produced are sent as their text. Refused before sending: anything else, only whitespace (unless `optional`,
 * which gives undefined for an empty field), and more than {@link MAX_CONTENT_BYTES}.
 */
export function getContent(
	context: IExecuteFunctions,
	itemIndex: number,
	{ optional }: { optional: boolean },
): string | undefined {
	const raw = context.getNodeParameter('content', itemIndex, '');
	const fail = (problem: string) => invalidParameterError(context.getNode(), itemIndex, contentParameter, problem);
	if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
		throw fail(`must be text, got ${typeName(raw)}`);
	}
	const content = String(raw);
	if (content.trim() === '') {
		if (optional && content === '') return undefined;
		throw fail(content === '' ? 'is empty' : 'holds only whitespace');
	}
	const bytes = Buffer.byteLength(content, 'utf8');
	if (bytes > MAX_CONTENT_BYTES) {
		throw fail(`is ${bytes} bytes long (UTF-8); ACS takes at most ${MAX_CONTENT_BYTES} bytes (28 KB) per message`);
	}
	return content;
}

/** A message or read receipt as the node outputs it: its thread, what ACS returned, and the sender's raw ID. */
export function withSenderId(threadId: string, element: IDataObject): IDataObject {
	const sender = element.senderCommunicationIdentifier;
	const output: IDataObject = { threadId, ...element };
	if (typeof sender === 'object' && sender !== null) {
		output.senderId = rawIdFromIdentifierModel(sender as CommunicationIdentifierModel);
	}
	return output;
}
