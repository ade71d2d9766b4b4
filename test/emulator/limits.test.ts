// The limiter shapes on an explicit clock: every figure below follows from the shape's definition, not from a run.
const { createLimiter, createRateLimit, retryHeaders } = require('../../emulator/ratelimit');

interface Limiter {
	waitMs(now: number): number;
	admit(now: number): void;
}

/** Sends at each time in turn and returns the wait each one was told (0: admitted). */
function offer(limiter: Limiter, times: number[]): number[] {
	return times.map((now) => {
		const wait = limiter.waitMs(now);
		if (wait === 0) limiter.admit(now);
		return wait;
	});
}

describe('fixed windows', () => {
	it('admit `limit` per window on a grid from the epoch and refuse the rest until the next window opens', () => {
		const limiter: Limiter = createLimiter({ shape: 'fixed', limit: 3, windowMs: 1000 });
		expect(offer(limiter, [10_200, 10_300, 10_400, 10_500, 10_999])).toEqual([0, 0, 0, 500, 1]);
		// The next window opens at 11 000 whatever the first request's time was.
		expect(offer(limiter, [11_000, 11_000, 11_000, 11_000])).toEqual([0, 0, 0, 1000]);
	});

	it('let 2 x limit through around a boundary, which sliding windows do not', () => {
		const times = [10_997, 10_998, 10_999, 11_000, 11_001, 11_002];
		expect(offer(createLimiter({ shape: 'fixed', limit: 3, windowMs: 1000 }), times)).toEqual([0, 0, 0, 0, 0, 0]);
		expect(offer(createLimiter({ shape: 'sliding', limit: 3, windowMs: 1000 }), times)).toEqual([0, 0, 0, 997, 996, 995]);
	});

});

describe('sliding windows', () => {
	it('admit at most `limit` in any window and name the wait until the oldest admitted one leaves it', () => {
		const limiter: Limiter = createLimiter({ shape: 'sliding', limit: 3, windowMs: 1000 });
		expect(offer(limiter, [100, 400, 700, 800])).toEqual([0, 0, 0, 300]);
		// 100 leaves the window at 1100 exactly: a request then passes, and the next waits for 400 to leave.
		expect(offer(limiter, [1099, 1100, 1150])).toEqual([1, 0, 250]);
	});

	it('do not count refused requests, so retrying early costs a client nothing', () => {
		const limiter: Limiter = createLimiter({ shape: 'sliding', limit: 1, windowMs: 1000 });
		expect(offer(limiter, [0, 500, 900, 1000, 1500])).toEqual([0, 500, 100, 0, 500]);
	});

	it('keep working after many requests have left the window', () => {
		const limiter: Limiter = createLimiter({ shape: 'sliding', limit: 2, windowMs: 10 });
		const times = Array.from({ length: 5000 }, (_, i) => i * 5);
		expect(offer(limiter, times).every((wait) => wait === 0)).toBe(true);
		expect(offer(limiter, [24_995, 24_996])).toEqual([5, 4]);
	});
});

describe('token bucket', () => {
	it('lets a burst of one second through, then one request per 1/rps', () => {
		const limiter: Limiter = createLimiter({ shape: 'bucket', rps: 2 });
		expect(offer(limiter, [0, 0, 0])).toEqual([0, 0, 500]);
		expect(offer(limiter, [500, 600])).toEqual([0, 400]);
	});

	it('still admits at a fractional rate', () => {
		const limiter: Limiter = createLimiter({ shape: 'bucket', rps: 0.5 });
		expect(offer(limiter, [0, 1000, 2000])).toEqual([0, 1000, 0]);
	});
});

describe('retry headers', () => {
	it('give Retry-After as the wait rounded up to whole seconds', () => {
		expect([1, 999, 1000, 1001, 9001].map((ms) => retryHeaders(ms, 'seconds'))).toEqual([
			{ 'Retry-After': '1' },
			{ 'Retry-After': '1' },
			{ 'Retry-After': '1' },
			{ 'Retry-After': '2' },
			{ 'Retry-After': '10' },
		]);
	});

	it('add the wait in milliseconds, rounded up, with the ms unit', () => {
		expect(retryHeaders(250.2, 'ms')).toEqual({ 'Retry-After': '1', 'retry-after-ms': '251' });
	});
});

describe('the configurable rate limit', () => {
	it('takes a number as a token bucket answering with both headers, as before', () => {
		const limit = createRateLimit(2);
		expect([limit.take(0), limit.take(0)]).toEqual([undefined, undefined]);
		expect(limit.take(0)).toEqual({ limit: 'rate limit', message: 'Rate limit exceeded.', waitMs: 500, headers: { 'Retry-After': '1', 'retry-after-ms': '500' } });
		expect(limit.rps()).toBe(2);
	});

	it('takes a window shape with a rate, answering with whole seconds only by default', () => {
		const limit = createRateLimit({ shape: 'fixed', rps: 40 });
		expect(limit.describe()).toEqual({ shape: 'fixed', limit: 40, windowMs: 1000, rps: 40, retryAfter: 'seconds' });
		for (let i = 0; i < 40; i++) expect(limit.take(5_000 + i)).toBeUndefined();
		expect(limit.take(5_040)?.headers).toEqual({ 'Retry-After': '1' });
		expect(limit.take(6_000)).toBeUndefined();
	});

	it('takes any rate as a limit per window, and the precise wait on request', () => {
		const limit = createRateLimit({ shape: 'sliding', limit: 1, windowMs: 2500, retryAfter: 'ms' });
		expect(limit.rps()).toBe(0.4);
		expect(limit.take(0)).toBeUndefined();
		expect(limit.take(1000)?.headers).toEqual({ 'Retry-After': '2', 'retry-after-ms': '1500' });
	});

	it('refuses settings it cannot enforce exactly, and turns off on 0', () => {
		const limit = createRateLimit(0);
		expect(limit.set({ shape: 'fixed', rps: 0.5 })).toMatch(/0.5 per window of 1000 ms; give a whole limit/);
		expect(limit.set({ shape: 'ring', rps: 5 })).toMatch(/shape must be one of bucket, fixed, sliding/);
		expect(limit.set({ shape: 'fixed', rps: 5, retryAfter: 'minutes' })).toMatch(/retryAfter must be one of seconds, ms/);
		expect(limit.set(-1)).toMatch(/non-negative/);
		expect(limit.set({ rps: 0 })).toBeUndefined();
		expect(limit.take(0)).toBeUndefined();
		expect(limit.describe()).toBeNull();
	});
});
