'use strict';

// Workflows run by `n8n execute --id` in a real n8n with the packed package installed, against the ACS
// emulator. One user folder and one import for all of them; the emulator is reset before each run, so
// every case starts from the seed with an empty request log.
const fs = require('node:fs');
const path = require('node:path');
const host = require('./host');
const { startEmulator } = require('../emulator');
const shippedSeed = require('../emulator/seed.json');
const wf = require('./support/workflows');
const { leakCheck } = require('./support/leaks');

const { ids, supportThread } = wf;

// A second ACS user in the demo thread, so that removing an ACS user need not remove the caller itself.
const seed = structuredClone(shippedSeed);
const otherAcsUser = ids.otherUser;
seed.threads[0].participants.push({ rawId: otherAcsUser, displayName: 'Other User', shareHistoryTime: '1970-01-01T00:00:00Z' });

const encoded = encodeURIComponent;
const threadPath = (threadId) => `/chat/threads/${encoded(threadId)}`;
const removePath = (threadId) => `${threadPath(threadId)}/participants/:remove`;

/** Get Thread's output under 2024-03-07, built from the seed: metadata and retention only exist in later versions. */
const demoThreadJson = {
	id: ids.demoThread,
	topic: seed.threads[0].topic,
	createdOn: seed.threads[0].createdOn,
	createdByCommunicationIdentifier: { rawId: ids.demoUser, communicationUser: { id: ids.demoUser } },
};

const bodies = {
	acsUser: { rawId: otherAcsUser, communicationUser: { id: otherAcsUser } },
	phone: { rawId: ids.phone, phoneNumber: { value: ids.phone.slice(2), isAnonymous: false } },
	teamsUser: {
		rawId: ids.teamsUser,
		microsoftTeamsUser: { userId: ids.teamsUser.slice('8:orgid:'.length), isAnonymous: false, cloud: 'public' },
	},
};

function pairedIndexes(item) {
	return [].concat(item.pairedItem ?? []).map((pair) => (typeof pair === 'number' ? pair : pair.item));
}

function jsonOf(runData, nodeName, output = 0) {
	return host.nodeItems(runData, nodeName, { output }).map((item) => item.json);
}

function participantsOf(emulator, threadId) {
	return emulator
		.state()
		.threads.find(({ id }) => id === threadId)
		.participants.map(({ rawId }) => rawId);
}

