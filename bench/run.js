'use strict';

// npm run bench [-- --smoke]: the node executed by n8n-core against the emulator, next to a raw fetch loop.
// Prints figures and targets (never asserts them) and writes bench/results.md (smoke: .cache/bench/results-smoke.md).
// The harness is test/harness/runNode.ts compiled by `tsc -p bench/tsconfig.json` into .cache/bench. The emulator
// runs in its own process, so its work is not counted against the node or the raw client.

const { execFileSync, fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const HARNESS = path.join(ROOT, '.cache/bench/test/harness/runNode.js');
const DEMO_THREAD = '19:acsV1_emulatorDemoThread0000000000@thread.v2';
const SMOKE = process.argv.includes('--smoke');
// --only=bc runs just those parts and prints them, leaving the results file alone.
const ONLY = /^--only=([abcd]+)$/.exec(process.argv.find((arg) => arg.startsWith('--only=')) ?? '')?.[1];

const SIZES = SMOKE
	? { latencyMs: 20, throughput: { 1: 100, 8: 400, 32: 400 }, rateLimit: { rps: 100, items: 300 }, memory: [1_000, 5_000] }
	: { latencyMs: 20, throughput: { 1: 1_000, 8: 10_000, 32: 10_000 }, rateLimit: { rps: 200, items: 10_000 }, memory: [10_000, 100_000] };

const getThread = (options) => ({
	resource: 'thread',
	operation: 'get',
	threadId: { __rl: true, mode: 'id', value: DEMO_THREAD },
	options,
});

// The credential's one-off token check is already done, as after the first run of a workflow.
const credentialFor = (emulator) => ({ endpoint: emulator.url, accessToken: emulator.demoToken, sessionToken: 'verified' });

/** The emulator CLI in a child process, driven through its admin endpoints. */
async function startEmulatorProcess() {
	const child = fork(path.join(ROOT, 'emulator/cli.js'), ['--port', '0'], { silent: true });
	const { url, token } = await new Promise((resolve, reject) => {
		let seen = '';
		child.stdout.on('data', (chunk) => {
			seen += chunk;
			const listening = /listening on (http:\/\/\S+)/.exec(seen);
			const demo = /demo token \(user [^)]*\): (\S+)/.exec(seen);
			if (listening && demo) resolve({ url: listening[1], token: demo[1] });
		});
		child.on('exit', () => reject(new Error(`emulator exited: ${seen}`)));
	});
	const admin = async (method, route, body) => {
		const response = await fetch(`${url}/admin/${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return response.headers.get('content-type')?.includes('json') ? await response.json() : undefined;
	};
	return {
		url,
		demoToken: token,
		reset: () => admin('POST', 'reset'),
		latency: (ms) => admin('PUT', 'latency', { ms }),
		rateLimit: (rps) => admin('PUT', 'rate-limit', { rps }),
		requests: async () => (await admin('GET', 'requests')).requests,
		clearRequests: () => admin('DELETE', 'requests'),
		close: async () => {
			child.kill();
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

async function runNode(emulator, count, options) {
	const { runAcsChat } = require(HARNESS);
	const started = performance.now();
	const result = await runAcsChat({
		parameters: getThread(options),
		items: Array.from({ length: count }, () => ({})),
		credential: credentialFor(emulator),
		onError: 'continueErrorOutput',
	});
	const seconds = (performance.now() - started) / 1000;
	if (result.error) throw new Error(`node run failed: ${result.error.message}`);
	return { seconds, ok: result.success.length, failed: result.errorOutput.length };
}

async function runRaw(emulator, count, concurrency) {
	const url = `${emulator.url}/chat/threads/${encodeURIComponent(DEMO_THREAD)}?api-version=2024-03-07`;
	const headers = { Authorization: `Bearer ${emulator.demoToken}`, Accept: 'application/json' };
	let next = 0;
	let ok = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				next++;
				const response = await fetch(url, { headers });
				await response.json();
				if (response.ok) ok++;
			}
		}),
	);
	return { seconds: (performance.now() - started) / 1000, ok };
}

async function throughput(emulator) {
	await emulator.reset();
	await emulator.latency(SIZES.latencyMs);
	const rows = [];
	for (const [concurrency, count] of Object.entries(SIZES.throughput).map(([c, n]) => [Number(c), n])) {
		const raw = await runRaw(emulator, count, concurrency);
		await emulator.clearRequests();
		const node = await runNode(emulator, count, { concurrency });
		const requests = (await emulator.requests()).length;
		await emulator.clearRequests();
		const row = {
			concurrency,
			count,
			node: node.ok / node.seconds,
			raw: raw.ok / raw.seconds,
			nodeFailed: node.failed,
			requests,
		};
		row.ratio = row.node / row.raw;
		rows.push(row);
		console.log(
			`(a) c=${concurrency} n=${count}: node ${row.node.toFixed(0)} items/s, raw ${row.raw.toFixed(0)} req/s, ratio ${row.ratio.toFixed(2)}` +
				`${concurrency > 1 ? ' (target >= 0.9)' : ''}; node failed ${node.failed}, requests ${requests}`,
		);
	}
	return rows;
}

async function rateLimited(emulator) {
	const { rps, items } = SIZES.rateLimit;
	// Loaded before draining: n8n-core takes longer to load than the bucket takes to refill.
	require(HARNESS);
	await emulator.reset();
	await emulator.latency(SIZES.latencyMs);
	const rows = [];
	for (const concurrency of [8, 32]) {
		await emulator.rateLimit(rps);
		await drain(emulator, rps);
		const node = await runNode(emulator, items, { concurrency });
		const log = await emulator.requests();
		await emulator.clearRequests();
		const row = {
			concurrency,
			rps,
			items,
			seconds: node.seconds,
			ideal: items / rps,
			failed: node.failed,
			requests: log.length,
			throttled: log.filter((request) => request.status === 429).length,
		};
		row.factor = row.seconds / row.ideal;
		rows.push(row);
		console.log(
			`(b) R=${rps}/s n=${items} c=${concurrency}: ${row.seconds.toFixed(1)} s = ${row.factor.toFixed(3)} x ideal ${row.ideal.toFixed(1)} s (target <= 1.1),` +
				` failed ${row.failed} (target 0), requests ${row.requests} of which 429: ${row.throttled}`,
		);
	}
	return rows;
}

/** Spends the bucket's burst, so the run starts at the steady rate and the burst does not flatter the figure. */
async function drain(emulator, rps) {
	const url = `${emulator.url}/chat/threads?api-version=2024-03-07`;
	const headers = { Authorization: `Bearer ${emulator.demoToken}` };
	await Promise.all(Array.from({ length: rps + 1 }, async () => await (await fetch(url, { headers })).arrayBuffer()));
	await emulator.clearRequests();
}

function memory() {
	const rows = [];
	for (const count of SIZES.memory) {
		const output = execFileSync(process.execPath, ['--expose-gc', __filename, '--memory-child', String(count)], {
			encoding: 'utf8',
		});
		const row = JSON.parse(output.trim().split('\n').pop());
		rows.push(row);
		console.log(
			`(c) n=${count}: peak RSS ${mb(row.peakRss)} MB, baseline ${mb(row.baseline)} MB, growth ${mb(row.peakRss - row.baseline)} MB` +
				` (${((row.peakRss - row.baseline) / count / 1024).toFixed(2)} KB/item; target < 300 MB at 100,000 and linear), ${row.seconds.toFixed(1)} s`,
		);
	}
	return rows;
}

async function memoryChild(count) {
	const emulator = await startEmulatorProcess();
	const { runAcsChat } = require(HARNESS);
	global.gc();
	const baseline = process.memoryUsage().rss;
	const started = performance.now();
	const result = await runAcsChat({
		parameters: getThread({ concurrency: 32 }),
		items: Array.from({ length: count }, (_, index) => ({ index })),
		credential: credentialFor(emulator),
	});
	const seconds = (performance.now() - started) / 1000;
	const peakRss = process.resourceUsage().maxRSS * 1024;
	await emulator.close();
	if (result.error || result.success.length !== count) throw new Error(`memory run failed: ${result.error?.message}`);
	console.log(JSON.stringify({ count, baseline, peakRss, seconds }));
}

function requireTime() {
	const script = (withHost) => `
		${withHost ? "require('n8n-workflow');" : ''}
		const started = performance.now();
		require(${JSON.stringify(path.join(ROOT, 'dist/nodes/AcsChat/AcsChat.node.js'))});
		require(${JSON.stringify(path.join(ROOT, 'dist/credentials/AzureCommunicationServicesApi.credentials.js'))});
		console.log(performance.now() - started);`;
	const median = (withHost) => {
		const times = Array.from({ length: 7 }, () =>
			Number(execFileSync(process.execPath, ['-e', script(withHost)], { cwd: ROOT, encoding: 'utf8' })),
		).sort((a, b) => a - b);
		return times[3];
	};
	const row = { own: median(true), cold: median(false) };
	console.log(
		`(d) require() of the built node + credential: ${row.own.toFixed(1)} ms with n8n-workflow already loaded (as in n8n; target < 50 ms),` +
			` ${row.cold.toFixed(1)} ms including n8n-workflow itself (median of 7)`,
	);
	return row;
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);

function report({ a, b, c, d, seconds }) {
	const cpu = os.cpus();
	const lines = [
		`# Benchmark results${SMOKE ? ' (smoke sizes)' : ''}`,
		'',
		`- Date: ${new Date().toISOString()}`,
		`- Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${mb(os.totalmem())} MB RAM, ${os.type()} ${os.release()}`,
		`- Node ${process.version}, n8n-core ${require('n8n-core/package.json').version}, n8n-workflow ${require('n8n-workflow/package.json').version}`,
		`- Emulator on loopback (http), added latency ${SIZES.latencyMs} ms per request; the node runs through n8n-core's WorkflowExecute (test/harness/runNode.ts)`,
		`- Whole run: ${seconds.toFixed(0)} s`,
		'',
		'## (a) Throughput: Get Thread, node vs raw fetch at the same concurrency',
		'',
		'| concurrency | items | node items/s | raw fetch req/s | node/raw | target |',
		'|---:|---:|---:|---:|---:|---|',
		...a.map(
			(row) =>
				`| ${row.concurrency} | ${row.count} | ${row.node.toFixed(0)} | ${row.raw.toFixed(0)} | ${row.ratio.toFixed(2)} | ${row.concurrency > 1 ? '>= 0.9' : '-'} |`,
		),
		'',
		`## (b) Under a rate limit with 429 + Retry-After (bucket drained first)`,
		'',
		'| concurrency | R/s | items | seconds | ideal N/R | factor | failed items | requests | 429s |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		...b.map(
			(row) =>
				`| ${row.concurrency} | ${row.rps} | ${row.items} | ${row.seconds.toFixed(1)} | ${row.ideal.toFixed(1)} | ${row.factor.toFixed(3)} | ${row.failed} | ${row.requests} | ${row.throttled} |`,
		),
		'',
		'Targets: factor <= 1.1, 0 failed items.',
		'',
		'## (c) Peak RSS (fresh process, concurrency 32, no added latency)',
		'',
		'| items | baseline MB | peak RSS MB | growth MB | KB/item | seconds |',
		'|---:|---:|---:|---:|---:|---:|',
		...c.map(
			(row) =>
				`| ${row.count} | ${mb(row.baseline)} | ${mb(row.peakRss)} | ${mb(row.peakRss - row.baseline)} | ${((row.peakRss - row.baseline) / row.count / 1024).toFixed(2)} | ${row.seconds.toFixed(1)} |`,
		),
		'',
		'Target: growth linear in items and < 300 MB at 100,000.',
		'',
		'## (d) require() time of the built node and credential (median of 7 fresh processes)',
		'',
		`- with n8n-workflow already loaded, as in n8n: ${d.own.toFixed(1)} ms (target < 50 ms)`,
		`- including loading n8n-workflow itself: ${d.cold.toFixed(1)} ms`,
		'',
	];
	return lines.join('\n');
}

async function main() {
	if (process.argv[2] === '--memory-child') return await memoryChild(Number(process.argv[3]));
	if (!fs.existsSync(HARNESS)) throw new Error('Run `tsc -p bench/tsconfig.json` first (npm run bench does).');
	const started = performance.now();
	const emulator = await startEmulatorProcess();
	try {
		const runs = (part) => !ONLY || ONLY.includes(part);
		const a = runs('a') && (await throughput(emulator));
		const b = runs('b') && (await rateLimited(emulator));
		const c = runs('c') && memory();
		const d = runs('d') && requireTime();
		if (ONLY) return;
		const markdown = report({ a, b, c, d, seconds: (performance.now() - started) / 1000 });
		const target = SMOKE ? path.join(ROOT, '.cache/bench/results-smoke.md') : path.join(__dirname, 'results.md');
		fs.writeFileSync(target, markdown);
		console.log(`written to ${path.relative(ROOT, target)}`);
	} finally {
		await emulator.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
