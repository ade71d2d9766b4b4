'use strict';

const { logCounts } = require('../emulator');
const { idealSchedule, sustainedByLane } = require('../ideal');
const { ABSENT_PARTICIPANT } = require('../workflows');
const { verdict, s } = require('../figures');

// (c) ACS's own limits, scaled: Get Thread of 20 threads (one budget per user) and, at the same time in another
// execution of the same n8n, Remove Participant from 2 threads (one budget per thread), both as the same user.
// A removal's 429 must slow neither the reads nor the other thread's removals. (Resource and operation cannot
// vary per item in n8n, so the two are two workflows; n8n runs their executions concurrently.)
// Scale 5 (reads 50 per 2 s): the limits, not n8n's CPU time per item (~10 ms here), then bound the run.
const ACS_LIMITS = { scale: 5, window: 'fixed' };
const CONCURRENCY = 8;

const threadPath = (threadId) => `/chat/threads/${encodeURIComponent(threadId)}`;
const roundRobin = (count, values, make) => Array.from({ length: count }, (_, i) => make(values[i % values.length]));

/** From the first start to the last end of the given node runs, in ms. */
const span = (runs) => Math.max(...runs.map((run) => run.startedAt + run.nodeMs)) - Math.min(...runs.map((run) => run.startedAt));

async function acsLimits({ n8n, emulator, sizes, threadIds, print }) {
	const { reads: readCount, removals: removalCount } = sizes.acsLimits;
	const reads = roundRobin(readCount, threadIds.slice(0, 20), (threadId) => ({ threadId }));
	const removals = roundRobin(removalCount, threadIds.slice(20, 22), (threadId) => ({ threadId, participantId: ABSENT_PARTICIPANT }));
	const both = (readItems, removalItems) =>
		Promise.all([n8n.run(`reads@${CONCURRENCY}`, readItems), n8n.run(`removals@${CONCURRENCY}`, removalItems)]);

	await emulator.reset();
	await emulator.latency(sizes.latencyMs);
	const ones = await both(reads.slice(0, 1), removals.slice(0, 1));
	await emulator.acsLimits(ACS_LIMITS);
	await emulator.clearRequests();
	const [readRun, removalRun] = await both(reads, removals);
	const log = await emulator.requests();
	await emulator.reset();

	const requests = [
		...reads.map(({ threadId }) => ({ method: 'GET', path: threadPath(threadId), lane: 'reads' })),
		...removals.map(({ threadId }) => ({ method: 'POST', path: `${threadPath(threadId)}/participants/:remove`, lane: `removals ${threadId}` })),
	];
	const startMs = Math.min(...log.map((entry) => Date.parse(entry.time)));
	const ideal = idealSchedule(requests, { acsLimits: ACS_LIMITS, startMs, demoToken: emulator.demoToken, demoUserId: emulator.demoUserId });
	const sustained = sustainedByLane(requests, { acsLimits: ACS_LIMITS });
	const throttled = (method) => log.filter((entry) => entry.status === 429 && entry.method === method).length;
	const row = {
		...ACS_LIMITS,
		reads: readCount,
		removals: removalCount,
		concurrency: CONCURRENCY,
		oneMs: span(ones),
		netMs: span([readRun, removalRun]) - span(ones),
		idealMs: Math.max(...ideal),
		readsMs: readRun.nodeMs - ones[0].nodeMs,
		readsIdealMs: Math.max(...ideal.slice(0, readCount)),
		removalsMs: removalRun.nodeMs - ones[1].nodeMs,
		removalsIdealMs: Math.max(...ideal.slice(readCount)),
		sustainedMs: Math.max(...sustained.values()),
		readsSustainedMs: sustained.get('reads'),
		failed: readRun.failed + removalRun.failed,
		...logCounts(log),
		readThrottled: throttled('GET'),
		removalThrottled: throttled('POST'),
	};
	row.factor = row.netMs / row.idealMs;
	row.readsFactor = row.readsMs / row.readsIdealMs;
	row.removalsFactor = row.removalsMs / row.removalsIdealMs;
	row.verdict = verdict(row.factor <= 1.1 && row.readsFactor <= 1.1 && row.failed === 0);
	row.sustainedFactor = row.netMs / row.sustainedMs;
	row.readsSustainedFactor = row.readsMs / row.readsSustainedMs;
	row.sustainedVerdict = verdict(row.sustainedFactor <= 1.1 && row.readsSustainedFactor <= 1.1 && row.failed === 0);
	print(
		`(c) ACS limits at scale ${ACS_LIMITS.scale} (${ACS_LIMITS.window} windows), ${readCount} reads of 20 threads + ${removalCount} removals from 2 threads at once,` +
			` concurrency ${CONCURRENCY} each: ${s(row.netMs)} s net of the 1-item runs (${s(row.oneMs)} s) = ${row.factor.toFixed(2)} x ideal ${s(row.idealMs)} s (target <= 1.1);` +
			` reads ${s(row.readsMs)} s = ${row.readsFactor.toFixed(2)} x their ideal ${s(row.readsIdealMs)} s (target <= 1.1);` +
			` removals ${s(row.removalsMs)} s = ${row.removalsFactor.toFixed(2)} x their ideal ${s(row.removalsIdealMs)} s ${row.verdict};` +
			` against N / R of each lane's sustained limit: ${row.sustainedFactor.toFixed(2)} x ${s(row.sustainedMs)} s, reads ${row.readsSustainedFactor.toFixed(2)} x ${s(row.readsSustainedMs)} s ${row.sustainedVerdict}; requests ${row.requests}, 429s ${row.throttled}` +
			` (reads ${row.readThrottled}, removals ${row.removalThrottled}), failed items ${row.failed}`,
	);
	return [row];
}

module.exports = { acsLimits };
