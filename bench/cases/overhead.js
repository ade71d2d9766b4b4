'use strict';

const { items, median, verdict } = require('../figures');
const { loadProfile, summarize, mainProfile } = require('../profile');

// (d) Per-item cost inside n8n: this node's Get Thread against n8n's own HTTP Request node on the same route with
// the same Authorization header (Header Auth credential), same items, no added latency.
const PAIRS = [
	{ label: 'Concurrency 8 vs Batching 8 items per 1 ms', ours: 'get@8', theirs: 'httpBatched' },
	{ label: 'Concurrency 50 vs no batching (every item at once)', ours: 'get@50', theirs: 'http' },
];

/** Median per-item node time and n8n CPU time, each net of the 1-item run, and credential decryptions per item. */
async function perItem(n8n, key, count, repeats) {
	const one = await n8n.run(key, items(1));
	const decryptsBefore = await n8n.decrypts();
	const runs = [];
	for (let i = 0; i < repeats; i++) runs.push(await n8n.run(key, items(count)));
	const decrypts = (await n8n.decrypts()) - decryptsBefore;
	const failed = runs.reduce((sum, run) => sum + run.failed, 0);
	return {
		oneMs: one.nodeMs,
		nodeMsPerItem: median(runs.map((run) => (run.nodeMs - one.nodeMs) / (count - 1))),
		cpuMsPerItem: median(runs.map((run) => (run.cpuMs - one.cpuMs) / (count - 1))),
		decryptsPerItem: decrypts / (count * repeats),
		failed,
	};
}

async function overhead({ n8n, emulator, sizes, print }) {
	await emulator.reset();
	const { count, repeats } = sizes.overhead;
	const rows = [];
	for (const pair of PAIRS) {
		const ours = await perItem(n8n, pair.ours, count, repeats);
		const theirs = await perItem(n8n, pair.theirs, count, repeats);
		const row = { label: pair.label, count, repeats, ours, theirs, ratio: ours.nodeMsPerItem / theirs.nodeMsPerItem, cpuRatio: ours.cpuMsPerItem / theirs.cpuMsPerItem };
		row.verdict = verdict(row.ratio <= 1.2);
		rows.push(row);
		print(
			`(d) ${pair.label}, ${count} items (median of ${repeats}): ours ${ours.nodeMsPerItem.toFixed(2)} ms/item (${ours.cpuMsPerItem.toFixed(2)} ms CPU,` +
				` ${ours.decryptsPerItem.toFixed(2)} credential decryptions), HTTP Request ${theirs.nodeMsPerItem.toFixed(2)} ms/item (${theirs.cpuMsPerItem.toFixed(2)} ms CPU,` +
				` ${theirs.decryptsPerItem.toFixed(2)} decryptions); ratio ours/theirs ${row.ratio.toFixed(2)} (CPU ${row.cpuRatio.toFixed(2)}; goal <= 1.2) ${row.verdict};` +
				` failed items ${ours.failed} / ${theirs.failed}`,
		);
	}
	return rows;
}

/**
 * The same pairs once more in an n8n started with --cpu-prof: where each item's CPU time goes, by package (self
 * time) and inside the functions profile.js watches. `startProfiled` starts that n8n and resolves with it.
 */
async function overheadProfile({ startProfiled, emulator, sizes, profileDir, print }) {
	await emulator.reset();
	const n8n = await startProfiled();
	const windows = [];
	try {
		await n8n.warmUp();
		for (const { ours, theirs } of PAIRS.slice(0, 1)) {
			for (const [who, key] of [
				['this node', ours],
				['HTTP Request', theirs],
			]) {
				await n8n.run(key, items(50));
				const run = await n8n.run(key, items(sizes.overhead.count));
				windows.push({ who, key, fromUs: run.startedUs, toUs: run.answeredUs });
			}
		}
	} finally {
		await n8n.stop();
	}
	const profile = loadProfile(mainProfile(profileDir, n8n.pid));
	return windows.map((window) => {
		const summary = summarize(profile, window.fromUs, window.toUs);
		const perItemMs = (ms) => ms / sizes.overhead.count;
		const top = summary.places.slice(0, 8).map(([place, ms]) => `${place} ${perItemMs(ms).toFixed(2)}`);
		print(`(d) profile, ${window.who}: ${perItemMs(summary.totalMs).toFixed(2)} ms CPU per item; self time per item (ms): ${top.join(', ')}`);
		print(`    inside (ms per item): ${summary.watched.map(([name, ms]) => `${name} ${perItemMs(ms).toFixed(2)}`).join(', ')}`);
		return { ...window, count: sizes.overhead.count, totalMsPerItem: perItemMs(summary.totalMs), places: summary.places.map(([p, ms]) => [p, perItemMs(ms)]), watched: summary.watched.map(([n, ms]) => [n, perItemMs(ms)]) };
	});
}

module.exports = { overhead, overheadProfile };
