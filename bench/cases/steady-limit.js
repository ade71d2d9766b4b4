'use strict';

const { logCounts } = require('../emulator');
const { items, net, verdict, s } = require('../figures');

// (b) A steady limit of R requests per second, in the shapes a service may enforce it.
const RATE = 40;
const SHAPES = [
	{ label: 'fixed 1-s windows, Retry-After (whole s)', rateLimit: { shape: 'fixed', rps: RATE, retryAfter: 'seconds' } },
	{ label: 'sliding 1-s window, Retry-After (whole s)', rateLimit: { shape: 'sliding', rps: RATE, retryAfter: 'seconds' } },
	{ label: 'fixed 1-s windows, retry-after-ms', rateLimit: { shape: 'fixed', rps: RATE, retryAfter: 'ms' } },
];
const CONCURRENCY = 8;

async function steadyLimit({ n8n, emulator, sizes, print }) {
	const rows = [];
	for (const { label, rateLimit } of SHAPES) {
		for (const count of sizes.steadyLimit) {
			await emulator.reset();
			await emulator.latency(sizes.latencyMs);
			const one = await n8n.run(`get@${CONCURRENCY}`, items(1));
			await emulator.rateLimit(rateLimit);
			await emulator.clearRequests();
			const run = await n8n.run(`get@${CONCURRENCY}`, items(count));
			const counts = logCounts(await emulator.requests());
			const row = { label, rps: RATE, count, concurrency: CONCURRENCY, oneMs: one.nodeMs, netMs: net(run, one), idealMs: (count / RATE) * 1000, failed: run.failed, ...counts };
			row.factor = row.netMs / row.idealMs;
			row.extra = (row.requests - count) / count;
			row.verdict = verdict(row.factor <= 1.1 && row.failed === 0 && row.extra <= 0.1);
			rows.push(row);
			print(
				`(b) ${label}, ${RATE}/s, ${count} items, concurrency ${CONCURRENCY}: ${s(row.netMs)} s net of the 1-item run (${s(row.oneMs)} s)` +
					` = ${row.factor.toFixed(2)} x N/R ${s(row.idealMs)} s (target <= 1.1); failed ${row.failed} (target 0);` +
					` requests ${row.requests}, 429s ${row.throttled}, extra ${(row.extra * 100).toFixed(1)} % (target <= 10 %) ${row.verdict}`,
			);
		}
	}
	await emulator.reset();
	return rows;
}

module.exports = { steadyLimit };
