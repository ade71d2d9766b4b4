import { Pacer } from '../../nodes/AcsChat/transport/retry';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

/** Asks for `count` turns at once and records when each one is given, on the fake clock. */
async function turnTimes(pacer: Pacer, count: number, signal?: AbortSignal, untilMs = 60_000) {
	const times: Array<number | false> = [];
	const turns = Array.from({ length: count }, async () => {
		const given = await pacer.turn(signal);
		times.push(given ? Date.now() : false);
	});
	await jest.advanceTimersByTimeAsync(untilMs);
	await Promise.all(turns);
	return times;
}

/** The service admitted `count` requests spread evenly over `spanMs`, up to now. */
async function admitOver(pacer: Pacer, count: number, spanMs: number) {
	for (let i = 0; i < count; i++) {
		await jest.advanceTimersByTimeAsync(spanMs / count);
		pacer.admit();
	}
}

describe('Pacer', () => {
	it('gives every turn at once until the service refuses something', async () => {
		expect(await turnTimes(new Pacer(), 5)).toEqual([0, 0, 0, 0, 0]);
	});

	it('after a refusal with nothing measured yet, waits what was asked and then spaces turns by it', async () => {
		const pacer = new Pacer();
		pacer.refuse(10);

		expect(await turnTimes(pacer, 4, undefined, 500)).toEqual([10, 20, 30, 40]);
	});

	it('spaces turns a little closer than the rate the service admitted between refusals', async () => {
		const pacer = new Pacer();
		await admitOver(pacer, 20, 400);
		pacer.refuse(3);

		// 20 admitted in 400 ms: one per 20 ms, offered at 95 % of that spacing.
		expect(await turnTimes(pacer, 4, undefined, 500)).toEqual([403, 422, 441, 460]);
	});

	it('after a long Retry-After waits it out once, then resumes paced rather than all together', async () => {
		const pacer = new Pacer();
		await admitOver(pacer, 40, 4_000);
		pacer.refuse(10_000);

		// Admitted one per 100 ms before the refusal.
		expect(await turnTimes(pacer, 4, undefined, 20_000)).toEqual([14_000, 14_095, 14_190, 14_285]);
	});

	it('sends a turn waiting when a new refusal arrives behind the new pause', async () => {
		const pacer = new Pacer();
		pacer.refuse(10);
		const times: number[] = [];
		const turns = [0, 1].map(async () => {
			await pacer.turn(undefined);
			times.push(Date.now());
		});
		await jest.advanceTimersByTimeAsync(15);
		pacer.refuse(100);
		await jest.advanceTimersByTimeAsync(500);
		await Promise.all(turns);

		// The first turn went at 10 ms; the second, due at 20 ms, waits for the pause to end at 115 ms.
		expect(times).toEqual([10, 115]);
	});

	it('halves its spacing for every quiet second, down to unpaced', async () => {
		const pacer = new Pacer();
		pacer.refuse(8);
		await jest.advanceTimersByTimeAsync(1_000);

		// Quiet for 1 s: 8 ms spacing becomes 4 ms.
		expect(await turnTimes(pacer, 3, undefined, 100)).toEqual([1_000, 1_004, 1_008]);

		// Three more quiet seconds halve 4 ms to 0.5 ms: below 1 ms is unpaced.
		await jest.advanceTimersByTimeAsync(2_900);
		expect(await turnTimes(pacer, 3, undefined, 0)).toEqual([4_000, 4_000, 4_000]);
	});

	it('waits at least as long as the last wait asked before speeding up', async () => {
		const pacer = new Pacer();
		pacer.refuse(2_000);
		await jest.advanceTimersByTimeAsync(1_500);

		// Still the guessed 1 s spacing: 1.5 s is quiet enough after a 1 s wait, not after a 2 s one.
		expect(await turnTimes(pacer, 2, undefined, 5_000)).toEqual([2_000, 3_000]);
	});

	it('gives up a turn as soon as the execution is cancelled', async () => {
		const pacer = new Pacer();
		pacer.refuse(30_000);
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 50);

		expect(await turnTimes(pacer, 2, controller.signal, 100)).toEqual([false, false]);
	});
});
