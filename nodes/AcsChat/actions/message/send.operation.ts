import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getMetadata, metadataOption, operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { typeName } from '../../helpers/idText';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { getContent, MAX_CONTENT_BYTES, MESSAGE_API_VERSION } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Your ticket 4711 has been opened',
		description: `The message text (or HTML, see Options → Message Type), at most ${MAX_CONTENT_BYTES} bytes`,
	},
	operationOptions(MESSAGE_API_VERSION, [
		{
			displayName: 'Message Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'HTML', value: 'html', description: 'The content is HTML' },
				{ name: 'Text', value: 'text', description: 'The content is plain text' },
			],
			default: 'text',
			description: 'How clients show the content; ACS takes plain text when this is not set',
		},
		metadataOption,
		{
			displayName: 'Sender Display Name',
			name: 'senderDisplayName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Support Bot',
			description: 'The name shown next to the message, for this message only',
		},
	]),
];

export const option = {
	name: 'Send',
	value: 'send',
	description: 'Send a message to a chat thread',
	action: 'Send a message to a chat thread (19:…@thread.v2, from Create Thread or Get Many Threads)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

const messageTypeParameter = { name: 'type', displayName: 'Message Type' };
const senderDisplayNameParameter = { name: 'senderDisplayName', displayName: 'Sender Display Name' };

/**
 * POST /chat/threads/{chatThreadId}/messages with SendChatMessageRequest, its keys in the SDK's order. 201 with
 * `{ id }`. Sending it again could post the message twice, so only a refused request (429) is resent.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const content = getContent(this, itemIndex, { optional: false });
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const metadata = getMetadata(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	const body: IDataObject = { content };
	const senderDisplayName = options.senderDisplayName ?? '';
	if (typeof senderDisplayName !== 'string') {
		throw invalidParameterError(this.getNode(), itemIndex, senderDisplayNameParameter, `must be text, got ${typeName(senderDisplayName)}`);
	}
	if (senderDisplayName !== '') body.senderDisplayName = senderDisplayName;
	if (options.type !== undefined) {
		if (options.type !== 'text' && options.type !== 'html') {
			throw invalidParameterError(this.getNode(), itemIndex, messageTypeParameter, `must be text or html (got ${JSON.stringify(options.type)})`);
		}
		body.type = options.type;
	}
	if (metadata !== undefined) body.metadata = metadata;
	const result = await acsRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/chat/threads/${threadId}/messages`,
		apiVersion,
		body,
		resend: 'refusedOnly',
		limit: 'messageWrite',
		threadId,
	});
	return { ...result, threadId };
}
