'use strict';

const { logCounts } = require('../emulator');
const { items, net, verdict, s } = require('../figures');

// (a) One early refusal, then no limit: the run may lose the wait it was asked for, not more.
const FIRST_ANSWERS = [
	{ label: '429 Retry-After: 1', fault: { kind: 'throttle', retryAfter: 1 } },
	{ label: '503 without header', fault: { kind: 'unavailable' } },
];

async function earlyRefusal({ n8n, emulator, sizes, print }) {
	const count = sizes.earlyRefusal;
	const rows = [];
	for (const concurrency of [8, 32]) {
		const fresh = async () => {
			await emulator.reset();
			await emulator.latency(sizes.latencyMs);
		};
		await fresh();
		const one = await n8n.run(`get@${concurrency}`, items(1));
		await emulator.clearRequests();
		const clean = await n8n.run(`get@${concurrency}`, items(count));
		const cleanNet = net(clean, one);
		for (const { label, fault } of FIRST_ANSWERS) {
			await fresh();
			await emulator.fault(fault);
			const run = await n8n.run(`get@${concurrency}`, items(count));
			const row = {
				concurrency,
				count,
				label,
				oneMs: one.nodeMs,
				cleanNetMs: cleanNet,
				netMs: net(run, one),
				targetMs: 1000 + 1.1 * cleanNet,
				failed: run.failed,
				...logCounts(await emulator.requests()),
			};
			row.verdict = verdict(row.netMs <= row.targetMs && row.failed === 0);
			rows.push(row);
			print(
				`(a) ${count} items, concurrency ${concurrency}, first answer ${label}: ${s(row.netMs)} s net of the 1-item run (${s(row.oneMs)} s);` +
					` unthrottled ${s(cleanNet)} s; target <= 1 s + 1.1 x unthrottled = ${s(row.targetMs)} s ${row.verdict};` +
					` requests ${row.requests}, 429s ${row.throttled}, 503s ${row.unavailable}, failed items ${row.failed}`,
			);
		}
	}
	return rows;
}

module.exports = { earlyRefusal };
