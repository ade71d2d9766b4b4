'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const host = require('../e2e/host');
const { ownerSession } = require('./n8n-rest');
const { cpuMs, rssBytes, rssPeak } = require('./proc');
const { monotonicUs } = require('./profile');
const { credentials, workflows, DEMO_THREAD, ABSENT_PARTICIPANT } = require('./workflows');

/**
 * A real n8n (`n8n start`, e2e/host's install) with the packed package installed, the benchmark's credentials
 * and workflows created and published through its REST API as the editor does, and a counter of credential
 * decryptions preloaded. `run()` posts items to a workflow's production webhook, waits for the saved execution
 * and reads the tested node's own time (n8n's `executionTime` for it), its output counts, and the n8n process's
 * CPU time over the run. One instance serves many runs; `stop()` ends it and removes its user folder.
 */
async function startBenchN8n({ emulator, cpuProfileDir, logFile }) {
	const userFolder = host.tempUserFolder('acs-bench-');
	const countsDir = path.join(userFolder, 'counts');
	fs.mkdirSync(countsDir);
	const prepared = await host.prepareHost({ userFolder, build: false });
	const nodeOptions = [`--require=${path.join(__dirname, 'count-decrypts.js')}`];
	if (cpuProfileDir) nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`);
	const output = fs.createWriteStream(logFile, { flags: 'a' });
	const n8n = await host.step('n8n start', async () =>
		host.startN8n({
			userFolder,
			port: await host.freePort(),
			brokerPort: await host.freePort(),
			env: { NODE_OPTIONS: nodeOptions.join(' '), BENCH_COUNTS_DIR: countsDir },
			secrets: [emulator.demoToken],
			onOutput: (text) => output.write(text),
		}),
	);
	const session = await ownerSession(n8n.url);
	const created = {};
	for (const [key, credential] of Object.entries(credentials(emulator))) {
		const { id, name } = await session.createCredential(credential);
		created[key] = { id, name };
	}
	const flows = workflows({ emulatorUrl: emulator.url, ...created });
	const ids = {};
	for (const [key, { workflow }] of Object.entries(flows)) ids[key] = await session.publishWorkflow(workflow);
	const lastExecution = {};

	const post = (key, body) =>
		fetch(`${n8n.url}/webhook/${flows[key].path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	async function finishedExecution(key) {
		for (let waited = 0; waited < 120_000; waited += 50) {
			const latest = await session.latestExecution(ids[key]);
			if (latest && latest.id !== lastExecution[key] && !['new', 'running'].includes(latest.status)) {
				lastExecution[key] = latest.id;
				return latest;
			}
			await sleep(50);
		}
		throw new Error(`no finished execution of ${key} after 120 s`);
	}

	/**
	 * Runs workflow `key` on `items`. Resolves with { nodeMs, wallMs, cpuMs, ok, failed, startedAt, startedUs,
	 * answeredUs } (the last two: the webhook call on the monotonic clock) and, with `rss`, { rssBefore, rssPeak }. `runData: false` skips reading the run data back (large runs): nodeMs is
	 * then the whole execution's time.
	 */
	async function run(key, items, { rss = false, runData = true } = {}) {
		const cpuBefore = cpuMs(n8n.pid);
		const rssBefore = rss ? rssBytes(n8n.pid) : undefined;
		const sampler = rss ? rssPeak(n8n.pid) : undefined;
		const startedUs = monotonicUs();
		const response = await post(key, { items });
		const answer = await response.text();
		const answeredUs = monotonicUs();
		const wallMs = (answeredUs - startedUs) / 1000;
		const peak = sampler?.stop();
		if (response.status !== 200) throw new Error(`webhook ${key} answered ${response.status}: ${answer.slice(0, 500)}`);
		const summary = await finishedExecution(key);
		const result = { wallMs, startedUs, answeredUs, cpuMs: cpuMs(n8n.pid) - cpuBefore, rssBefore, rssPeak: peak, status: summary.status };
		if (!runData) {
			return { ...result, nodeMs: Date.parse(summary.stoppedAt) - Date.parse(summary.startedAt), ok: undefined, failed: undefined };
		}
		const { data } = await session.execution(summary.id);
		const task = data.resultData.runData[flows[key].nodeName]?.[0];
		if (!task?.data) throw new Error(`${key}: the node did not finish (${summary.status}): ${JSON.stringify(data.resultData.error ?? task?.error)?.slice(0, 500)}`);
		return { ...result, nodeMs: task.executionTime, startedAt: task.startTime, ok: task.data.main[0]?.length ?? 0, failed: task.data.main[1]?.length ?? 0 };
	}

	/** Waits until every published webhook answers (n8n registers them shortly after publishing), running each once. */
	async function warmUp() {
		for (const key of Object.keys(flows)) {
			for (let tries = 0; ; tries++) {
				const response = await post(key, { items: [warmUpItem(key)] });
				await response.arrayBuffer();
				if (response.status === 200) break;
				if (response.status !== 404 || tries > 120) throw new Error(`webhook ${key} answered ${response.status}`);
				await sleep(500);
			}
			await finishedExecution(key);
		}
	}

	/** Credential decryptions n8n made so far (bench/count-decrypts.js). */
	async function decrypts() {
		const file = path.join(countsDir, `decrypts-${n8n.pid}.json`);
		const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
		const askedAt = Date.now();
		process.kill(n8n.pid, 'SIGUSR2');
		for (let waited = 0; waited < 5000; waited += 20) {
			await sleep(20);
			if (fs.existsSync(file) && fs.statSync(file).mtimeMs !== before) {
				const counts = JSON.parse(fs.readFileSync(file, 'utf8'));
				if (counts.at >= askedAt) return counts.decrypts;
			}
		}
		throw new Error('n8n did not report its decryption count');
	}

	return {
		pid: n8n.pid,
		warmUp,
		run,
		decrypts,
		async stop() {
			await n8n.stop();
			output.end();
			fs.rmSync(userFolder, { recursive: true, force: true });
			fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
		},
	};
}

/** An item every workflow accepts. */
function warmUpItem(key) {
	if (key.startsWith('reads@')) return { threadId: DEMO_THREAD };
	if (key.startsWith('removals@')) return { threadId: DEMO_THREAD, participantId: ABSENT_PARTICIPANT };
	return {};
}

module.exports = { startBenchN8n };
