import type { Resend, RetryOutcome } from '../../nodes/AcsChat/transport/retry';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from '../../nodes/AcsChat/transport/retry';
import { Pacer } from '../../nodes/AcsChat/transport/throttle';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const answer = (status: number, headers: Record<string, string> = {}) => ({
	message: `answered ${status}`,
	response: { status, headers },
});
const network = (code: string | undefined, message = `failed: ${code}`) => Object.assign(new Error(message), { code });
/** How n8n's helper throws: a wrapper whose cause is the HTTP client's error. */
const wrapped = (error: object) => ({ message: 'The service was not able to process your request', cause: error });

/** Sends through sendWithRetry, failing with `failures` in turn and then succeeding; counts the sends. */
async function run(resend: Resend, failures: unknown[], options: { maxRetries?: number; pacer?: Pacer } = {}) {
	let sent = 0;
	const send = async () => {
		const failure = failures[sent++];
		if (failure !== undefined) throw failure;
		return 'done';
	};
	let outcome: RetryOutcome<string> | undefined;
	const done = sendWithRetry(send, {
		policy: { ...DEFAULT_RETRY_POLICY, maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries },
		pacer: options.pacer ?? new Pacer(),
		resend,
	}).then((result) => (outcome = result));
	await jest.advanceTimersByTimeAsync(200_000);
	await done;
	return { sent, outcome: outcome as RetryOutcome<string> };
}

const MAY_HAVE_ACTED: Array<[string, unknown]> = [
	['503 without a wait', answer(503)],
	['503 with a wait', answer(503, { 'retry-after-ms': '10' })],
	['a connection reset', network('ECONNRESET')],
	['a timeout (ECONNABORTED)', network('ECONNABORTED', 'timeout of 50ms exceeded')],
	['a connect timeout (ETIMEDOUT)', network('ETIMEDOUT')],
	['a broken pipe', network('EPIPE')],
	['a socket hang up without a code', network(undefined, 'socket hang up')],
	['a reset wrapped by n8n', wrapped(network('ECONNRESET'))],
];

const NOTHING_SENT: Array<[string, unknown]> = [
	['a refused connection', network('ECONNREFUSED')],
	['an unknown host', network('ENOTFOUND')],
	['a DNS timeout', network('EAI_AGAIN')],
	['an expired certificate', network('CERT_HAS_EXPIRED')],
	['an unverifiable certificate', network('UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
];

const FINAL_ANSWERS: Array<[string, unknown]> = [
	['400', answer(400)],
	['403', answer(403)],
	['404', answer(404)],
	['500', answer(500)],
];

describe('a 429 (ACS did not process the request)', () => {
	it.each<Resend>(['refusedOnly', 'safe'])('is resent for %s requests', async (resend) => {
		const { sent, outcome } = await run(resend, [answer(429, { 'Retry-After': '1' }), answer(429, { 'retry-after-ms': '5' })]);

		expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
		expect(sent).toBe(3);
	});

	it('fails after the last retry without saying the request may have acted', async () => {
		const refusals = Array.from({ length: 10 }, () => answer(429, { 'retry-after-ms': '5' }));
		const { sent, outcome } = await run('refusedOnly', refusals, { maxRetries: 2 });

		expect(sent).toBe(3);
		expect(outcome).toMatchObject({ ok: false, attempts: 3, transient: { cause: 'rate-limited', requestedWaitMs: 5 } });
		expect(outcome).not.toHaveProperty('mayHaveBeenSent');
	});

	it('fails at once when it asks for longer than the node waits', async () => {
		const { sent, outcome } = await run('safe', [answer(429, { 'Retry-After': '120' })]);

		expect(sent).toBe(1);
		expect(outcome).toMatchObject({ ok: false, attempts: 1, refusedWaitMs: 120_000 });
	});
});

describe.each([502, 504])('a %s from a gateway', (status) => {
	it('is not resent, and for a request that could act twice says it may have been sent', async () => {
		const unsafe = await run('refusedOnly', [answer(status)]);
		const safe = await run('safe', [answer(status)]);

		expect([unsafe.sent, safe.sent]).toEqual([1, 1]);
		expect(unsafe.outcome).toMatchObject({ ok: false, attempts: 1, mayHaveBeenSent: true });
		expect(safe.outcome).not.toHaveProperty('mayHaveBeenSent');
	});
});

describe.each(MAY_HAVE_ACTED)('%s', (_, failure) => {
	it('is never resent for a request that could act twice, and says it may have been sent', async () => {
		const { sent, outcome } = await run('refusedOnly', [failure]);

		expect(sent).toBe(1);
		expect(outcome).toMatchObject({ ok: false, attempts: 1, mayHaveBeenSent: true });
		expect(outcome).toHaveProperty('error', failure);
	});

	it('is resent for a request that is safe to repeat', async () => {
		const { sent, outcome } = await run('safe', [failure, failure]);

		expect(sent).toBe(3);
		expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
	});
});

describe.each([...NOTHING_SENT, ...FINAL_ANSWERS])('%s', (_, failure) => {
	it.each<Resend>(['refusedOnly', 'safe'])('is final for %s requests and says nothing of having been sent', async (resend) => {
		const { sent, outcome } = await run(resend, [failure]);

		expect(sent).toBe(1);
		expect(outcome).toEqual({ ok: false, error: failure, attempts: 1 });
	});
});

describe('the bucket', () => {
	it('is paused by a 503 even when the request itself is not resent', async () => {
		const pacer = new Pacer();
		const options = { policy: DEFAULT_RETRY_POLICY, pacer };
		const first = sendWithRetry(
			async () => {
				throw answer(503, { 'retry-after-ms': '400' });
			},
			{ ...options, resend: 'refusedOnly' },
		);
		await jest.advanceTimersByTimeAsync(0);
		expect(await first).toMatchObject({ ok: false, mayHaveBeenSent: true });

		const sentAt: number[] = [];
		const second = sendWithRetry(async () => sentAt.push(Date.now()), { ...options, resend: 'safe' });
		await jest.advanceTimersByTimeAsync(1_000);
		await second;
		expect(sentAt).toEqual([400]);
	});
});

it('never throws, whatever the send throws', async () => {
	const { outcome } = await run('safe', ['a string', null]);

	expect(outcome).toEqual({ ok: false, error: 'a string', attempts: 1 });
});

it('stops waiting at once when the execution is cancelled during a backoff', async () => {
	const controller = new AbortController();
	let outcome: RetryOutcome<string> | undefined;
	const done = sendWithRetry(
		async () => {
			throw network('ECONNRESET');
		},
		{ policy: DEFAULT_RETRY_POLICY, pacer: new Pacer(), resend: 'safe', signal: controller.signal },
	).then((result) => (outcome = result));
	await jest.advanceTimersByTimeAsync(100);
	controller.abort();
	await jest.advanceTimersByTimeAsync(0);
	await done;

	expect(outcome).toMatchObject({ ok: false, error: { code: 'ERR_CANCELED' }, attempts: 1 });
	expect(Date.now()).toBe(100);
});
