'use strict';

/**
 * The emulator's rate limiters, and the one configurable rate limit that applies to every request.
 *
 * A limiter keeps only its own counters and answers for a time `now` (ms): `waitMs(now)`, how long until one
 * more request would pass (0: now), and `admit(now)`, which counts one that passed. The two are apart so that
 * a request under several limits at once (ACS counts some operations per user and per thread) is counted by
 * each only when all of them let it through. Refused requests count nowhere: a limiter measures the load the
 * service took, not the load it was offered.
 *
 * Shapes: a token bucket (burst of one second's worth, refilled continuously), fixed windows on a grid of
 * `windowMs` from the epoch (so a run starts anywhere in a window, as against a real service), and sliding
 * windows (at most `limit` admitted in any `windowMs`).
 */

function tokenBucket({ rps }) {
	// At least one token, so a fractional rate still lets requests through.
	const capacity = Math.max(1, rps);
	let tokens = capacity;
	let refilledAt;
	const refill = (now) => {
		tokens = Math.min(capacity, tokens + ((now - (refilledAt ?? now)) / 1000) * rps);
		refilledAt = now;
	};
	return {
		waitMs(now) {
			refill(now);
			return tokens >= 1 ? 0 : ((1 - tokens) / rps) * 1000;
		},
		admit(now) {
			refill(now);
			tokens -= 1;
		},
	};
}

function fixedWindow({ limit, windowMs }) {
	let windowStart = -Infinity;
	let count = 0;
	const roll = (now) => {
		const start = Math.floor(now / windowMs) * windowMs;
		if (start !== windowStart) [windowStart, count] = [start, 0];
	};
	return {
		waitMs(now) {
			roll(now);
			return count < limit ? 0 : windowStart + windowMs - now;
		},
		admit(now) {
			roll(now);
			count++;
		},
	};
}

function slidingWindow({ limit, windowMs }) {
	// Times of the admitted requests still inside the window, oldest first, from index `head`.
	let times = [];
	let head = 0;
	const expire = (now) => {
		while (head < times.length && times[head] <= now - windowMs) head++;
		if (head > 1024 && head * 2 > times.length) [times, head] = [times.slice(head), 0];
	};
	return {
		waitMs(now) {
			expire(now);
			const inWindow = times.length - head;
			return inWindow < limit ? 0 : times[head + inWindow - limit] + windowMs - now;
		},
		admit(now) {
			expire(now);
			times.push(now);
		},
	};
}

const SHAPES = { bucket: tokenBucket, fixed: fixedWindow, sliding: slidingWindow };
const RETRY_AFTER_UNITS = ['seconds', 'ms'];

/** @param {{ shape: 'bucket'|'fixed'|'sliding', rps?: number, limit?: number, windowMs?: number }} options */
function createLimiter({ shape, ...options }) {
	return SHAPES[shape](options);
}

/**
 * A 429's retry headers for a wait: `Retry-After` in whole seconds, rounded up (how ACS answers), and with
 * unit 'ms' also `retry-after-ms` with the wait itself, rounded up to the millisecond.
 */
function retryHeaders(waitMs, unit) {
	const headers = { 'Retry-After': String(Math.ceil(waitMs / 1000)) };
	if (unit === 'ms') headers['retry-after-ms'] = String(Math.ceil(waitMs));
	return headers;
}

const isPositive = (value) => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * The single rate limit's settings. A number is today's shorthand: a token bucket of that many requests per
 * second, answering with both headers. An object picks the shape; windows take `limit` per `windowMs`, or
 * `rps` with a window of one second unless `windowMs` says otherwise.
 * @returns {{ config?: object, error?: string }} config undefined turns the limit off
 */
function rateLimitConfig(value) {
	if (value === null || value === undefined || value === 0) return {};
	if (typeof value === 'number') {
		return isPositive(value) ? { config: { shape: 'bucket', rps: value, retryAfter: 'ms' } } : { error: 'rateLimit must be a non-negative number of requests per second.' };
	}
	if (typeof value !== 'object') return { error: 'rateLimit must be a number of requests per second or an object.' };
	const { shape = 'bucket', rps, limit, windowMs = 1000, retryAfter = shape === 'bucket' ? 'ms' : 'seconds' } = value;
	if (!SHAPES[shape]) return { error: `rateLimit.shape must be one of ${Object.keys(SHAPES).join(', ')}.` };
	if (!RETRY_AFTER_UNITS.includes(retryAfter)) return { error: `rateLimit.retryAfter must be one of ${RETRY_AFTER_UNITS.join(', ')}.` };
	if (!isPositive(windowMs)) return { error: 'rateLimit.windowMs must be a positive number of milliseconds.' };
	if (rps === 0 && limit === undefined) return {};
	if (rps !== undefined && !isPositive(rps)) return { error: 'rateLimit.rps must be a non-negative number.' };
	if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return { error: 'rateLimit.limit must be a positive integer.' };
	if ((rps === undefined) === (limit === undefined)) return { error: 'rateLimit needs either rps or limit (per windowMs).' };
	if (shape === 'bucket') return { config: { shape, rps: rps ?? (limit * 1000) / windowMs, retryAfter } };
	const perWindow = limit ?? (rps * windowMs) / 1000;
	if (!Number.isInteger(perWindow)) {
		return { error: `rateLimit: ${rps} per second is ${perWindow} per window of ${windowMs} ms; give a whole limit per windowMs.` };
	}
	return { config: { shape, limit: perWindow, windowMs, rps: (perWindow * 1000) / windowMs, retryAfter } };
}

/** The one rate limit every request meets (off unless set), as a number or the object rateLimitConfig takes. */
function createRateLimit(initial) {
	let config;
	let limiter;

	/** @returns {string|undefined} why the value is invalid */
	function set(value) {
		const parsed = rateLimitConfig(value);
		if (parsed.error) return parsed.error;
		config = parsed.config;
		limiter = config && createLimiter(config);
		return undefined;
	}
	set(initial);

	/** @returns undefined when the request may pass (and counts it), else the refusal to answer with and its exact wait */
	function take(now = Date.now()) {
		if (!limiter) return undefined;
		const waitMs = limiter.waitMs(now);
		if (waitMs > 0) return { limit: 'rate limit', message: 'Rate limit exceeded.', waitMs, headers: retryHeaders(waitMs, config.retryAfter) };
		limiter.admit(now);
		return undefined;
	}

	return {
		set,
		take,
		rps: () => config?.rps ?? 0,
		describe: () => (config ? { ...config } : null),
		reset: () => set(initial),
	};
}

module.exports = { createRateLimit, createLimiter, retryHeaders, RETRY_AFTER_UNITS };
