'use strict';

/**
 * Token bucket: holds up to `rps` tokens (so a burst of one second's worth passes; at least one so
 * a fractional rate still lets requests through) and refills `rps` per second. Beyond it requests
 * are refused with the wait until the next token.
 */
function createRateLimit(initialRps) {
	let rps;
	let tokens;
	let refilledAt;

	/** @returns {string|undefined} why the rate is invalid; 0 or null turns the limit off */
	function set(value) {
		if (value !== null && value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
			return 'rateLimit must be a non-negative number of requests per second.';
		}
		rps = value || 0;
		tokens = Math.max(1, rps);
		refilledAt = Date.now();
		return undefined;
	}
	set(initialRps);

	/** @returns {number} 0 when the request may pass, else milliseconds until it would */
	function take(now = Date.now()) {
		if (!rps) return 0;
		tokens = Math.min(Math.max(1, rps), tokens + ((now - refilledAt) / 1000) * rps);
		refilledAt = now;
		if (tokens >= 1) {
			tokens -= 1;
			return 0;
		}
		return Math.ceil(((1 - tokens) / rps) * 1000);
	}

	return { set, take, rps: () => rps, reset: () => set(initialRps) };
}

module.exports = { createRateLimit };
