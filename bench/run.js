'use strict';

// npm run bench [-- --smoke] [-- --only=abcdgjmrp]: the node inside a real n8n against the emulator, beside n8n's own
// HTTP Request node. Prints every figure with its target and PASS/MISS (never asserts) and writes bench/results.md
// (smoke: .cache/bench/results-smoke.md). Method: bench/report.js. Parts: a early refusal, b steady limit, c ACS
// limits, d per-item overhead, p its CPU profile, m memory, r require() time, g Get Many (Return All over one
// thread's messages), j participants (Add batched per thread, then Remove, under ACS's limits). ACS_E2E_PACKAGE_ROOT
// packs another checkout (e.g. an older commit), as in the e2e suite. The bench threads: 0-19 for (c)'s reads,
// 20-21 for its removals, 22-26 for (j), 27 for (g).

const fs = require('node:fs');
const path = require('node:path');
const host = require('../e2e/host');
const { startEmulatorProcess } = require('./emulator');
const { startBenchN8n } = require('./n8n');
const { benchSeed } = require('./workflows');
const { items } = require('./figures');
const { earlyRefusal } = require('./cases/early-refusal');
const { steadyLimit } = require('./cases/steady-limit');
const { acsLimits } = require('./cases/acs-limits');
const { getMany } = require('./cases/get-many');
const { participants } = require('./cases/participants');
const { overhead, overheadProfile } = require('./cases/overhead');
const { memory } = require('./cases/memory');
const { requireTime } = require('./cases/require-time');
const { report } = require('./report');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, '.cache/bench');
const SMOKE = process.argv.includes('--smoke');
const ONLY = /^--only=([abcdgjmrp]+)$/.exec(process.argv.find((arg) => arg.startsWith('--only=')) ?? '')?.[1];

const SIZES = SMOKE
	? { latencyMs: 20, earlyRefusal: 100, steadyLimit: [200], acsLimits: { reads: 150, removals: 40 }, getMany: 1000, participants: 100, overhead: { count: 200, repeats: 1 }, memory: [500], warmUp: 50 }
	: { latencyMs: 20, earlyRefusal: 200, steadyLimit: [200, 2000], acsLimits: { reads: 400, removals: 120 }, getMany: 10_000, participants: 1000, overhead: { count: 2000, repeats: 3 }, memory: [1000, 10_000], warmUp: 200 };

async function main() {
	const started = performance.now();
	const packageRoot = process.env.ACS_E2E_PACKAGE_ROOT || ROOT;
	if (!fs.existsSync(path.join(packageRoot, 'dist/nodes/AcsChat/AcsChat.node.js'))) throw new Error(`no build in ${packageRoot}: run npm run build there`);
	// By default the smoke run skips the profile (a second n8n start); the full run does it.
	const runs = (part) => (ONLY ? ONLY.includes(part) : part !== 'p' || !SMOKE);
	fs.mkdirSync(CACHE, { recursive: true });
	const logFile = path.join(CACHE, 'n8n.log');
	fs.writeFileSync(logFile, '');
	const { seed, threadIds } = benchSeed(28);
	const seedFile = path.join(CACHE, 'seed.json');
	fs.writeFileSync(seedFile, JSON.stringify(seed));
	const print = (line) => console.log(line);

	const emulator = await startEmulatorProcess({ seedFile });
	const results = {};
	try {
		const start = (extra = {}) => startBenchN8n({ emulator, logFile, ...extra });
		if (['a', 'b', 'c', 'd', 'g', 'j', 'm'].some(runs)) {
			const n8n = await start();
			try {
				await n8n.warmUp();
				// The first runs of a fresh process are slower (lazy loading, cold JIT) than anything a user meets twice.
				for (const key of ['get@8', 'reads@8', 'httpBatched', 'http']) await n8n.run(key, items(SIZES.warmUp, () => ({ threadId: threadIds[0] })));
				const ctx = { n8n, emulator, sizes: SIZES, threadIds, print };
				// Smoke sizes measure memory in the shared instance, first, before other runs' garbage.
				if (SMOKE && runs('m')) results.memory = await memory(ctx);
				// Per-item cost is measured unthrottled, so before the throttled cases: after them the node keeps
				// pacing the same user for a few quiet periods (ACS's limits do not lift), which would be counted as cost.
				if (runs('d')) results.d = await overhead(ctx);
				if (runs('a')) results.a = await earlyRefusal(ctx);
				if (runs('b')) results.b = await steadyLimit(ctx);
				if (runs('c')) results.c = await acsLimits(ctx);
				if (runs('g')) results.g = await getMany(ctx);
				if (runs('j')) results.j = await participants(ctx);
			} finally {
				await n8n.stop();
			}
		}
		if (!SMOKE && runs('m')) results.memory = await memory({ startFresh: start, emulator, sizes: SIZES, print });
		if (runs('p')) {
			const profileDir = fs.mkdtempSync(path.join(CACHE, 'profile-'));
			results.profile = await overheadProfile({ startProfiled: () => start({ cpuProfileDir: profileDir }), emulator, sizes: SIZES, profileDir, print });
			print(`(d) profiles kept in ${path.relative(ROOT, profileDir)}`);
		}
		if (runs('r')) results.requireTime = requireTime({ packageRoot, print });
	} finally {
		await emulator.close();
	}
	if (ONLY) return;
	const markdown = report({ results, sizes: SIZES, smoke: SMOKE, seconds: (performance.now() - started) / 1000, packageRoot, n8nVersion: host.N8N_VERSION });
	const target = SMOKE ? path.join(CACHE, 'results-smoke.md') : path.join(__dirname, 'results.md');
	fs.writeFileSync(target, markdown);
	print(`written to ${path.relative(ROOT, target)}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
