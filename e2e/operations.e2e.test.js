'use strict';

// The operations beyond the seed's two, run in a real n8n (`n8n start`, workflows run through the REST API as the
// editor's Execute does) against the emulator: Get Many of messages paged with Return All and with a Limit, Add
// Participant items batched per thread, a thread's whole life (create, send, list, delete), and an ACS user
// created and given a token with a connection string. Page and request counts come from the emulator's log. The
// last case looks for every secret in everything n8n wrote, and for the tokens a workflow asked for in n8n's
// output and files: those belong in their own node's output (and so in the saved execution, the database and the
// REST answer that reads it back), nowhere else.
const fs = require('node:fs');
const path = require('node:path');
const { startEmulator } = require('../emulator');
const shippedSeed = require('../emulator/seed.json');
const host = require('./host');
const wf = require('./support/workflows');
const { liveN8n } = require('./support/live-n8n');
const { leakCheck } = require('./support/leaks');

const { ids } = wf;

/** ACS's largest page of messages, which Return All asks for. */
const MESSAGE_PAGE = 200;
const messagesPath = (threadId) => `/chat/threads/${encodeURIComponent(threadId)}/messages`;

// A second thread the demo user is in, for participants added to two threads at once, and ACS users the resource
// knows, to add beside phone numbers.
const seed = structuredClone(shippedSeed);
const acsUsers = Array.from({ length: 20 }, (_, index) => `8:acs:${seed.resourceId}_00000000-0000-4000-8000-${String(200 + index).padStart(12, '0')}`);
seed.identities.push(...acsUsers);
const secondThread = '19:acsV1_e2eOperationsThread00000@thread.v2';
seed.threads.push({
	id: secondThread,
	topic: 'E2E second thread',
	createdOn: '2025-07-02T09:00:00Z',
	createdBy: ids.demoUser,
	participants: [{ rawId: ids.demoUser, displayName: 'Demo User', shareHistoryTime: '1970-01-01T00:00:00Z' }],
});

/**
 * 440 Add Participant items, alternating between the demo thread and the second one: per thread 10 known ACS
 * users, 209 phone numbers and, at a fixed place, an ACS user the resource does not know, which ACS lists under
 * invalidParticipants while it adds the others.
 */
const ADD_ITEMS = 440;
const unknownAcsUser = (index) => `8:acs:${seed.resourceId}_00000000-0000-4000-8000-${String(900 + index).padStart(12, '0')}`;
const INVALID_AT = [7, 300];
const addItems = Array.from({ length: ADD_ITEMS }, (_, index) => {
	const threadId = index % 2 === 0 ? ids.demoThread : secondThread;
	let participantId = `4:+1425557${String(index).padStart(4, '0')}`;
	if (index < acsUsers.length) participantId = acsUsers[index];
	if (INVALID_AT.includes(index)) participantId = unknownAcsUser(index);
	return { threadId, participantId, displayName: `Added ${index}` };
});

function pairedIndexes(item) {
	return [].concat(item.pairedItem ?? []).map((pair) => (typeof pair === 'number' ? pair : pair.item));
}

