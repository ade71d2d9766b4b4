import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getMetadata, metadataOption, operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { getContent, MAX_CONTENT_BYTES, MESSAGE_API_VERSION, messageIdField, messageIdParameter } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	messageIdField('The message to change'),
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Your ticket 4711 has been solved',
		description: `The new text of the message, at most ${MAX_CONTENT_BYTES} bytes; leave empty to change only its metadata`,
	},
	operationOptions(MESSAGE_API_VERSION, [
		{ ...metadataOption, description: `${metadataOption.description}; keys not given keep their values` },
	]),
];

export const option = {
	name: 'Update',
	value: 'update',
	description: "Change the content or metadata of a message the acting user sent",
	action: "Update a message's text or metadata by thread ID (19:…@thread.v2) and message ID (digits)",
};

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['update'] } },
	properties,
);

/**
 * PATCH /chat/threads/{chatThreadId}/messages/{chatMessageId} with UpdateChatMessageRequest as a JSON merge
 * patch: only what is given changes. 204, no body.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const messageId = getCheckedString(this, itemIndex, messageIdParameter);
	const content = getContent(this, itemIndex, { optional: true });
	const metadata = getMetadata(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, MESSAGE_API_VERSION);
	const changes: IDataObject = {};
	if (content !== undefined) changes.content = content;
	if (metadata !== undefined) changes.metadata = metadata;
	if (Object.keys(changes).length === 0) {
		throw invalidParameterError(
			this.getNode(),
			itemIndex,
			{ name: 'content', displayName: 'Content' },
			'is empty and no Metadata is set: give at least one of them to change',
		);
	}
	await acsRequest.call(this, call, {
		method: 'PATCH',
		path: acsPath`/chat/threads/${threadId}/messages/${messageId}`,
		apiVersion,
		body: changes,
		headers: { 'Content-Type': 'application/merge-patch+json' },
		// The same patch again leaves the message as the first one did.
		resend: 'safe',
		limit: 'messageWrite',
		threadId,
	});
	return { updated: true, threadId, messageId, ...changes };
}
