'use strict';

/**
 * The emulator's background work (webhook handshakes, deliveries and their waits between retries), kept so
 * that it can be awaited (`idle()`, which tests use instead of sleeping) and stopped (`cancel()`, on reset and
 * close). State: the promises still running and one AbortController per generation; `cancel()` aborts the
 * current generation's sleeps and requests and starts a new one, so work begun after a reset runs normally.
 */
function createPendingWork() {
	const running = new Set();
	let controller = new AbortController();

	/** Runs `task(signal)` in the background; its failure is its own to record, never an unhandled rejection. */
	function run(task) {
		const promise = Promise.resolve()
			.then(() => task(controller.signal))
			.catch(() => undefined)
			.finally(() => running.delete(promise));
		running.add(promise);
		return promise;
	}

	/** Resolves after `ms`, or early once cancelled; answers whether the wait ran its full length. */
	function sleep(ms, signal) {
		return new Promise((resolve) => {
			if (signal.aborted) return resolve(false);
			const onAbort = () => {
				clearTimeout(timer);
				resolve(false);
			};
			const timer = setTimeout(() => {
				signal.removeEventListener('abort', onAbort);
				resolve(true);
			}, ms);
			signal.addEventListener('abort', onAbort, { once: true });
		});
	}

	/** Resolves once nothing is running, work started by running work included. */
	async function idle() {
		while (running.size) await Promise.all([...running]);
	}

	function cancel() {
		controller.abort();
		controller = new AbortController();
	}

	return { run, sleep, idle, cancel };
}

module.exports = { createPendingWork };
