'use strict';

const { createAcsLimits, ACS_CHAT_LIMITS, routeOf } = require('../emulator/limits');
const { DEV_KEY } = require('../emulator');

/**
 * The best any client could do against the emulator's ACS limits: each request sent at the earliest moment the
 * limits admit it, computed with the emulator's own limiter (same windows, same grid) from the run's real start
 * time, so fixed windows start at the same phase the run met. Requests of one lane (one limit scope, e.g. one
 * thread's participant changes) go in order; lanes are independent, as a perfect client would run them.
 * @param {Array<{ method: string, path: string, lane: string }>} requests path as sent, percent-encoded
 * @returns {number[]} for each request, ms after `startMs` at which it would be admitted
 */
function idealSchedule(requests, { acsLimits, startMs, demoToken, demoUserId }) {
	const limits = createAcsLimits({ initial: acsLimits, key: DEV_KEY, demoToken, demoUserId });
	const laneAt = new Map();
	return requests.map(({ method, path, lane }) => {
		const req = { method, headers: { authorization: `Bearer ${demoToken}` } };
		const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
		let at = laneAt.get(lane) ?? startMs;
		for (let refusal = limits.take(req, segments, at); refusal; refusal = limits.take(req, segments, at)) at += refusal.waitMs;
		laneAt.set(lane, at);
		return at - startMs;
	});
}

/**
 * The other ideal: N / R per lane, R the rate the lane's limits sustain (the tightest count per window, windows
 * divided by the scale), as issue 8's (b) and issue 9's removal target count it. The earliest-admission ideal
 * above also spends each window's allowance at its first moment, which a client that cannot see the windows'
 * phase can only match by sending in bursts; N / R is what any client pays once that allowance is spent.
 * @returns {Map<string, number>} ms per lane
 */
function sustainedByLane(requests, { acsLimits }) {
	const byLane = new Map();
	for (const { method, path, lane } of requests) {
		const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
		const row = ACS_CHAT_LIMITS.find(({ routes }) => routes.includes(routeOf(method, segments)?.route));
		if (!row) throw new Error(`no ACS limit for ${method} ${path}`);
		const spacingMs = Math.max(...row.limits.map(({ count, seconds }) => (seconds * 1000) / acsLimits.scale / count));
		byLane.set(lane, (byLane.get(lane) ?? 0) + spacingMs);
	}
	return byLane;
}

module.exports = { idealSchedule, sustainedByLane };
