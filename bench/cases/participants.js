'use strict';

const { logCounts } = require('../emulator');
const { idealSchedule, sustainedByLane } = require('../ideal');
const { verdict, s } = require('../figures');

// (j) Participants under ACS's documented limit on participant changes (10 per 10 s and 30 per minute per thread),
// as the same user. Add Participant items for 5 threads, the thread and the participant per item: items of one
// thread go in one request of up to 200, so 1,000 items are 5 requests, seconds where one request per item would
// take 1,000 / (5 x 10 per 10 s) = 200 s. Then Remove Participant of the same participants, which has no batch
// API, so the limit bounds the time: the 5 threads' budgets are independent and should run side by side. The
// items alternate between the threads, as case (c)'s removals do.
// Adds at scale 5, as (c). Removals at scale 10 (windows of 1 s and 6 s, still whole seconds, as ACS's
// Retry-After is): the unscaled 6-minute run then takes about 36 s.
const ADD_LIMITS = { scale: 5, window: 'fixed' };
const REMOVE_LIMITS = { scale: 10, window: 'fixed' };
const CONCURRENCY = 8;
const THREADS = 5;
/** Participant changes per 10 s per thread (the brief's target counts only this one of the row's two limits). */
const CHANGES_PER_10_S = 10;

const removePath = (threadId) => `/chat/threads/${encodeURIComponent(threadId)}/participants/:remove`;
/** A phone number per item: any is a valid participant, and none is in a bench thread before the case. */
const phone = (index) => `4:+1425${String(5_600_000 + index).padStart(7, '0')}`;

async function participants({ n8n, emulator, sizes, threadIds, print }) {
	const count = sizes.participants;
	const threads = threadIds.slice(22, 22 + THREADS);
	const adds = Array.from({ length: count }, (_, i) => ({ threadId: threads[i % THREADS], participantId: phone(i), displayName: `Bench ${i}` }));
	const removals = adds.map(({ threadId, participantId }) => ({ threadId, participantId }));
	// Not one of the items': the 1-item runs must leave the threads as they were.
	const spare = { threadId: threads[0], participantId: phone(count), displayName: 'Bench spare' };

	await emulator.reset();
	await emulator.latency(sizes.latencyMs);
	const oneAdd = await n8n.run(`adds@${CONCURRENCY}`, [spare]);
	const oneRemoval = await n8n.run(`removals@${CONCURRENCY}`, [{ threadId: spare.threadId, participantId: spare.participantId }]);

	await emulator.acsLimits(ADD_LIMITS);
	await emulator.clearRequests();
	const addRun = await n8n.run(`adds@${CONCURRENCY}`, adds);
	const addLog = await emulator.requests();

	// A new setting starts every budget afresh, so the removals' ideal need not account for the adds.
	await emulator.acsLimits(REMOVE_LIMITS);
	await emulator.clearRequests();
	const removalRun = await n8n.run(`removals@${CONCURRENCY}`, removals);
	const removalLog = await emulator.requests();
	await emulator.reset();

	const addRow = {
		...ADD_LIMITS,
		count,
		threads: THREADS,
		concurrency: CONCURRENCY,
		latencyMs: sizes.latencyMs,
		oneMs: oneAdd.nodeMs,
		netMs: addRun.nodeMs - oneAdd.nodeMs,
		targetMs: 10_000 + THREADS * sizes.latencyMs,
		targetRequests: THREADS,
		batchSizes: addLog.filter(({ status }) => status === 201).map(({ body }) => body?.participants?.length ?? 0),
		ok: addRun.ok,
		failed: addRun.failed,
		...logCounts(addLog),
	};
	addRow.verdict = verdict(addRow.requests === addRow.targetRequests && addRow.netMs < addRow.targetMs && addRow.ok === count && addRow.failed === 0);

	const startMs = Math.min(...removalLog.map((entry) => Date.parse(entry.time)));
	const removalRequests = removals.map(({ threadId }) => ({ method: 'POST', path: removePath(threadId), lane: threadId }));
	const ideal = idealSchedule(removalRequests, { acsLimits: REMOVE_LIMITS, startMs, demoToken: emulator.demoToken, demoUserId: emulator.demoUserId });
	const removalRow = {
		...REMOVE_LIMITS,
		count,
		threads: THREADS,
		concurrency: CONCURRENCY,
		oneMs: oneRemoval.nodeMs,
		netMs: removalRun.nodeMs - oneRemoval.nodeMs,
		// The last removal admitted at the earliest, and answered after the emulator's latency.
		idealMs: Math.max(...ideal) + sizes.latencyMs,
		// 1.1 x N / (threads x 10 per 10 s), windows divided by the scale.
		briefTargetMs: (1.1 * count * 10_000) / (THREADS * CHANGES_PER_10_S) / REMOVE_LIMITS.scale,
		// N / R with both of the thread's limits, 10 per 10 s and 30 per minute.
		sustainedMs: Math.max(...sustainedByLane(removalRequests, { acsLimits: REMOVE_LIMITS }).values()),
		ok: removalRun.ok,
		failed: removalRun.failed,
		...logCounts(removalLog),
	};
	removalRow.factor = removalRow.netMs / removalRow.idealMs;
	removalRow.briefVerdict = verdict(removalRow.netMs <= removalRow.briefTargetMs && removalRow.failed === 0);
	removalRow.verdict = verdict(removalRow.factor <= 1.1 && removalRow.ok === count && removalRow.failed === 0);
	removalRow.sustainedFactor = removalRow.netMs / removalRow.sustainedMs;
	removalRow.sustainedVerdict = verdict(removalRow.sustainedFactor <= 1.1 && removalRow.ok === count && removalRow.failed === 0);

	print(
		`(j) Add Participant at scale ${ADD_LIMITS.scale}, ${count} items for ${THREADS} threads, concurrency ${CONCURRENCY}: ${addRow.requests} requests` +
			` (target ${addRow.targetRequests}; participants per request ${addRow.batchSizes.join(', ')}), 429s ${addRow.throttled}, ${s(addRow.netMs)} s net of the` +
			` 1-item run (${s(addRow.oneMs)} s; target < ${s(addRow.targetMs)} s = 10 s + ${THREADS} x ${addRow.latencyMs} ms latency), ${addRow.ok} items out,` +
			` failed ${addRow.failed} ${addRow.verdict}`,
	);
	print(
		`(j) Remove Participant at scale ${REMOVE_LIMITS.scale}, ${count} items from the same ${THREADS} threads: ${s(removalRow.netMs)} s net of the 1-item run` +
			` (${s(removalRow.oneMs)} s) = ${removalRow.factor.toFixed(2)} x the limiter's ideal ${s(removalRow.idealMs)} s (target <= 1.1) ${removalRow.verdict};` +
			` the brief's 1.1 x ${count} / (${THREADS} x ${CHANGES_PER_10_S} per 10 s) scaled = ${s(removalRow.briefTargetMs)} s ${removalRow.briefVerdict}` +
			` (it leaves out the 30 per minute per thread); N / R with both limits ${s(removalRow.sustainedMs)} s:` +
			` ${removalRow.sustainedFactor.toFixed(2)} x ${removalRow.sustainedVerdict}; requests ${removalRow.requests}, 429s ${removalRow.throttled}, failed ${removalRow.failed}`,
	);
	return { adds: [addRow], removals: [removalRow] };
}

module.exports = { participants };
