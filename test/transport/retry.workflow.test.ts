import { getThread } from '../fixtures/acs';
import { DEMO_THREAD, demoCredential, OTHER_THREAD, threadPath, useEmulator } from '../emulator/support';
import type { runAcsChat as RunAcsChat } from '../harness/runNode';

const emulator = useEmulator();

// Throttle buckets are shared by every run of one identity in a process, as in n8n; every test here acts as the
// emulator's demo user, so each one loads the node afresh, with buckets of its own, instead of inheriting the
// pause or pace the test before it left.
let runAcsChat: typeof RunAcsChat;
beforeEach(() => {
	jest.resetModules();
	({ runAcsChat } = require('../harness/runNode') as typeof import('../harness/runNode'));
});
const credential = () => demoCredential(emulator);

/** The requests the emulator saw for one thread, with the fault (if any) it answered each with. */
function sentFor(threadId: string) {
	return emulator
		.requests()
		.filter((request) => request.path === threadPath(threadId))
		.map((request) => request.fault ?? request.status);
}

async function run(options: Record<string, unknown>, onError?: 'continueErrorOutput') {
	return await runAcsChat({ parameters: getThread(DEMO_THREAD, options), credential: credential(), onError });
}

describe('retry on rate limit / unavailable', () => {
	it('waits what retry-after-ms asks on a 429, then sends again and succeeds', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfterMs: 30 });

		const { success, error } = await run({});

		expect(error).toBeUndefined();
		expect(success.map((item) => item.json.id)).toEqual([DEMO_THREAD]);
		expect(sentFor(DEMO_THREAD)).toEqual(['throttle', 200]);
	});

	it('rides out a 503 storm and connection resets within the retries', async () => {
		emulator.faults.add({ kind: 'reset' });
		emulator.faults.add({ kind: 'unavailable', count: 3, retryAfterMs: 5 });

		const { success } = await run({ maxRetries: 4 });

		expect(success).toHaveLength(1);
		expect(sentFor(DEMO_THREAD)).toEqual(['reset', 'unavailable', 'unavailable', 'unavailable', 200]);
	});

	it('backs off exponentially when a 503 names no wait', async () => {
		emulator.faults.add({ kind: 'unavailable' });

		const { success } = await run({});

		expect(success).toHaveLength(1);
		const [first, second] = emulator.requests().map((request) => Date.parse(request.time));
		// The first backoff is 1 s with equal jitter: never less than half of it.
		expect(second - first).toBeGreaterThanOrEqual(500);
	});

	it('fails the item after the last retry with the attempts and the declared cause', async () => {
		emulator.faults.add({ kind: 'unavailable', count: 3, retryAfterMs: 5 });

		const { errorOutput, error } = await run({ maxRetries: 2 }, 'continueErrorOutput');

		expect(error).toBeUndefined();
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.details).toMatchObject({
			httpCode: 503,
			code: 'ServiceUnavailable',
			attempts: 3,
			retryAfterSeconds: 1,
		});
		expect(sentFor(DEMO_THREAD)).toEqual(['unavailable', 'unavailable', 'unavailable']);
	});

	it('fails at once, without waiting, when the service asks for longer than the node waits', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfter: 120 });

		const stopped = await run({});

		expect(stopped.error?.message).toBe(
			'ACS rate limited the request: retry after 120 s, longer than the 60 s this node waits',
		);
		expect(stopped.error?.context.acsError).toMatchObject({ httpCode: 429, retryAfterSeconds: 120, attempts: 1 });
		expect((stopped.error as { failure?: unknown }).failure).toEqual({ cause: 'rate-limited', retryAfterMs: 120_000 });
		expect(sentFor(DEMO_THREAD)).toEqual(['throttle']);
	});

	it('declares a 503 as temporarily unavailable', async () => {
		emulator.faults.add({ kind: 'unavailable' });

		const { error } = await run({ retryOnThrottle: false });

		expect((error as { failure?: unknown }).failure).toEqual({ cause: 'temporarily-unavailable' });
	});

	it('sends once when retrying is off', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfterMs: 5 });

		const { errorOutput } = await run({ retryOnThrottle: false }, 'continueErrorOutput');

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 429, code: 'TooManyRequests', attempts: 1 });
		expect(sentFor(DEMO_THREAD)).toEqual(['throttle']);
	});

	it('never resends an answer that is not transient', async () => {
		const { errorOutput } = await runAcsChat({
			parameters: getThread(OTHER_THREAD),
			credential: credential(),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, attempts: 1 });
		expect(sentFor(OTHER_THREAD)).toEqual([403]);
	});

	it('holds back the other items while the service asks one to wait', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfterMs: 300 });

		const { success } = await runAcsChat({
			parameters: getThread(DEMO_THREAD, { concurrency: 1 }),
			items: [{}, {}],
			credential: credential(),
		});

		expect(success).toHaveLength(2);
		const times = emulator.requests().map((request) => Date.parse(request.time));
		expect(times).toHaveLength(3);
		// The second item starts after the first one's retry, which waited the 300 ms asked for.
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(300);
	});
});

