import type { RetryOutcome } from '../../nodes/AcsChat/transport/retry';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from '../../nodes/AcsChat/transport/retry';
import { Pacer } from '../../nodes/AcsChat/transport/throttle';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const throttled = () => ({ message: 'throttled', response: { status: 429, headers: { 'retry-after-ms': '1' } } });
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

/** Sends once per answer (an error to throw, or 'ok'), recording on the fake clock when each send went out. */
async function sendThrough(answers: Array<object | 'ok'>) {
	const sentAt: number[] = [];
	const send = async () => {
		sentAt.push(Date.now());
		const answer = answers[sentAt.length - 1];
		if (answer !== 'ok') throw answer;
		return 'done';
	};
	let outcome: RetryOutcome<string> | undefined;
	const done = sendWithRetry(send, {
		policy: { ...DEFAULT_RETRY_POLICY, maxRetries: 10 },
		pacer: new Pacer(),
		resend: 'safe',
		// The top of the jitter range, so every backoff is its ceiling.
		random: () => 1,
	}).then((result) => (outcome = result));
	await jest.advanceTimersByTimeAsync(120_000);
	await done;
	return { sentAt, outcome };
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

describe('backoff when the service names no wait', () => {
	it('starts at the base delay even after retries that waited what the service asked', async () => {
		const { sentAt, outcome } = await sendThrough([throttled(), throttled(), throttled(), throttled(), reset(), 'ok']);

		expect(outcome).toMatchObject({ ok: true, value: 'done', attempts: 6 });
		expect(gaps(sentAt).slice(-1)).toEqual([DEFAULT_RETRY_POLICY.baseDelayMs]);
	});

	it('doubles with every failure that named no wait, whatever came between', async () => {
		const { sentAt, outcome } = await sendThrough([reset(), throttled(), reset(), reset(), 'ok']);

		expect(outcome).toMatchObject({ ok: true, attempts: 5 });
		const [afterFirstReset, afterThrottle, afterSecondReset, afterThirdReset] = gaps(sentAt);
		expect(afterFirstReset).toBe(1_000);
		expect(afterThrottle).toBeLessThan(10);
		expect([afterSecondReset, afterThirdReset]).toEqual([2_000, 4_000]);
	});
});
