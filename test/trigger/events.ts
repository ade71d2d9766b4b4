import type { IDataObject } from 'n8n-workflow';

import { ACS_USER, THREAD_ID } from '../fixtures/acs';

/** Someone other than the credential's user. */
export const OTHER_USER = '8:acs:8540c0de-899f-5cce-acb5-3ec493af3800_00000008-5cbb-38f3-88f7-084822002454';
export const OTHER_THREAD = '19:e07c8ddc5bab4c059ea9f11d29b544b6@thread.v2';
const TOPIC =
	'/subscriptions/3f2504e0-4f89-41d3-9a0c-0305e82c3301/resourcegroups/chat-rg/providers/microsoft.communication/communicationservices/contoso-chat';

function identifier(rawId: string): IDataObject {
	return { rawId, communicationUser: { id: rawId } };
}

/** Microsoft.Communication.ChatMessageReceivedInThread, shaped as the Event Grid docs show it. */
export function messageReceived(id: string, { sender = OTHER_USER, threadId = THREAD_ID } = {}): IDataObject {
	return {
		id,
		topic: TOPIC,
		subject: `thread/${threadId}/sender/${sender}`,
		data: {
			messageBody: 'Where is my order?',
			messageId: '1613783230064',
			metadata: {},
			type: 'Text',
			version: '1613783230064',
			senderDisplayName: 'Customer',
			senderCommunicationIdentifier: identifier(sender),
			composeTime: '2021-02-20T01:07:10.064+00:00',
			threadId,
			transactionId: 'foMkntkKS0O/MhMlIE5Aag.1.1.1.1.1004077250.1',
		},
		eventType: 'Microsoft.Communication.ChatMessageReceivedInThread',
		dataVersion: '1.0',
		metadataVersion: '1',
		eventTime: '2021-02-20T01:07:10.5704596Z',
	};
}

/** Microsoft.Communication.ChatThreadParticipantAdded: no message, the actor is who added. */
export function participantAdded(id: string, { addedBy = OTHER_USER, threadId = THREAD_ID } = {}): IDataObject {
	return {
		id,
		topic: TOPIC,
		subject: `thread/${threadId}/participantadded/${ACS_USER}`,
		data: {
			time: '2021-02-20T00:54:42.8622646+00:00',
			addedByCommunicationIdentifier: identifier(addedBy),
			participantAdded: { displayName: 'Bob', participantCommunicationIdentifier: identifier(ACS_USER) },
			createTime: '2021-02-20T00:31:54.365+00:00',
			version: 1613782482822,
			threadId,
			transactionId: '9q6cO7i4FkaZ+5RRVzshVw.1.1.1.1.974913783.1',
		},
		eventType: 'Microsoft.Communication.ChatThreadParticipantAdded',
		dataVersion: '1.0',
		metadataVersion: '1',
		eventTime: '2021-02-20T00:54:43.9866454Z',
	};
}

export function validationEvent(code: string): IDataObject[] {
	return [
		{
			id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
			topic: TOPIC,
			subject: '',
			data: { validationCode: code, validationUrl: `https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/x/validate?id=${code}` },
			eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
			eventTime: '2018-01-25T22:12:19.4556811Z',
			metadataVersion: '1',
			dataVersion: '1',
		},
	];
}
