/**
 * The pacer against throttle shapes, on the fake clock (see throttleSim): total time against the ideal,
 * extra requests (refusals per item) and failed items, asserted against issue 8's targets and printed at the
 * end. The benchmark measures the same shapes inside a real n8n.
 */
import type { Figures, Service } from './throttleSim';
import { allOf, describeFigures, firstRefused, freshKey, limited, liftedAt, simulate, unlimited } from './throttleSim';

// A start inside a window, as against a real service (the emulator's windows sit on a grid from the epoch).
beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_377 }));
afterEach(() => jest.useRealTimers());

const report: string[] = [];
afterAll(() => {
	console.log(`simulated figures\n${report.join('\n')}`);
});

async function runOn(name: string, service: Service, items: number, concurrency: number, latencyMs: number) {
	const key = freshKey(name);
	return await simulate({ items, concurrency, latencyMs, bucketOf: () => ({ key, service }) });
}

function record(name: string, figures: Figures, idealMs: number) {
	report.push(describeFigures(name, figures, idealMs));
}

const LATENCIES = [0, 20];

describe('(a) one refusal on the first request, then no limit', () => {
	const faults: Array<[string, () => Service]> = [
		['429 Retry-After: 1', () => firstRefused({ status: 429, headers: { 'Retry-After': '1' } })],
		['503 without a wait', () => firstRefused({ status: 503, headers: {} })],
	];
	describe.each(faults)('%s', (fault, service) => {
		it.each(LATENCIES.flatMap((latency) => [8, 32].map((concurrency) => [concurrency, latency])))(
			'200 items at concurrency %i, latency %i ms: within 1 s + 1.1 x the unthrottled time',
			async (concurrency, latency) => {
				const free = await runOn('free', unlimited, 200, concurrency, latency);
				const figures = await runOn(fault, service(), 200, concurrency, latency);
				record(`(a) ${fault}, c=${concurrency}, ${latency} ms`, figures, free.elapsedMs);

				expect(figures.failed).toBe(0);
				expect(figures.refused).toBe(1);
				expect(figures.elapsedMs).toBeLessThanOrEqual(1_000 + 1.1 * free.elapsedMs);
			},
		);
	});
});

describe('(b) 40 requests per second', () => {
	const shapes: Array<[string, () => Service]> = [
		['fixed 1 s windows, Retry-After in seconds', () => limited({ shape: 'fixed', limit: 40, retryAfter: 'seconds' })],
		['sliding 1 s window, Retry-After in seconds', () => limited({ shape: 'sliding', limit: 40, retryAfter: 'seconds' })],
		['fixed 1 s windows, retry-after-ms', () => limited({ shape: 'fixed', limit: 40, retryAfter: 'ms' })],
		['sliding 1 s window, retry-after-ms', () => limited({ shape: 'sliding', limit: 40, retryAfter: 'ms' })],
		['token bucket, Retry-After in seconds', () => limited({ shape: 'bucket', limit: 40, retryAfter: 'seconds' })],
		['token bucket, retry-after-ms', () => limited({ shape: 'bucket', limit: 40, retryAfter: 'ms' })],
	];
	const runs = [200, 2_000].flatMap((items) => LATENCIES.flatMap((latency) => [8, 32].map((c) => [items, c, latency])));
	describe.each(shapes)('%s', (shape, service) => {
		it.each(runs)('%i items at concurrency %i, latency %i ms: <= 1.1 x N/R, none failed', async (items, c, latency) => {
			const figures = await runOn(shape, service(), items, c, latency);
			const idealMs = (items / 40) * 1_000;
			record(`(b) ${shape}, ${items} items, c=${c}, ${latency} ms`, figures, idealMs);

			expect(figures.failed).toBe(0);
			expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * idealMs);
			// Extra requests are a target at concurrency 8 for the windows (a burst refuses what is in flight, and
			// a token bucket's first burst comes free); at 32 and for the bucket they are reported.
			if (c === 8 && !shape.startsWith('token')) expect(figures.refused).toBeLessThanOrEqual(0.1 * items);
		});
	});
});