describe('workflows in a real n8n against the ACS emulator', () => {
	let emulator;
	let userFolder;
	let prepared;
	let options;
	let creds;
	const leaks = leakCheck();
	const minted = [];

	// What the emulator saw, in order, reduced to what a case checks.
	const seen = () =>
		emulator.requests().map(({ method, path, query, status, fault, body, headers }) => ({
			method,
			path,
			apiVersion: query['api-version'],
			status,
			fault,
			body,
			authorization: headers.authorization,
		}));

	async function execute(id) {
		const result = await host.step(`n8n execute --id=${id}`, () => host.executeWorkflow(id, options));
		leaks.record(`n8n execute --id=${id}`, `${result.stdout}\n${result.stderr}`);
		return result;
	}

	function expectSuccess(result) {
		if (!result.ok) {
			throw new Error(`n8n execute exited ${result.code} (${result.status}):\n${JSON.stringify(result.error, null, 2)}`);
		}
	}

	beforeAll(async () => {
		emulator = await startEmulator({ ...wf.emulatorOptions, seed });
		const expiredToken = emulator.issueToken({ expiresOn: Date.now() - 60 * 60 * 1000 });
		creds = {
			token: wf.accessTokenCredential({ id: 'acsE2eToken00001', name: 'e2e access token', endpoint: emulator.url, accessToken: emulator.demoToken }),
			// Checked once by the warm-up run below, so the first request of every later run is the operation
			// itself (a queued fault then hits it, not the check), whatever the node stores to remember the check.
			verified: wf.accessTokenCredential({ id: 'acsE2eVerified01', name: 'e2e access token (checked)', endpoint: emulator.url, accessToken: emulator.demoToken }),
			expired: wf.accessTokenCredential({ id: 'acsE2eExpired001', name: 'e2e expired token', endpoint: emulator.url, accessToken: expiredToken }),
			connection: wf.connectionStringCredential({ id: 'acsE2eConnStr001', name: 'e2e connection string', emulator }),
		};
		// Emulator tokens and key are public, but they must not show anywhere either, like real secrets.
		leaks.plant('the demo token', emulator.demoToken);
		leaks.plant('the expired token', expiredToken);
		leaks.plant('the access key', emulator.key);
		leaks.plant('the connection string', emulator.connectionString, { pieces: false });
		userFolder = host.tempUserFolder();
		options = { userFolder, brokerPort: await host.freePort() };
		prepared = await host.prepareHost({ userFolder });
		for (const [what, imported] of [
			['credentials', await host.importCredentials(Object.values(creds), options)],
			['workflow', await host.importWorkflows(workflows(creds), options)],
		]) {
			leaks.record(`n8n import:${what}`, `${imported.stdout}\n${imported.stderr}`);
		}
		expectSuccess(await execute('acsE2eWarmUp0001'));
		minted.push(...emulator.issuedTokens());
	});

	beforeEach(() => emulator.reset());
	// A reset forgets the tokens the emulator issued; the leak check at the end needs all of them.
	afterEach(() => minted.push(...emulator.issuedTokens()));

	afterAll(async () => {
		await emulator?.close();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		if (prepared) fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
	});

	test('smoke: Get Thread, then Remove Participant, with a pasted access token checked once', async () => {
		const result = await execute('acsE2eSmoke00001');
		expectSuccess(result);
		expect(Object.keys(result.runData)).toEqual(['Manual Trigger', 'Get Thread', 'Remove Participant']);

		const [thread] = host.nodeItems(result.runData, 'Get Thread');
		expect(thread.json).toEqual(demoThreadJson);
		expect(pairedIndexes(thread)).toEqual([0]);
		const [removed] = host.nodeItems(result.runData, 'Remove Participant');
		expect(removed.json).toEqual({ removed: true, threadId: ids.demoThread, participantId: otherAcsUser, participantKind: 'communicationUser' });
		expect(pairedIndexes(removed)).toEqual([0]);

		expect(seen()).toEqual([
			// The credential's one-time check of the pasted token.
			{ method: 'GET', path: '/chat/threads', apiVersion: '2024-03-07', status: 200, fault: undefined, body: undefined, authorization: 'Bearer [redacted]' },
			{ method: 'GET', path: threadPath(ids.demoThread), apiVersion: '2024-03-07', status: 200, fault: undefined, body: undefined, authorization: 'Bearer [redacted]' },
			{ method: 'POST', path: removePath(ids.demoThread), apiVersion: '2025-03-15', status: 204, fault: undefined, body: bodies.acsUser, authorization: 'Bearer [redacted]' },
		]);
		expect(participantsOf(emulator, ids.demoThread)).not.toContain(otherAcsUser);
	});

	test('Remove Participant sends the identifier model of each kind: ACS user, phone number, Teams user', async () => {
		const result = await execute('acsE2eKinds00001');
		expectSuccess(result);
		expect(jsonOf(result.runData, 'Remove Teams User')).toEqual([
			{ removed: true, threadId: ids.demoThread, participantId: ids.teamsUser, participantKind: 'microsoftTeamsUser' },
		]);
		expect(jsonOf(result.runData, 'Remove Phone Number')[0].participantKind).toBe('phoneNumber');
		expect(jsonOf(result.runData, 'Remove ACS User')[0].participantKind).toBe('communicationUser');

		expect(seen().map(({ method, path, status, body }) => ({ method, path, status, body }))).toEqual(
			[bodies.acsUser, bodies.phone, bodies.teamsUser].map((body) => ({ method: 'POST', path: removePath(ids.demoThread), status: 204, body })),
		);
		expect(participantsOf(emulator, ids.demoThread)).toEqual([ids.demoUser]);
	});

	test('the npm start demo with a connection string: a support thread with two people, a message, its history, the customer removed', async () => {
		const { topic, agent, customer, message } = supportThread;
		const first = await execute('acsE2eDemo000001');
		expectSuccess(first);
		expect(Object.keys(first.runData)).toEqual(['Manual Trigger', 'Create Thread', 'Send Message', 'Get Many Messages', 'Remove Participant']);

		const [created, ...moreCreated] = host.nodeItems(first.runData, 'Create Thread');
		expect(moreCreated).toEqual([]);
		const { threadId } = created.json;
		expect(threadId).toMatch(/^19:acsV1_\w+@thread\.v2$/);
		expect(threadId).not.toBe(ids.demoThread);
		expect(created.json).toEqual({
			threadId,
			chatThread: expect.objectContaining({ id: threadId, topic, createdByCommunicationIdentifier: { rawId: ids.demoUser, communicationUser: { id: ids.demoUser } } }),
			invalidParticipants: [],
		});
		const thread = () => emulator.state().threads.find(({ id }) => id === threadId);
		expect(thread().topic).toBe(topic);

		const [sent] = host.nodeItems(first.runData, 'Send Message');
		expect(sent.json).toEqual({ id: expect.stringMatching(/^\d+$/), threadId });
		expect(pairedIndexes(sent)).toEqual([0]);

		// The whole history, oldest first: what ACS writes at creation (the topic, then both people), then the message.
		const history = host.nodeItems(first.runData, 'Get Many Messages');
		expect(history.map(({ json }) => json.type)).toEqual(['topicUpdated', 'participantAdded', 'text']);
		expect(history.map((item) => pairedIndexes(item))).toEqual([[0], [0], [0]]);
		const [topicSet, joined, greeting] = history.map(({ json }) => json);
		expect(topicSet.content.topic).toBe(topic);
		expect(joined.content.participants.map(({ communicationIdentifier, displayName }) => ({ participantId: communicationIdentifier.rawId, displayName }))).toEqual([
			agent,
			customer,
		]);
		expect(greeting).toMatchObject({ id: sent.json.id, threadId, content: { message }, senderDisplayName: agent.displayName, senderId: ids.demoUser });

		// Execute Once: one removal for the three history items.
		const [removed, ...moreRemoved] = host.nodeItems(first.runData, 'Remove Participant');
		expect(moreRemoved).toEqual([]);
		expect(removed.json).toEqual({ removed: true, threadId, participantId: customer.participantId, participantKind: 'communicationUser' });
		expect(pairedIndexes(removed)).toEqual([0]);
		expect(jsonOf(first.runData, 'Remove Participant', 1)).toEqual([]);
		expect(first.runData['Not Found?']).toBeUndefined();
		expect(thread().participants.map(({ rawId }) => rawId)).toEqual([agent.participantId]);

		// Without pinned data a second run opens a thread of its own, so its removal succeeds as well.
		const second = await execute('acsE2eDemo000001');
		expectSuccess(second);
		const [again] = jsonOf(second.runData, 'Create Thread');
		expect(again.threadId).not.toBe(threadId);
		expect(jsonOf(second.runData, 'Remove Participant')).toEqual([
			{ removed: true, threadId: again.threadId, participantId: customer.participantId, participantKind: 'communicationUser' },
		]);

		const requests = seen();
		const runRequests = (id) => [
			'POST /chat/threads 201',
			`POST ${threadPath(id)}/messages 201`,
			`GET ${threadPath(id)}/messages 200`,
			`POST ${removePath(id)} 204`,
		];
		expect(requests.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([
			`POST /identities/${encoded(ids.demoUser)}/:issueAccessToken 200`,
			...runRequests(threadId),
			// The second run reuses the token n8n saved with the credential.
			...runRequests(again.threadId),
		]);
		expect(requests[0]).toMatchObject({ apiVersion: '2023-10-01', body: { scopes: ['chat'], expiresInMinutes: 60 } });
		expect(requests[0].authorization).toMatch(/^HMAC-SHA256 /);
		expect(requests.slice(1).map(({ authorization }) => authorization)).toEqual(Array(8).fill('Bearer [redacted]'));
		expect(requests[1].body).toEqual({
			topic,
			participants: [agent, customer].map(({ participantId, displayName }) => ({
				communicationIdentifier: { rawId: participantId, communicationUser: { id: participantId } },
				displayName,
			})),
		});
		expect(requests[2].body).toEqual({ content: message, senderDisplayName: agent.displayName });
	});

	test('404 (unknown thread) and 403 (thread the user is not in) leave by the error output into an If on status and ACS code', async () => {
		const result = await execute('acsE2eErrors0001');
		expectSuccess(result);
		expect(jsonOf(result.runData, 'Get Thread')).toEqual([]);
		expect(jsonOf(result.runData, 'Get Thread', 1).map(({ details }) => details.httpCode)).toEqual([404, 403]);

		const [missing, ...moreMissing] = host.nodeItems(result.runData, 'Thread Missing?', { output: 0 });
		expect(moreMissing).toEqual([]);
		expect(missing.json).toMatchObject({ threadId: ids.unknownThread, details: { httpCode: 404, code: 'NotFound' } });
		expect(missing.json.error).toMatch(/404/);
		expect(pairedIndexes(missing)).toEqual([0]);

		const [forbidden, ...moreForbidden] = host.nodeItems(result.runData, 'Thread Missing?', { output: 1 });
		expect(moreForbidden).toEqual([]);
		expect(forbidden.json).toMatchObject({ threadId: ids.otherThread, details: { httpCode: 403, code: 'Forbidden' } });
		expect(pairedIndexes(forbidden)).toEqual([1]);

		// The node sends items concurrently, so only the set of requests is fixed, not their order.
		expect(seen().map(({ method, path, status }) => `${method} ${path} ${status}`).sort()).toEqual(
			[`GET ${threadPath(ids.unknownThread)} 404`, `GET ${threadPath(ids.otherThread)} 403`].sort(),
		);
	});

	test('a 429 fails the item with the Retry-After wait in its error details when retrying is off', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfter: 120 });
		const result = await execute('acsE2eThrottle01');
		expectSuccess(result);
		const [throttled] = jsonOf(result.runData, 'Get Thread', 1);
		expect(throttled.details).toMatchObject({ httpCode: 429, code: 'TooManyRequests', retryAfterSeconds: 120 });
		expect(throttled.details.description).toMatch(/retry after 120 s/);
		expect(jsonOf(result.runData, 'Get Thread')).toEqual([]);
		expect(seen().map(({ path, status, fault }) => ({ path, status, fault }))).toEqual([
			{ path: threadPath(ids.demoThread), status: 429, fault: 'throttle' },
		]);
	});

	test('an expired access token stops the run with a clear 401 error before any operation is sent', async () => {
		const result = await execute('acsE2eExpired001');
		expect(result.ok).toBe(false);
		expect(result.code).not.toBe(0);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'ACS answered 401 Unauthorized: The access token has expired.',
			httpCode: '401',
			node: { name: 'Get Thread' },
			context: { acsError: { httpCode: 401, code: 'Unauthorized' } },
		});
		expect(result.error.description).toMatch(/access token is missing, invalid or expired.*at most 24 hours/);
		// Only the credential's token check, which n8n-core asks for a second time after it answers 401.
		const checks = seen().map(({ method, path, status }) => `${method} ${path} ${status}`);
		expect(checks.length).toBeGreaterThanOrEqual(1);
		expect(checks.length).toBeLessThanOrEqual(2);
		expect(new Set(checks)).toEqual(new Set(['GET /chat/threads 401']));
	});

	test('a malformed participant ID stops the run naming the parameter, and nothing is sent', async () => {
		const result = await execute('acsE2eBadId00001');
		expect(result.ok).toBe(false);
		expect(result.code).not.toBe(0);
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			node: { name: 'Remove Participant' },
			context: { acsError: { httpCode: null, code: 'InvalidParameter', parameter: 'participantId' } },
		});
		expect(result.error.message).toMatch(/^Participant ID in item 0 is not a raw ID: .*8:acs:.*got "participant-42"$/);
		expect(seen()).toEqual([]);
	});

	test('no token or key appears in any output, log, file or database row of these runs', () => {
		expect(minted.length).toBeGreaterThanOrEqual(1);
		for (const { userId, token } of minted) leaks.plant(`a token minted for ${userId}`, token);
		expect(leaks.find({ folders: [userFolder], databases: [path.join(userFolder, '.n8n', 'database.sqlite')] })).toEqual([]);
	});
});

