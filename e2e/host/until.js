'use strict';

/** Polls `check` every `everyMs` until it returns something truthy (resolved with it) or `timeoutMs` passes (throws). */
async function until(what, check, { timeoutMs = 60_000, everyMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

module.exports = { until };