describe('the operations in a real n8n against the ACS emulator', () => {
	const leaks = leakCheck();
	/** For the tokens a workflow asked the node to issue: they may be in outputs, never in n8n's log or files. */
	const askedFor = leakCheck();
	/** ACS users the workflows created: the tokens issued to them are the ones a workflow asked for. */
	const createdUsers = new Set();
	/**
	 * A token must not show whole, nor any piece of its signature. Its claims are left out of the piece search here:
	 * they spell public facts (the resource, the user, the scope, the times) in the same words for every token of the
	 * resource, so the tokens this file's workflows ask for, which are in their outputs, share long runs of them with
	 * every other token, and a claims piece would be found where no secret is.
	 */
	const plantToken = (check, name, token) => {
		check.plant(name, token, { pieces: false });
		check.plant(`${name}: its signature`, token.slice(token.lastIndexOf('.') + 1));
	};
	let emulator;
	let live;
	let creds;
	/** Tokens the emulator issued, kept across resets: [{ userId, token }]. */
	const issued = [];

	/** Runs a stored workflow from its Manual Trigger on an emulator with an empty log; resolves with its run data. */
	async function run(workflowId) {
		emulator.clearRequests();
		const execution = await live.session.run(workflowId, 'Manual Trigger', { timeoutMs: 120_000 });
		if (execution.status !== 'success') {
			throw new Error(`${workflowId} ended ${execution.status}: ${JSON.stringify(execution.data.resultData.error, null, 2)}`);
		}
		return execution.data.resultData.runData;
	}

	const items = (runData, nodeName, output = 0) => host.nodeItems(runData, nodeName, { output });
	const jsonOf = (runData, nodeName, output = 0) => items(runData, nodeName, output).map((item) => item.json);
	const requestsTo = (method, requestPath) => emulator.requests().filter((entry) => entry.method === method && entry.path === requestPath);
	const threadOf = (threadId) => emulator.state().threads.find(({ id }) => id === threadId);

	beforeAll(async () => {
		emulator = await startEmulator({ ...wf.emulatorOptions, seed });
		creds = {
			token: wf.accessTokenCredential({ id: 'acsOpsToken00001', name: 'e2e access token', endpoint: emulator.url, accessToken: emulator.demoToken }),
			connection: wf.connectionStringCredential({ id: 'acsOpsConnStr001', name: 'e2e connection string', emulator }),
		};
		plantToken(leaks, 'the demo token', emulator.demoToken);
		leaks.plant('the access key', emulator.key);
		leaks.plant('the connection string', emulator.connectionString, { pieces: false });
		live = await liveN8n({ credentials: Object.values(creds), workflows: workflows(creds) });
	});

	beforeEach(() => emulator.reset());
	// A reset forgets the tokens the emulator issued; the leak check at the end needs all of them.
	afterEach(() => issued.push(...emulator.issuedTokens()));

	afterAll(async () => {
		await live?.remove();
		await emulator?.close();
	});

	describe('Get Many of messages, paged', () => {
		// Not a multiple of the page: the last page is a short one.
		const ADDED = 448;
		/** The thread's messages as ACS lists them, newest first. */
		const newestFirst = () => [...threadOf(ids.demoThread).messages].reverse().map(({ id }) => id);

		test('Return All follows nextLink to the end: every message once, newest first, in pages of 200', async () => {
			emulator.addMessages(ids.demoThread, { count: ADDED, content: 'Paged' });
			const all = newestFirst();
			expect(all.length).toBeGreaterThan(2 * MESSAGE_PAGE);

			const runData = await run('acsOpsGetAll0001');
			const output = items(runData, 'Get Messages');
			expect(output.map(({ json }) => json.id)).toEqual(all);
			expect(new Set(output.flatMap(pairedIndexes))).toEqual(new Set([0]));
			expect(output[0].json).toMatchObject({ threadId: ids.demoThread, type: 'text', content: { message: `Paged ${all.length}` }, senderId: ids.demoUser });

			const pages = requestsTo('GET', messagesPath(ids.demoThread));
			expect(pages.map(({ status }) => status)).toEqual([200, 200, 200]);
			expect(pages.map(({ query }) => query.maxPageSize)).toEqual(['200', '200', '200']);
			// Later pages are the nextLink the page before sent: its cursor, not a page number.
			expect(pages[0].query.syncState).toBeUndefined();
			expect(pages.slice(1).every(({ query }) => typeof query.syncState === 'string')).toBe(true);
		});

		test('a Limit per item fetches only the pages it needs, asking for no more than it still needs', async () => {
			emulator.addMessages(ids.demoThread, { count: ADDED });
			const all = newestFirst();
			const limits = [250, MESSAGE_PAGE, 5];

			const runData = await run('acsOpsLimits0001');
			const output = items(runData, 'Get Messages');
			// One item per message, paired with the item that asked; each item's are the newest ones.
			expect(output.length).toBe(limits.reduce((sum, limit) => sum + limit, 0));
			for (const [index, limit] of limits.entries()) {
				const own = output.filter((item) => pairedIndexes(item)[0] === index);
				expect(own.map(({ json }) => json.id)).toEqual(all.slice(0, limit));
			}

			// 250: a page of 200, then one of the 50 still missing. 200: one page, though it carried a nextLink. 5: a page of 5.
			const pages = requestsTo('GET', messagesPath(ids.demoThread));
			expect(pages.map(({ status }) => status)).toEqual([200, 200, 200, 200]);
			expect(pages.map(({ query }) => Number(query.maxPageSize)).sort((a, b) => a - b)).toEqual([5, 50, 200, 200]);
			const second = pages.find(({ query }) => query.maxPageSize === '50');
			expect(typeof second.query.syncState).toBe('string');
		});
	});

	test('440 Add Participant items into two threads: 4 requests (200 + 20 per thread), one output item per input item', async () => {
		const before = { [ids.demoThread]: threadOf(ids.demoThread).participants.length, [secondThread]: threadOf(secondThread).participants.length };
		const runData = await run('acsOpsAdd0000001');

		const added = items(runData, 'Add Participant', 0);
		const failed = items(runData, 'Add Participant', 1);
		// Every input item once, over the two outputs, in input order on each.
		expect([...added, ...failed].flatMap(pairedIndexes).sort((a, b) => a - b)).toEqual(addItems.map((_, index) => index));
		expect(failed.flatMap(pairedIndexes)).toEqual(INVALID_AT);
		for (const item of added) {
			const { threadId, participantId, displayName } = addItems[pairedIndexes(item)[0]];
			expect(item.json).toMatchObject({ added: true, threadId, participantId, displayName });
		}
		expect(added.find(({ json }) => json.participantId === acsUsers[0]).json.participantKind).toBe('communicationUser');
		expect(added.find(({ json }) => json.participantId.startsWith('4:')).json.participantKind).toBe('phoneNumber');
		for (const item of failed) {
			const { participantId } = addItems[pairedIndexes(item)[0]];
			expect(item.json.error).toMatch(new RegExp(`did not add participant ${participantId}`));
			expect(item.json.details).toMatchObject({ httpCode: 201, code: '404', message: 'Not found', target: participantId });
		}

		// One request per 200 participants of a thread: the items of one thread go together.
		const adds = emulator.requests().filter(({ method, path: sentTo }) => method === 'POST' && sentTo.endsWith('/participants/:add'));
		expect(adds).toHaveLength(4);
		for (const threadId of [ids.demoThread, secondThread]) {
			const own = adds.filter(({ path: sentTo }) => sentTo === `/chat/threads/${encodeURIComponent(threadId)}/participants/:add`);
			expect(own.map(({ status }) => status)).toEqual([201, 201]);
			expect(own.map(({ body }) => body.participants.length)).toEqual([200, 20]);
			const wanted = addItems.filter((item, index) => item.threadId === threadId && !INVALID_AT.includes(index));
			const inThread = threadOf(threadId).participants.map(({ rawId }) => rawId);
			expect(inThread.length).toBe(before[threadId] + wanted.length);
			expect(inThread).toEqual(expect.arrayContaining(wanted.map(({ participantId }) => participantId)));
		}
		expect(emulator.requests().filter(({ method, path: sentTo }) => !(method === 'GET' && sentTo === '/chat/threads'))).toHaveLength(4);
	});

	test('a thread’s life: create it with participants, send a message, list it oldest first without system messages, delete it', async () => {
		const runData = await run('acsOpsLife000001');
		const [created] = jsonOf(runData, 'Create Thread');
		expect(created.invalidParticipants).toEqual([]);
		expect(created.chatThread).toMatchObject({ id: created.threadId, topic: 'E2E life of a thread' });
		const [sent] = jsonOf(runData, 'Send Message');
		expect(sent).toEqual({ id: expect.stringMatching(/^\d+$/), threadId: created.threadId });
		const listed = jsonOf(runData, 'Get Messages');
		expect(listed).toEqual([expect.objectContaining({ id: sent.id, threadId: created.threadId, type: 'text', content: { message: 'Hello from n8n' }, senderId: ids.demoUser })]);
		expect(jsonOf(runData, 'Delete Thread')).toEqual([{ deleted: true, threadId: created.threadId }]);
		for (const name of ['Create Thread', 'Send Message', 'Get Messages', 'Delete Thread']) {
			expect(items(runData, name).flatMap(pairedIndexes)).toEqual([0]);
		}

		const thread = threadOf(created.threadId);
		expect(thread.deletedOn).toEqual(expect.any(String));
		expect(thread.participants.map(({ rawId }) => rawId).sort()).toEqual([ids.demoUser, ids.phone].sort());
		expect(thread.messages.filter(({ type }) => type === 'text').map(({ id, content }) => ({ id, content }))).toEqual([{ id: sent.id, content: 'Hello from n8n' }]);

		const threadPath = `/chat/threads/${encodeURIComponent(created.threadId)}`;
		// The token's one-time check (GET /chat/threads) comes with whichever run is first, so it is left out.
		const calls = emulator.requests().filter(({ method, path: sentTo }) => !(method === 'GET' && sentTo === '/chat/threads'));
		expect(calls.map(({ method, path: sentTo, status }) => `${method} ${sentTo} ${status}`)).toEqual([
			'POST /chat/threads 201',
			`POST ${threadPath}/messages 201`,
			`GET ${threadPath}/messages 200`,
			`DELETE ${threadPath} 204`,
		]);
		const [create] = requestsTo('POST', '/chat/threads');
		expect(create.headers['repeatability-request-id']).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('a user created with a chat token, then given another, with a connection string: each token only in its own output', async () => {
		const runData = await run('acsOpsUser000001');
		const [created] = jsonOf(runData, 'Create User');
		const [second] = jsonOf(runData, 'Issue Token');
		createdUsers.add(created.userId);
		expect(emulator.state().identities).toContain(created.userId);
		const tokens = emulator.issuedTokens().filter(({ userId }) => userId === created.userId).map(({ token }) => token);
		expect(tokens).toHaveLength(2);
		expect(created).toEqual({ userId: created.userId, token: tokens[0], expiresOn: expect.any(String) });
		expect(second).toEqual({ userId: created.userId, scopes: ['chat'], token: tokens[1], expiresOn: expect.any(String) });
		// The lifetimes asked for, from the emulator's clock: 60 and 90 minutes.
		const issuedAt = Date.parse(emulator.requests()[0].time);
		expect(Date.parse(created.expiresOn) - issuedAt).toBeGreaterThan(59 * 60 * 1000);
		expect(Date.parse(created.expiresOn) - issuedAt).toBeLessThan(61 * 60 * 1000);
		expect(Date.parse(second.expiresOn) - issuedAt).toBeGreaterThan(89 * 60 * 1000);
		expect(Date.parse(second.expiresOn) - issuedAt).toBeLessThan(91 * 60 * 1000);
		// Neither token in the other node's output.
		expect(JSON.stringify(items(runData, 'Issue Token'))).not.toContain(tokens[0]);
		expect(JSON.stringify(items(runData, 'Create User'))).not.toContain(tokens[1]);

		// Both requests HMAC-signed with the connection string's key; no chat token was needed for them.
		expect(emulator.requests().map(({ method, path: sentTo, status, body, headers }) => ({ call: `${method} ${sentTo} ${status}`, body, scheme: headers.authorization.split(' ')[0] }))).toEqual([
			{ call: 'POST /identities 201', body: { createTokenWithScopes: ['chat'], expiresInMinutes: 60 }, scheme: 'HMAC-SHA256' },
			{ call: `POST /identities/${encodeURIComponent(created.userId)}/:issueAccessToken 200`, body: { scopes: ['chat'], expiresInMinutes: 90 }, scheme: 'HMAC-SHA256' },
		]);
	});

	test('no key, connection string or token appears in any answer, output, log, file or database row of n8n; no token a workflow asked for in its log or files', async () => {
		await live.stop();
		const asked = issued.filter(({ userId }) => createdUsers.has(userId));
		expect(asked.length).toBeGreaterThanOrEqual(2);
		for (const { userId, token } of issued) {
			if (createdUsers.has(userId)) plantToken(askedFor, `a token issued for ${userId} as a workflow asked`, token);
			else plantToken(leaks, `a token minted for ${userId}`, token);
		}
		const sources = live.leakSources();
		expect(leaks.find(sources)).toEqual([]);

		// The database holds the saved executions, the outputs these tokens belong in; the REST answers read them back.
		const n8nFolder = path.join(live.userFolder, '.n8n');
		const logFile = path.join(n8nFolder, 'logs', 'n8n.log');
		expect(fs.statSync(logFile).size).toBeGreaterThan(0);
		const databases = fs.readdirSync(n8nFolder).filter((name) => name.startsWith('database.sqlite')).map((name) => path.join(n8nFolder, name));
		expect(
			askedFor.find({ texts: sources.texts.filter(({ where }) => where === 'n8n start output'), folders: sources.folders, skip: [...sources.skip, ...databases] }),
		).toEqual([]);
	});
});

/** Every workflow of this file; ids are n8n's own form, 16 characters. */
function workflows(creds) {
	const trigger = wf.manualTrigger();
	const start = (first) => ({ [trigger.name]: [first] });
	const getMessages = (threadId, parameters, position = [440, 0]) =>
		wf.acsNode('Get Messages', position, creds.token, { resource: 'message', operation: 'getAll', threadId, ...parameters });
	const [limits, limitItems] = wf.splitItems(['Limits', 'Limit Items'], [[220, 0], [440, 0]], 'limit', [250, MESSAGE_PAGE, 5]);
	const created = "={{ $('Create Thread').item.json.threadId }}";
	const [participants, participantItems] = wf.splitItems(['Participants', 'Participant Items'], [[220, 0], [440, 0]], 'participant', addItems);
	return [
		wf.workflow({
			id: 'acsOpsGetAll0001',
			name: 'ACS Chat: all messages of a thread',
			nodes: [trigger, getMessages(ids.demoThread, { returnAll: true })],
			connections: wf.connect(start('Get Messages')),
		}),
		wf.workflow({
			id: 'acsOpsLimits0001',
			name: 'ACS Chat: the newest messages, a limit per item',
			nodes: [trigger, limits, limitItems, getMessages(ids.demoThread, { returnAll: false, limit: '={{ $json.limit }}' }, [660, 0])],
			connections: wf.connect({ ...start('Limits'), Limits: ['Limit Items'], 'Limit Items': ['Get Messages'] }),
		}),
		wf.workflow({
			id: 'acsOpsAdd0000001',
			name: 'ACS Chat: 440 participants into two threads',
			nodes: [
				trigger,
				participants,
				participantItems,
				wf.acsNode(
					'Add Participant',
					[660, 0],
					creds.token,
					{ resource: 'participant', operation: 'add', threadId: '={{ $json.threadId }}', participantId: '={{ $json.participantId }}', displayName: '={{ $json.displayName }}' },
					{ onError: 'continueErrorOutput' },
				),
			],
			connections: wf.connect({ ...start('Participants'), Participants: ['Participant Items'], 'Participant Items': ['Add Participant'] }),
		}),
		wf.workflow({
			id: 'acsOpsUser000001',
			name: 'ACS Chat: a user with a chat token, then another token',
			nodes: [
				trigger,
				wf.acsNode('Create User', [220, 0], creds.connection, { resource: 'user', operation: 'create', issueToken: true, expiresInMinutes: 60 }),
				wf.acsNode('Issue Token', [440, 0], creds.connection, {
					resource: 'user',
					operation: 'issueToken',
					userId: '={{ $json.userId }}',
					scopes: ['chat'],
					expiresInMinutes: 90,
				}),
			],
			connections: wf.connect({ ...start('Create User'), 'Create User': ['Issue Token'] }),
		}),
		wf.workflow({
			id: 'acsOpsLife000001',
			name: 'ACS Chat: create, send, list, delete',
			nodes: [
				trigger,
				wf.acsNode('Create Thread', [220, 0], creds.token, {
					resource: 'thread',
					operation: 'create',
					topic: 'E2E life of a thread',
					specifyParticipants: 'fields',
					participants: { participant: [{ participantId: ids.phone, displayName: 'Phone' }] },
				}),
				wf.acsNode('Send Message', [440, 0], creds.token, {
					resource: 'message',
					operation: 'send',
					threadId: '={{ $json.threadId }}',
					content: 'Hello from n8n',
				}),
				getMessages(created, { returnAll: true, options: { order: 'oldestFirst', excludeSystemMessages: true } }, [660, 0]),
				wf.acsNode('Delete Thread', [880, 0], creds.token, { resource: 'thread', operation: 'delete', threadId: created }),
			],
			connections: wf.connect({
				...start('Create Thread'),
				'Create Thread': ['Send Message'],
				'Send Message': ['Get Messages'],
				'Get Messages': ['Delete Thread'],
			}),
		}),
	];
}