describe('under a rate limit', () => {
	/** Spends the bucket's one-second burst, so the run meets the steady rate from its first request. */
	async function drain(rps: number) {
		const url = `${emulator.url}/chat/threads?api-version=2024-03-07`;
		const headers = { Authorization: `Bearer ${emulator.demoToken}` };
		await Promise.all(Array.from({ length: rps + 1 }, async () => await (await fetch(url, { headers })).arrayBuffer()));
		emulator.clearRequests();
	}

	it('paces every item through at the allowed rate: none fails, few are refused', async () => {
		const rps = 100;
		emulator.faults.latency(20);
		emulator.faults.rateLimit(rps);
		await drain(rps);

		const { success, errorOutput } = await runAcsChat({
			parameters: getThread(DEMO_THREAD, { concurrency: 16 }),
			items: Array.from({ length: 300 }, (_, index) => ({ index })),
			credential: credential(),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toEqual([]);
		expect(success.map((item) => item.pairedItem)).toEqual(Array.from({ length: 300 }, (_, item) => ({ item })));
		const sent = sentFor(DEMO_THREAD);
		// Released together after each wait, throttled requests were refused again and again: this run had ~480
		// 429s and ~30 items failed after their last retry. Paced, it has ~30 429s.
		expect(sent.filter((status) => status === 429).length).toBeLessThanOrEqual(60);
		expect(sent.filter((status) => status === 200)).toHaveLength(300);
		// How close to 300 / 100 s this takes is measured by `npm run bench` (b), not asserted here.
	}, 20_000);
});

describe('timeout', () => {
	it('turns a request that gets no answer in time into an error item, not a hang', async () => {
		emulator.faults.latency(400);

		// A read is safe to send again after a timeout; without retries the first timeout is the answer.
		const { errorOutput } = await run({ timeout: 50, maxRetries: 0 }, 'continueErrorOutput');
		// The emulator is still holding the abandoned request; let it finish here, or it would take the next
		// test's queued fault.
		await new Promise((resolve) => setTimeout(resolve, 500));

		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json.error).toBe('Could not reach the ACS endpoint: no answer within 50 ms');
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: null, code: 'ECONNABORTED', attempts: 1 });
	});

	it.each([0, -5, 1.5, 'soon'])('rejects a timeout of %p before sending', async (timeout) => {
		const { error } = await run({ timeout });

		expect(error?.message).toMatch(/^Timeout in item 0 must be a whole number from 1 to 600000/);
		expect(emulator.requests()).toEqual([]);
	});

	it.each([-1, 21])('rejects %p retries before sending', async (maxRetries) => {
		const { error } = await run({ maxRetries });

		expect(error?.message).toMatch(/^Max Retries in item 0 must be a whole number from 0 to 20/);
	});
});

describe('cancellation', () => {
	it('stops waiting for Retry-After at once and starts no further item', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfter: 50 });
		let cancel = () => {};
		const cancelled = new Promise<void>((resolve) => (cancel = resolve));
		const waiting = (async () => {
			while (emulator.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
			cancel();
		})();

		// Without cancellation this would wait 50 s, far beyond the test's time limit.
		const { run: result } = await runAcsChat({
			parameters: getThread(DEMO_THREAD, { concurrency: 1 }),
			items: [{}, {}, {}],
			credential: credential(),
			cancelWhen: cancelled,
		});
		await waiting;

		expect(result.status).toBe('canceled');
		// Items 1 and 2 never started.
		expect(sentFor(DEMO_THREAD)).toEqual(['throttle']);
	});
});