describe('(b) after earlier runs of the same user in the same process', () => {
	// A long-lived n8n: the bucket served unthrottled runs before this one (the benchmark's warm-up, a schedule).
	it.each(['fixed', 'sliding'] as const)('%s 1 s windows: 200 items at concurrency 8 still pay <= 10 %% extra', async (shape) => {
		const key = freshKey('warm');
		await simulate({ items: 400, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key, service: unlimited }) });
		await jest.advanceTimersByTimeAsync(5_000);
		const service = limited({ shape, limit: 40, retryAfter: 'seconds' });
		const figures = await simulate({ items: 200, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key, service }) });
		record(`(b) ${shape} after a 400-item unthrottled run, 200 items, c=8, 20 ms`, figures, 5_000);

		expect(figures.failed).toBe(0);
		expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * 5_000);
		expect(figures.refused).toBeLessThanOrEqual(0.1 * 200);
	});

	it.each(['fixed', 'sliding'] as const)('%s 1 s windows, after a run whose one early 429 measured nothing: <= 10 %% extra', async (shape) => {
		const key = freshKey('blip');
		const blip = firstRefused({ status: 429, headers: { 'Retry-After': '1' } });
		await simulate({ items: 200, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key, service: blip }) });
		await jest.advanceTimersByTimeAsync(300);
		const service = limited({ shape, limit: 40, retryAfter: 'seconds' });
		const figures = await simulate({ items: 200, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key, service }) });
		record(`(b) ${shape} after a run with one early 429, 200 items, c=8, 20 ms`, figures, 5_000);

		expect(figures.failed).toBe(0);
		expect(figures.refused).toBeLessThanOrEqual(0.1 * 200);
	});
});

describe('(b) with irregular sends and answers (a busy n8n)', () => {
	// Up to 30 ms more on each leg reorders arrivals: a send may reach the service before one that went out
	// earlier. The time is printed; the extra requests and failures are the targets here.
	it.each((['fixed', 'sliding'] as const).flatMap((shape) => [200, 2_000].map((items) => [shape, items] as const)))(
		'%s 1 s windows, %i items at concurrency 8: <= 10 %% extra, none failed',
		async (shape, items) => {
			const key = freshKey('jitter');
			const service = limited({ shape, limit: 40, retryAfter: 'seconds' });
			const figures = await simulate({ items, concurrency: 8, latencyMs: 20, jitterMs: 30, bucketOf: () => ({ key, service }) });
			record(`(b) ${shape}, jitter 30 ms, ${items} items, c=8`, figures, (items / 40) * 1_000);

			expect(figures.failed).toBe(0);
			expect(figures.refused).toBeLessThanOrEqual(0.1 * items);
		},
	);
});

describe('a fast limit: 500 per second in fixed windows', () => {
	// Between refusals the pacer runs below the limit for a while and speeds up; measured over that stretch
	// alone, the rate it was refused at would be its own slower pace, and it would spiral down.
	it.each([
		[1, 0],
		[8, 20],
		[32, 20],
	])('5000 items at concurrency %i, latency %i ms: within 1.1 x N/R', async (c, latency) => {
		const figures = await runOn('fast', limited({ shape: 'fixed', limit: 500, retryAfter: 'seconds' }), 5_000, c, latency);
		const idealMs = Math.max(10_000, (5_000 / c) * latency);
		record(`500 per s fixed, 5000 items, c=${c}, ${latency} ms`, figures, idealMs);

		expect(figures.failed).toBe(0);
		expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * idealMs);
	});
});

