'use strict';

// The node in n8n's queue mode (Postgres, Redis, a main and 2 workers, e2e/host/queue.js) against the emulator with
// ACS's per-user limits: one Webhook-triggered workflow (50 items → Get Thread, connection-string credential) fired
// 20 times at once. Counted on the emulator's log: every item's answer, the tokens minted (the token lives in the
// credential's row, shared through Postgres; the minting and the throttle pacer live in each worker), what a token
// revoked mid-run costs, and the 429s beside the same runs on one n8n in regular mode on the same database.
const fs = require('node:fs');
const path = require('node:path');
const host = require('../host');
const { startQueueMode } = require('../host/queue');
const { until } = require('../host/until');
const { startEmulator } = require('../../emulator');
const wf = require('../support/workflows');
const { ownerSession } = require('../support/n8n-rest');

const WORKERS = 2;
const RUNS = 20;
const ITEMS = 50;
const WEBHOOK = 'acs-queue-load';
// Get Thread is limited to 50 per 10 s per user; scale 10 makes that 50 per second, so 1,000 reads take 20 s at best.
const EMULATOR = { acsLimits: { scale: 10 }, latencyMs: 20 };
// The node's Concurrency: 2 is what README "Running at scale" tells a team to set. At the default 8, 20 runs hold 160
// reads out at once against 50 per second, and with two workers pacing apart a few items now and then use up their
// 5 retries of 429 (3 of 1,000 in one of four runs); ACS_QUEUE_CONCURRENCY=8 measures that.
const CONCURRENCY = Number(process.env.ACS_QUEUE_CONCURRENCY ?? 2);

const mints = (requests) => requests.filter(({ path: at }) => at.endsWith('/:issueAccessToken'));
const reads = (requests) => requests.filter(({ method, path: at }) => method === 'GET' && at.startsWith('/chat/threads/'));

