import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AzureServicePrincipalOAuth2Api } from '../../credentials/AzureServicePrincipalOAuth2Api.credentials';
import { AcsChatTrigger } from '../../nodes/AcsChatTrigger/AcsChatTrigger.node';
import { parseResourceId } from '../../nodes/AcsChatTrigger/resourceId';
import { RESOURCE_ID } from './support';

const root = join(__dirname, '..', '..');
const { description } = new AcsChatTrigger();
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const CHAT_EVENTS = [
	'ChatMessageReceived',
	'ChatMessageEdited',
	'ChatMessageDeleted',
	'ChatThreadCreatedWithUser',
	'ChatThreadWithUserDeleted',
	'ChatThreadPropertiesUpdatedPerUser',
	'ChatParticipantAddedToThreadWithUser',
	'ChatParticipantRemovedFromThreadWithUser',
	'ChatThreadCreated',
	'ChatThreadDeleted',
	'ChatThreadParticipantAdded',
	'ChatThreadParticipantRemoved',
	'ChatMessageReceivedInThread',
	'ChatThreadPropertiesUpdated',
	'ChatMessageEditedInThread',
	'ChatMessageDeletedInThread',
].map((type) => `Microsoft.Communication.${type}`);

describe('ACS Chat Trigger description', () => {
	it('is a webhook trigger answering when it receives, registered in package.json with its credential', () => {
		expect(description).toMatchObject({
			name: 'acsChatTrigger',
			displayName: 'Azure Communication Services Chat Trigger',
			group: ['trigger'],
			inputs: [],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		});
		expect(packageJson.n8n.nodes).toContain('dist/nodes/AcsChatTrigger/AcsChatTrigger.node.js');
		expect(packageJson.n8n.credentials).toContain('dist/credentials/AzureServicePrincipalOAuth2Api.credentials.js');
		expect(existsSync(join(root, 'nodes/AcsChatTrigger/AcsChatTrigger.node.json'))).toBe(true);
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(existsSync(join(root, 'nodes/AcsChatTrigger', file.replace(/^file:/, '')))).toBe(true);
		}
	});

	it('offers the 16 chat event types by their full names, ChatMessageReceivedInThread by default', () => {
		const events = description.properties.find((p) => p.name === 'events');
		const values = (events?.options as Array<{ value: string }>).map((o) => o.value);
		expect([...values].sort()).toEqual([...CHAT_EVENTS].sort());
		expect(events?.default).toEqual(['Microsoft.Communication.ChatMessageReceivedInThread']);
	});

	it('asks for the service principal only in automatic mode, the ACS credential only to ignore own events', () => {
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: new AzureServicePrincipalOAuth2Api().name, displayOptions: { show: { subscriptionMode: ['automatic'] } } }),
			expect.objectContaining({ name: 'azureCommunicationServicesApi', displayOptions: { show: { ignoreOwnEvents: [true] } } }),
		]);
		const secret = description.properties.find((p) => p.name === 'webhookSecret');
		expect(secret).toMatchObject({ typeOptions: { password: true }, displayOptions: { show: { subscriptionMode: ['manual'] } } });
	});
});

describe('Resource ID', () => {
	it.each([
		[RESOURCE_ID, RESOURCE_ID],
		[` ${RESOURCE_ID}/ `, RESOURCE_ID],
		[RESOURCE_ID.replace('resourceGroups', 'resourcegroups'), RESOURCE_ID.replace('resourceGroups', 'resourcegroups')],
	])('accepts %p as the portal shows it', (value, resourceId) => {
		expect(parseResourceId(value)).toEqual({ resourceId });
	});

	it.each([
		['', /^is empty: copy it from/],
		[RESOURCE_ID.replace('Microsoft.Communication/communicationServices', 'Microsoft.Storage/storageAccounts'), /^is not the ID of a Communication Services resource: expected \/subscriptions\//],
		[RESOURCE_ID.replace('3f2504e0-4f89-41d3-9a0c-0305e82c3301', 'my-subscription'), /is not the ID/],
		[`${RESOURCE_ID}/providers/Microsoft.EventGrid/eventSubscriptions/x`, /is not the ID/],
		[`${RESOURCE_ID}?api-version=1`, /is not the ID/],
		[RESOURCE_ID.replace('chat-rg', 'rg.'), /is not the ID/],
		[42, /^must be text, got a number/],
	])('refuses %p', (value, problem) => {
		const parsed = parseResourceId(value);
		expect('problem' in parsed && parsed.problem).toMatch(problem);
	});
});
