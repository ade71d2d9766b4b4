'use strict';

const { createAcsLimits } = require('../emulator/limits');
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

module.exports = { idealSchedule };