describe(`queue mode: ${RUNS} webhook runs × ${ITEMS} items of Get Thread (Concurrency ${CONCURRENCY}) on ${WORKERS} workers`, () => {
	let emulator;
	let userFolder;
	let prepared;
	let stack;
	let session;
	let url;
	const figures = {};

	beforeAll(async () => {
		emulator = await startEmulator({ ...wf.emulatorOptions, ...EMULATOR });
		userFolder = host.tempUserFolder('acs-e2e-queue-');
		prepared = await host.prepareHost({ userFolder });
		stack = await startQueueMode({ userFolder, workers: WORKERS });
		url = stack.main.url;
		session = await ownerSession(url);
		const credential = wf.connectionStringCredential({ id: 'queue', name: 'e2e connection string', emulator });
		const credentialId = await session.createCredential(credential);
		const workflow = wf.webhookGetThreadWorkflow({ id: 'acsE2eQueueLoad1', name: 'queue load', credential: { ...credential, id: credentialId }, path: WEBHOOK, items: ITEMS, options: { concurrency: CONCURRENCY } });
		await session.createWorkflow(workflow);
		await session.activateWorkflow(workflow.id);
	});

	afterAll(async () => {
		await stack?.stop();
		await emulator?.close();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		if (prepared) fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
		host.log(`queue-mode figures: ${JSON.stringify(figures)}`);
	});

	async function finishedExecutions() {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: 'acsE2eQueueLoad1' }));
		const { data } = await session.get(`/rest/executions?filter=${filter}&limit=100`);
		return data.results;
	}

	/**
	 * Activation returns before the main serves the webhook. A GET answers 404 either way, but once the POST webhook is
	 * registered n8n's answer asks for a POST instead of saying there is none; the probe starts no execution.
	 */
	const webhookLive = () =>
		until('the webhook registered', async () => {
			const answer = await fetch(`${url}/webhook/${WEBHOOK}`);
			return /Did you mean to make a POST request/.test(await answer.text());
		});

	/**
	 * Fires RUNS webhook calls at once, waits for their executions to end (calling `during` with the emulator's log
	 * meanwhile) and resolves with { executions: [{ id, status, ok, failed }], requests, ms }.
	 */
	async function fire({ during = () => {} } = {}) {
		await webhookLive();
		const before = new Set((await finishedExecutions()).map(({ id }) => id));
		emulator.clearRequests();
		emulator.faults.clear();
		const started = Date.now();
		const answers = await Promise.all(
			Array.from({ length: RUNS }, (_, run) => fetch(`${url}/webhook/${WEBHOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ run }) })),
		);
		expect(answers.map(({ status }) => status)).toEqual(Array(RUNS).fill(200));
		const ended = await host.step(`${RUNS} executions`, () =>
			until(
				`${RUNS} finished executions`,
				async () => {
					await during(emulator.requests());
					const mine = (await finishedExecutions()).filter(({ id }) => !before.has(id));
					return mine.length === RUNS && mine.every(({ status }) => !['new', 'running', 'waiting'].includes(status)) && mine;
				},
				{ timeoutMs: 5 * 60_000, everyMs: 500 },
			),
		);
		const ms = Date.now() - started;
		const executions = [];
		for (const { id } of ended) {
			const execution = await session.execution(id);
			const { runData } = execution.data.resultData;
			executions.push({
				id,
				status: execution.status,
				ok: host.nodeItems(runData, 'Get Thread', { output: 0 }).length,
				failed: host.nodeItems(runData, 'Get Thread', { output: 1 }).map(({ json }) => json),
			});
		}
		return { executions, requests: emulator.requests(), ms };
	}

	function summary({ executions, requests, ms }) {
		return {
			items: executions.reduce((sum, { ok }) => sum + ok, 0),
			failed: executions.reduce((sum, { failed }) => sum + failed.length, 0),
			reads: reads(requests).length,
			throttled: reads(requests).filter(({ status }) => status === 429).length,
			mints: mints(requests).length,
			seconds: Number((ms / 1000).toFixed(1)),
		};
	}

	test(`all ${RUNS * ITEMS} items succeed, both workers run executions, and the whole run mints at most one token per worker`, async () => {
		const result = await fire();
		figures.queue = { ...summary(result), byWorker: {} };
		for (const { id } of result.executions) {
			const worker = stack.ranBy(id) ?? 'unknown';
			figures.queue.byWorker[worker] = (figures.queue.byWorker[worker] ?? 0) + 1;
		}
		host.log(`queue mode: ${JSON.stringify(figures.queue)}`);

		expect(result.executions.map(({ status }) => status)).toEqual(Array(RUNS).fill('success'));
		expect(result.executions.flatMap(({ failed }) => failed)).toEqual([]);
		expect(figures.queue.items).toBe(RUNS * ITEMS);
		expect(Object.keys(figures.queue.byWorker).sort()).toEqual(stack.workers.map(({ name }) => name));
		expect(figures.queue.mints).toBeGreaterThanOrEqual(1);
		expect(figures.queue.mints).toBeLessThanOrEqual(WORKERS);
	});

	test('a token revoked mid-run: every item still succeeds, and each worker mints at most once more', async () => {
		const { signRequest } = require(path.join(prepared.installedAt, 'dist', 'nodes', 'AcsChat', 'transport', 'accessKey.js'));
		let revokedAt;
		const revoke = async () => {
			const target = `${emulator.url}/identities/${encodeURIComponent(emulator.demoUserId)}/:revokeAccessTokens?api-version=2023-10-01`;
			const answer = await fetch(target, { method: 'POST', headers: signRequest({ method: 'POST', url: target, body: '', accessKey: emulator.key }) });
			expect(answer.status).toBe(204);
		};
		const result = await fire({
			during: async (requests) => {
				if (revokedAt === undefined && reads(requests).filter(({ status }) => status === 200).length >= (RUNS * ITEMS) / 4) {
					revokedAt = requests.length;
					await revoke();
				}
			},
		});
		const after = result.requests.slice(revokedAt);
		figures.revoked = { ...summary(result), mintsAfterRevoke: mints(after).length, refusedAfterRevoke: reads(after).filter(({ status }) => status === 401).length };
		host.log(`revoked mid-run: ${JSON.stringify(figures.revoked)}`);

		expect(revokedAt).toBeDefined();
		expect(figures.revoked.refusedAfterRevoke).toBeGreaterThan(0);
		expect(result.executions.flatMap(({ failed }) => failed)).toEqual([]);
		expect(figures.revoked.items).toBe(RUNS * ITEMS);
		expect(figures.revoked.mintsAfterRevoke).toBeGreaterThanOrEqual(1);
		expect(figures.revoked.mintsAfterRevoke).toBeLessThanOrEqual(WORKERS);
	});

	test('the same runs on one n8n in regular mode: every item succeeds; the 429s beside those of the two workers', async () => {
		await stack.stopN8n();
		// On the queue main's port: the owner's session goes on, its cookie signed with a secret the shared key derives.
		await stack.startMain('regular');
		const result = await fire();
		figures.regular = summary(result);
		host.log(`regular mode: ${JSON.stringify(figures.regular)}; queue mode: ${JSON.stringify(figures.queue)}`);

		expect(result.executions.flatMap(({ failed }) => failed)).toEqual([]);
		expect(figures.regular.items).toBe(RUNS * ITEMS);
	});
});