describe('(c) ACS-style windows and buckets', () => {
	it.each(LATENCIES)('50 per 10 s, fixed and sliding: 200 items within 1.1 x N/R (latency %i ms)', async (latency) => {
		for (const shape of ['fixed', 'sliding'] as const) {
			const figures = await runOn(shape, limited({ shape, limit: 50, windowMs: 10_000, retryAfter: 'seconds' }), 200, 8, latency);
			record(`(c) 50 per 10 s ${shape}, 200 items, c=8, ${latency} ms`, figures, 40_000);

			expect(figures.failed).toBe(0);
			expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * 40_000);
		}
	});

	it.each((['fixed', 'sliding'] as const).flatMap((shape) => LATENCIES.flatMap((latency) => [8, 32].map((c) => [shape, c, latency] as const))))(
		'10 per 10 s and 30 per minute together, %s windows: 100 items within 1.1 x N/R (concurrency %i, latency %i ms)',
		async (shape, c, latency) => {
			// The minute's limit stops the pace the 10 s one allowed: the pacer must not fall below the minute's.
			const service = allOf(
				{ shape, limit: 10, windowMs: 10_000, retryAfter: 'seconds' },
				{ shape, limit: 30, windowMs: 60_000, retryAfter: 'seconds' },
			);
			const figures = await runOn('two limits', service, 100, c, latency);
			record(`(c) 10 per 10 s + 30 per 60 s ${shape}, 100 items, c=${c}, ${latency} ms`, figures, 200_000);

			expect(figures.failed).toBe(0);
			expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * 200_000);
		},
	);

	it('a throttled thread does not slow another thread run at the same time', async () => {
		const free = await runOn('free', unlimited, 200, 8, 20);
		const [throttledKey, otherKey] = [freshKey('user|participantWrite|A'), freshKey('user|participantWrite|B')];
		const throttled = limited({ shape: 'fixed', limit: 10, windowMs: 10_000, retryAfter: 'seconds' });
		const [onA, onB] = await Promise.all([
			simulate({ items: 30, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key: throttledKey, service: throttled }) }),
			simulate({ items: 200, concurrency: 8, latencyMs: 20, bucketOf: () => ({ key: otherKey, service: unlimited }) }),
		]);
		record('(c) thread A throttled (10 per 10 s), 30 items', onA, 30_000);
		record('(c) thread B beside it, 200 items, vs unthrottled alone', onB, free.elapsedMs);

		expect(onA.refused).toBeGreaterThan(0);
		expect(onB.elapsedMs).toBe(free.elapsedMs);
	});

	it('reads of one user and removals from two threads in one run: reads never slowed by the removals', async () => {
		// 240 items: every sixth a removal, alternating between two threads (10 per 10 s each); the rest reads
		// of the user's threads (50 per 10 s). Ideal: the reads' 200 / 5 per s = 40 s.
		const reads = limited({ shape: 'fixed', limit: 50, windowMs: 10_000, retryAfter: 'seconds' });
		const threadA = limited({ shape: 'fixed', limit: 10, windowMs: 10_000, retryAfter: 'seconds' });
		const threadB = limited({ shape: 'fixed', limit: 10, windowMs: 10_000, retryAfter: 'seconds' });
		const keys = { read: freshKey('user|threadRead|'), a: freshKey('user|participantWrite|A'), b: freshKey('user|participantWrite|B') };
		const bucketOf = (item: number) => {
			if (item % 6 !== 5) return { key: keys.read, service: reads };
			return Math.floor(item / 6) % 2 === 0 ? { key: keys.a, service: threadA } : { key: keys.b, service: threadB };
		};
		const figures = await simulate({ items: 240, concurrency: 16, latencyMs: 20, bucketOf });
		record('(c) mixed: 200 reads + 2 x 20 removals, c=16, 20 ms', figures, 40_000);

		expect(figures.failed).toBe(0);
		expect(figures.elapsedMs).toBeLessThanOrEqual(1.1 * 40_000);
		// Reads are refused only by their own limit: about one burst, not once per removal refusal.
		expect(figures.perBucket[keys.read].refused).toBeLessThanOrEqual(0.1 * 200 + 16);
	});
});

describe('a limit that goes away', () => {
	it.each(LATENCIES)('the pacer speeds back up to unpaced (latency %i ms)', async (latency) => {
		const free = await runOn('free', unlimited, 1_600, 8, latency);
		const figures = await runOn('lifted', liftedAt(limited({ shape: 'fixed', limit: 40, retryAfter: 'seconds' }), 10_000), 2_000, 8, latency);
		// About 400 items go in the first 10 s; the other 1 600 at the unthrottled pace, once it has sped up.
		const idealMs = 10_000 + free.elapsedMs;
		record(`lifted after 10 s, 2000 items, c=8, ${latency} ms`, figures, idealMs);

		expect(figures.failed).toBe(0);
		expect(figures.elapsedMs - idealMs).toBeLessThan(6_000);
	});
});
