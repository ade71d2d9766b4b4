import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { typeName } from '../../helpers/idText';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { THREAD_API_VERSION } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	operationOptions(THREAD_API_VERSION, [
		{
			displayName: 'Sender Display Name',
			name: 'senderDisplayName',
			type: 'string',
			default: '',
			description: 'The name shown with "… is typing"',
		},
	]),
];

export const option = {
	name: 'Send Typing Notification',
	value: 'sendTypingNotification',
	description: 'Show the other participants that the acting user is typing',
	action: 'Send a typing notification for the acting user to a chat thread (19:…@thread.v2)',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['sendTypingNotification'] } },
	properties,
);

const senderDisplayNameParameter = { name: 'senderDisplayName', displayName: 'Sender Display Name' };

/**
 * POST /chat/threads/{chatThreadId}/typing: 200, no body. ACS shows it for a few seconds and ignores it in threads
 * of more than 20 participants.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const senderDisplayName = options.senderDisplayName ?? '';
	if (typeof senderDisplayName !== 'string') {
		throw invalidParameterError(this.getNode(), itemIndex, senderDisplayNameParameter, `must be text, got ${typeName(senderDisplayName)}`);
	}
	const apiVersion = getApiVersion(this, itemIndex, THREAD_API_VERSION);
	await acsRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/chat/threads/${threadId}/typing`,
		apiVersion,
		body: senderDisplayName === '' ? {} : { senderDisplayName },
		// A second notification only shows the same "is typing" again.
		resend: 'safe',
		limit: 'typing',
		threadId,
	});
	return { sent: true, threadId, ...(senderDisplayName === '' ? {} : { senderDisplayName }) };
}