/** Every workflow of this file, imported at once; ids are at most 21 characters, n8n's limit for `execute --id`. */
function workflows(creds) {
	const trigger = wf.manualTrigger();
	const start = (first) => ({ [trigger.name]: [first] });
	return [
		wf.workflow({
			id: 'acsE2eWarmUp0001',
			name: 'ACS Chat: check the pasted token once',
			nodes: [trigger, wf.getThread('Get Thread', [220, 0], creds.verified, ids.demoThread)],
			connections: wf.connect(start('Get Thread')),
		}),
		wf.workflow({
			id: 'acsE2eSmoke00001',
			name: 'ACS Chat smoke',
			nodes: [
				trigger,
				wf.getThread('Get Thread', [220, 0], creds.token, ids.demoThread),
				wf.removeParticipant('Remove Participant', [440, 0], creds.token, ids.demoThread, otherAcsUser),
			],
			connections: wf.connect({ ...start('Get Thread'), 'Get Thread': ['Remove Participant'] }),
		}),
		wf.workflow({
			id: 'acsE2eKinds00001',
			name: 'ACS Chat: remove each identifier kind',
			nodes: [
				trigger,
				wf.removeParticipant('Remove ACS User', [220, 0], creds.verified, ids.demoThread, otherAcsUser),
				wf.removeParticipant('Remove Phone Number', [440, 0], creds.verified, ids.demoThread, ids.phone),
				wf.removeParticipant('Remove Teams User', [660, 0], creds.verified, ids.demoThread, ids.teamsUser),
			],
			connections: wf.connect({
				...start('Remove ACS User'),
				'Remove ACS User': ['Remove Phone Number'],
				'Remove Phone Number': ['Remove Teams User'],
			}),
		}),
		wf.demoWorkflow({ id: 'acsE2eDemo000001', name: 'ACS Chat demo', credential: creds.connection }),
		wf.workflow({
			id: 'acsE2eErrors0001',
			name: 'ACS Chat: 404 and 403 to the error output',
			nodes: [
				trigger,
				wf.node('Thread IDs', 'n8n-nodes-base.set', 3.4, [220, 0], {
					mode: 'raw',
					jsonOutput: JSON.stringify({ threadId: [ids.unknownThread, ids.otherThread] }),
					options: {},
				}),
				wf.node('Split Out', 'n8n-nodes-base.splitOut', 1, [440, 0], { fieldToSplitOut: 'threadId', options: {} }),
				wf.getThread('Get Thread', [660, 0], creds.verified, '={{ $json.threadId }}', { onError: 'continueErrorOutput' }),
				wf.ifNode('Thread Missing?', [880, 100], [
					{ left: '={{ $json.details.httpCode }}', equals: 404 },
					{ left: '={{ $json.details.code }}', equals: 'NotFound' },
				]),
			],
			connections: wf.connect({
				...start('Thread IDs'),
				'Thread IDs': ['Split Out'],
				'Split Out': ['Get Thread'],
				'Get Thread': [[], ['Thread Missing?']],
			}),
		}),
		wf.workflow({
			id: 'acsE2eThrottle01',
			name: 'ACS Chat: 429',
			nodes: [
				trigger,
				// Retrying off, and a wait longer than any the node accepts: the first 429 is the answer either way.
				wf.getThread('Get Thread', [220, 0], creds.verified, ids.demoThread, {
					options: { retryOnThrottle: false },
					onError: 'continueErrorOutput',
				}),
			],
			connections: wf.connect(start('Get Thread')),
		}),
		wf.workflow({
			id: 'acsE2eExpired001',
			name: 'ACS Chat: expired token',
			nodes: [trigger, wf.getThread('Get Thread', [220, 0], creds.expired, ids.demoThread)],
			connections: wf.connect(start('Get Thread')),
		}),
		wf.workflow({
			id: 'acsE2eBadId00001',
			name: 'ACS Chat: malformed participant ID',
			nodes: [trigger, wf.removeParticipant('Remove Participant', [220, 0], creds.verified, ids.demoThread, 'participant-42')],
			connections: wf.connect(start('Remove Participant')),
		}),
	];
}
