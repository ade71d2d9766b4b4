'use strict';

// What a refused token costs, counted on the emulator's request log, in a real n8n (`n8n start`, runs started
// the way the editor starts them): 40 items of Get Thread whose token the service refuses must cost at most one
// request more than the same 40 items with a good token in the same state, and every item must fail with the
// clear 401 message. Each credential acts as a user of its own, so what n8n or the package remembers for one
// cannot serve another; the emulator's switch that refuses every token of a user stands for a revocation.
const crypto = require('node:crypto');
const host = require('./host');
const { startEmulator } = require('../emulator');
const wf = require('./support/workflows');
const { liveN8n } = require('./support/live-n8n');
const { leakCheck } = require('./support/leaks');

const { ids } = wf;
const ITEMS = 40;
const { seed, users } = wf.seedWithDemoThreadUsers(4);
const [pastedUser, expiredUser, mintUser, refusedUser] = users;

/** Manual Trigger → ITEMS items → Get Thread, failed items to its error output. */
function fortyReads(id, credential) {
	const trigger = wf.manualTrigger();
	return wf.workflow({
		id,
		name: `${ITEMS} reads with ${credential.name}`,
		nodes: [
			trigger,
			...wf.splitItems(['Thread IDs', 'Split Out'], [[220, 0], [440, 0]], 'threadId', Array(ITEMS).fill(ids.demoThread)),
			wf.getThread('Get Thread', [660, 0], credential, '={{ $json.threadId }}', { onError: 'continueErrorOutput' }),
		],
		connections: wf.connect({ [trigger.name]: ['Thread IDs'], 'Thread IDs': ['Split Out'], 'Split Out': ['Get Thread'] }),
	});
}

describe(`${ITEMS} items whose token the service refuses, in a real n8n`, () => {
	const leaks = leakCheck();
	let emulator;
	let live;
	let creds;

	/** Runs the workflow and resolves with its items per output and the requests it cost, by kind. */
	async function run(workflowId) {
		emulator.clearRequests();
		const execution = await live.session.run(workflowId);
		expect(execution.status).toBe('success');
		const { runData } = execution.data.resultData;
		const requests = emulator.requests();
		return {
			ok: host.nodeItems(runData, 'Get Thread', { output: 0 }).map(({ json }) => json),
			failed: host.nodeItems(runData, 'Get Thread', { output: 1 }).map(({ json }) => json),
			chat: requests.filter(({ path }) => path.startsWith('/chat/')).length,
			identity: requests.filter(({ path }) => path.startsWith('/identities/')).length,
		};
	}

	const total = ({ chat, identity }) => chat + identity;
	const report = (label, good, refused) =>
		host.log(`${label}: good token ${good.chat} chat + ${good.identity} identity requests; refused ${refused.chat} chat + ${refused.identity} identity (${refused.failed.length} of ${ITEMS} items failed)`);

	function expectEveryItemFailedWithThe401(refused, reason) {
		expect(refused.ok).toEqual([]);
		expect(refused.failed).toHaveLength(ITEMS);
		for (const item of refused.failed) {
			expect(item.details).toMatchObject({ httpCode: 401 });
			expect(item.error).toMatch(/401/);
			expect(item.error).toMatch(reason);
		}
	}

	beforeAll(async () => {
		emulator = await startEmulator({ seed, key: crypto.randomBytes(64).toString('base64') });
		leaks.plant('the access key', emulator.key);
		leaks.plant('the connection string', emulator.connectionString, { pieces: false });
		const pasted = emulator.issueToken({ userId: pastedUser });
		const expired = emulator.issueToken({ userId: expiredUser, expiresOn: Date.now() - 60 * 60 * 1000 });
		leaks.plant('the pasted token', pasted);
		leaks.plant('the expired pasted token', expired);
		creds = {
			pasted: wf.accessTokenCredential({ id: 'acsE2eCostToken1', name: 'good pasted token', endpoint: emulator.url, accessToken: pasted }),
			expired: wf.accessTokenCredential({ id: 'acsE2eCostExpir1', name: 'expired pasted token', endpoint: emulator.url, accessToken: expired }),
			minted: wf.connectionStringCredential({ id: 'acsE2eCostMint01', name: 'connection string', emulator, userId: mintUser }),
			refused: wf.connectionStringCredential({ id: 'acsE2eCostRefus1', name: 'connection string, tokens refused', emulator, userId: refusedUser }),
		};
		live = await liveN8n({
			credentials: Object.values(creds),
			workflows: Object.entries(creds).map(([name, credential]) => fortyReads(`acsE2eCost_${name}`, credential)),
		});
	});

	afterAll(async () => {
		await live?.remove();
		await emulator?.close();
	});

	test('a pasted token that had expired before its first use: at most one request more than a good one, every item fails with the 401', async () => {
		const good = await run('acsE2eCost_pasted');
		expect(good.ok).toHaveLength(ITEMS);
		const refused = await run('acsE2eCost_expired');
		report('pasted token, expired before its first use', good, refused);
		expectEveryItemFailedWithThe401(refused, /The access token has expired/);
		expect(refused.identity).toBe(0);
		expect(refused.chat).toBeLessThanOrEqual(good.chat + 1);
	});

	test('a pasted token the service refuses after it was checked (revoked or expired since): at most one request more than while it was good', async () => {
		// The first test ran this credential once, so n8n holds it as checked; this run is the good one to compare with.
		const good = await run('acsE2eCost_pasted');
		expect(good.ok).toHaveLength(ITEMS);
		emulator.refuseTokensOf(pastedUser);
		const refused = await run('acsE2eCost_pasted');
		report('pasted token, refused after it was checked', good, refused);
		expectEveryItemFailedWithThe401(refused, /revoked/);
		expect(refused.identity).toBe(0);
		expect(refused.chat).toBeLessThanOrEqual(good.chat + 1);
	});

	test('a connection string whose minted tokens are refused: at most one request more than when they are not, every item fails with the 401', async () => {
		const good = await run('acsE2eCost_minted');
		expect(good.ok).toHaveLength(ITEMS);
		expect(good.identity).toBe(1);
		emulator.refuseTokensOf(refusedUser);
		const refused = await run('acsE2eCost_refused');
		report('connection string, every minted token refused', good, refused);
		expectEveryItemFailedWithThe401(refused, /revoked/);
		expect(refused.identity).toBeLessThanOrEqual(2);
		expect(total(refused)).toBeLessThanOrEqual(total(good) + 1);
	});

	test('no key, connection string, pasted or minted token appears in any answer, output, log, file or database row of n8n', async () => {
		await live.stop();
		const minted = emulator.issuedTokens();
		expect(minted.length).toBeGreaterThanOrEqual(2);
		for (const { userId, token } of minted) leaks.plant(`a token minted for ${userId}`, token);
		expect(leaks.find(live.leakSources())).toEqual([]);
	});
});
