'use strict';

const fs = require('node:fs');
const { randomBytes } = require('node:crypto');
const host = require('./host');
const { startAcsStub } = require('./support/acs-stub');

const threadId = '19:e2eSmokeThread0001@thread.v2';
const participantId = '8:acs:00000000-0000-4000-8000-000000000001_00000000-0000-4000-8000-000000000002';
// Fake, but handled as a secret all the same: failures show it scrubbed.
const accessToken = `e2e-fake-${randomBytes(12).toString('hex')}`;
const credential = { id: 'e2eAcsCredent01', name: 'ACS Chat (stub)' };
const workflowId = 'e2eAcsSmokeWf001';

const thread = {
	id: threadId,
	topic: 'Smoke test',
	createdOn: '2026-11-23T08:00:00.0000000Z',
	createdByCommunicationIdentifier: { rawId: participantId, communicationUser: { id: participantId } },
};

function acsNode(name, position, parameters) {
	return {
		id: `e2e-${name.toLowerCase().replace(/\s+/g, '-')}`,
		name,
		type: 'n8n-nodes-acs-chat.acsChat',
		typeVersion: 1,
		position,
		parameters,
		credentials: { azureCommunicationServicesApi: credential },
	};
}

const workflow = {
	id: workflowId,
	name: 'ACS Chat smoke',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'e2e-trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		acsNode('Get Thread', [220, 0], {
			resource: 'thread',
			operation: 'get',
			threadId: { __rl: true, mode: 'id', value: threadId },
		}),
		acsNode('Remove Participant', [440, 0], {
			resource: 'participant',
			operation: 'remove',
			threadId: { __rl: true, mode: 'id', value: threadId },
			participantId,
		}),
	],
	connections: {
		'Manual Trigger': { main: [[{ node: 'Get Thread', type: 'main', index: 0 }]] },
		'Get Thread': { main: [[{ node: 'Remove Participant', type: 'main', index: 0 }]] },
	},
};

function pairedIndexes(item) {
	return [].concat(item.pairedItem ?? []).map((pair) => (typeof pair === 'number' ? pair : pair.item));
}

describe('n8n-nodes-acs-chat in a real n8n', () => {
	let stub;
	let userFolder;
	let prepared;
	let options;
	let result;

	beforeAll(async () => {
		stub = await startAcsStub({ thread });
		userFolder = host.tempUserFolder();
		options = { userFolder, brokerPort: await host.freePort(), secrets: [accessToken] };
		prepared = await host.prepareHost({ userFolder });
		await host.importCredentials(
			[{ ...credential, type: 'azureCommunicationServicesApi', data: { endpoint: stub.endpoint, accessToken } }],
			options,
		);
		await host.importWorkflows([workflow], options);
		result = await host.step('n8n execute', () => host.executeWorkflow(workflowId, options));
	});

	afterAll(async () => {
		await stub?.close();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		if (prepared) fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
	});

	test('the workflow runs to the end', () => {
		if (!result.ok) {
			throw new Error(`n8n execute exited ${result.code} (${result.status}):\n${JSON.stringify(result.error, null, 2)}`);
		}
		expect(Object.keys(result.runData)).toEqual(['Manual Trigger', 'Get Thread', 'Remove Participant']);
	});

	test('Get Thread outputs the thread exactly as the service sent it', () => {
		const items = host.nodeItems(result.runData, 'Get Thread');
		expect(items.map((item) => item.json)).toEqual([thread]);
		expect(pairedIndexes(items[0])).toEqual([0]);
	});

	test('Remove Participant outputs one item paired with its input', () => {
		const items = host.nodeItems(result.runData, 'Remove Participant');
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(expect.any(Object));
		expect(pairedIndexes(items[0])).toEqual([0]);
	});

	test('the service got exactly the two operation requests, authenticated with the credential token', () => {
		const seen = stub.requests.map(({ method, url, headers, body }) => ({
			method,
			url,
			authorization: host.scrub(headers.authorization ?? '', [accessToken]),
			body: body === '' ? undefined : JSON.parse(body),
		}));
		// The credential may check a pasted token once with List Threads before the first operation.
		const isTokenCheck = ({ method, url }) => method === 'GET' && new URL(url, 'http://stub').pathname === '/chat/threads';
		const checks = seen.filter(isTokenCheck);
		expect(checks.length).toBeLessThanOrEqual(1);
		expect(checks.map(({ authorization }) => authorization)).toEqual(checks.map(() => 'Bearer ***'));

		const encodedThread = encodeURIComponent(threadId);
		expect(encodedThread).toBe('19%3Ae2eSmokeThread0001%40thread.v2');
		const operations = seen.filter((request) => !isTokenCheck(request));
		expect(operations).toEqual([
			{
				method: 'GET',
				url: `/chat/threads/${encodedThread}?api-version=2024-03-07`,
				authorization: 'Bearer ***',
				body: undefined,
			},
			{
				method: 'POST',
				url: `/chat/threads/${encodedThread}/participants/:remove?api-version=2025-03-15`,
				authorization: 'Bearer ***',
				body: { rawId: participantId, communicationUser: { id: participantId } },
			},
		]);
		const remove = stub.requests.find(({ method }) => method === 'POST');
		expect(remove.headers['content-type']).toMatch(/^application\/json/);
	});
});
