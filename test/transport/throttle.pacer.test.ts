import type { Turn } from '../../nodes/AcsChat/transport/throttle';
import { Pacer, pacerCount, pacerFor } from '../../nodes/AcsChat/transport/throttle';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const seconds = (s: number) => ({ ms: s * 1000, granularityMs: 1000 });
const exactly = (ms: number) => ({ ms, granularityMs: 0 });

/** Asks for `count` turns at once; records, on the fake clock, when each was given (false: refused). */
function askTurns(pacer: Pacer, count: number, signal?: AbortSignal) {
	const times: Array<number | false> = new Array(count);
	const turns: Array<Turn | false> = new Array(count);
	const done = Promise.all(
		Array.from({ length: count }, async (_, index) => {
			turns[index] = await pacer.turn(signal);
			times[index] = turns[index] ? Date.now() : false;
		}),
	);
	return { times, turns, done };
}

async function turnTimes(pacer: Pacer, count: number, untilMs: number, signal?: AbortSignal) {
	const asked = askTurns(pacer, count, signal);
	await jest.advanceTimersByTimeAsync(untilMs);
	await asked.done;
	return asked.times;
}

/** The service takes `count` sends spread evenly over `spanMs`, each asking a turn first. */
async function admitOver(pacer: Pacer, count: number, spanMs: number) {
	for (let i = 0; i < count; i++) {
		const asked = askTurns(pacer, 1);
		await jest.advanceTimersByTimeAsync(spanMs / count);
		await asked.done;
		pacer.admit(asked.turns[0] as Turn);
	}
}

/** The turn of one send, however long it waits. */
async function waitTurn(pacer: Pacer): Promise<Turn> {
	const asked = askTurns(pacer, 1);
	while (asked.times[0] === undefined) await jest.advanceTimersToNextTimerAsync();
	await asked.done;
	return asked.turns[0] as Turn;
}

/** 20 sends taken over 200 ms, then one refused asking 300 ms: paced at 500 / 20 / 1.02 = 24.5 ms. */
async function pacedAt24ms(pacer: Pacer) {
	await admitOver(pacer, 20, 200);
	pacer.refuse(await oneTurn(pacer), exactly(300));
}

async function oneTurn(pacer: Pacer): Promise<Turn> {
	const asked = askTurns(pacer, 1);
	await jest.advanceTimersByTimeAsync(0);
	await asked.done;
	return asked.turns[0] as Turn;
}

describe('Pacer', () => {
	it('gives every turn at once until the service refuses something', async () => {
		expect(await turnTimes(new Pacer(), 5, 0)).toEqual([0, 0, 0, 0, 0]);
	});

	it('after one refusal holds every waiting send for the wait, then lets them all go together', async () => {
		const pacer = new Pacer();
		pacer.refuse(await oneTurn(pacer), seconds(1));

		// The old pacer booked these one guessed second apart: the 32nd went at 32 s.
		expect(await turnTimes(pacer, 32, 2_000)).toEqual(new Array(32).fill(1_000));
	});

	it('does the same after a 503 that named no wait (the sender hands its backoff)', async () => {
		const pacer = new Pacer();
		pacer.refuse(await oneTurn(pacer), exactly(750));

		expect(await turnTimes(pacer, 8, 1_000)).toEqual(new Array(8).fill(750));
	});

	it('measures nothing from a refusal in the first round, and sends admitted after it leave no pause', async () => {
		const pacer = new Pacer();
		// 16 sends out at once (concurrency 16); 15 taken, answered before the one refused.
		const round = await Promise.all(Array.from({ length: 16 }, async () => await oneTurn(pacer)));
		for (const turn of round.slice(1)) pacer.admit(turn);
		pacer.refuse(round[0], seconds(1));

		// The 15 went out after the refused one and got through: whatever refused it had passed.
		expect(await turnTimes(pacer, 8, 2_000)).toEqual(new Array(8).fill(0));
	});

	it('ends a pause when a send that went out after the refused one is admitted', async () => {
		const pacer = new Pacer();
		const [refused, later] = await Promise.all([oneTurn(pacer), oneTurn(pacer)]);
		pacer.refuse(refused, seconds(1));
		const waiting = askTurns(pacer, 4);
		await jest.advanceTimersByTimeAsync(200);
		expect(waiting.times).toEqual(new Array(4).fill(undefined));

		pacer.admit(later);
		await jest.advanceTimersByTimeAsync(0);
		await waiting.done;
		expect(waiting.times).toEqual(new Array(4).fill(200));
	});

	it('keeps the pause when only sends that went out before the refused one are admitted', async () => {
		const pacer = new Pacer();
		const [earlier, refused] = await Promise.all([oneTurn(pacer), oneTurn(pacer)]);
		pacer.refuse(refused, seconds(1));
		pacer.admit(earlier);

		expect(await turnTimes(pacer, 4, 2_000)).toEqual(new Array(4).fill(1_000));
	});

	it('measures a first refusal on the sends of the last seconds, not on an earlier run taken without a limit', async () => {
		const pacer = new Pacer();
		// An earlier run: 400 sends taken without a limit, at 1 per 2.5 ms.
		pacer.enter();
		await admitOver(pacer, 400, 1_000);
		pacer.leave();
		await jest.advanceTimersByTimeAsync(5_000);

		// This run: 40 sends in 400 ms, the 41st refused for 600 ms: 40 per 1 s, one per 25 ms, offered 2 % faster.
		pacer.enter();
		await admitOver(pacer, 40, 400);
		pacer.refuse(await oneTurn(pacer), exactly(600));
		const times = (await turnTimes(pacer, 11, 2_000)) as number[];
		pacer.leave();
		expect((times[10] - times[0]) / 10).toBeCloseTo(25 / 1.02, 0);
	});

	it('paces at the rate the service took up to the end of the pause that refusal asked for', async () => {
		const pacer = new Pacer();
		await pacedAt24ms(pacer);

		// 20 taken in 200 ms, then a 300 ms pause: 20 per 500 ms, one per 25 ms, offered 2 % faster.
		const times = (await turnTimes(pacer, 11, 1_000)) as number[];
		expect(times[0]).toBe(500);
		expect((times[10] - times[0]) / 10).toBeCloseTo(24.5, 0);
	});

	it('ignores refusals of sends that went out before the first refusal was known: one episode', async () => {
		const pacer = new Pacer();
		const inFlight = await Promise.all([oneTurn(pacer), oneTurn(pacer), oneTurn(pacer)]);
		pacer.refuse(inFlight[0], seconds(1));
		await jest.advanceTimersByTimeAsync(10);
		pacer.refuse(inFlight[1], seconds(1));
		pacer.refuse(inFlight[2], seconds(1));

		// Still unpaced after the (slightly longer) pause: three answers to one overshoot measure nothing.
		expect(await turnTimes(pacer, 4, 2_000)).toEqual([1_010, 1_010, 1_010, 1_010]);
	});

	it('re-spaces sends already waiting when it speeds up after quiet seconds: nothing is booked ahead', async () => {
		const pacer = new Pacer();
		await pacedAt24ms(pacer);
		const times = (await turnTimes(pacer, 120, 3_000)) as number[];
		const meanGap = (from: number, to: number) => {
			const inRange = times.filter((time) => time >= from && time < to);
			return (inRange[inRange.length - 1] - inRange[0]) / (inRange.length - 1);
		};

		// Refused at 200 ms: quiet at 1 200 ms (10 % faster), at 2 200 ms (20 % faster again).
		expect(meanGap(500, 1_200)).toBeCloseTo(24.5, 0);
		expect(meanGap(1_250, 2_200)).toBeCloseTo(24.5 / 1.1, 0);
		expect(meanGap(2_250, 3_000)).toBeCloseTo(24.5 / 1.1 / 1.2, 0);
	});

	it('after a whole-second Retry-After while paced, probes soon, doubling while refused, never beyond the wait', async () => {
		const pacer = new Pacer();
		await pacedAt24ms(pacer);
		for (let i = 0; i < 3; i++) pacer.admit(await waitTurn(pacer));
		const pauses: number[] = [];
		for (let refusal = 0; refusal < 7; refusal++) {
			const probe = await waitTurn(pacer);
			const refusedAt = Date.now();
			pacer.refuse(probe, seconds(1));
			await waitTurn(pacer);
			pauses.push(Date.now() - refusedAt);
		}

		// The first probe after one interval (at least 1/32 s), not after the second the header says; then
		// doubling, so that five retries of one send span the whole second the rounding hides.
		expect(pauses[0]).toBeLessThan(60);
		const doublings = pauses.slice(1, 5).map((pause, index) => pause / pauses[index]);
		for (const ratio of doublings) expect(ratio).toBeCloseTo(2, 1);
		expect(pauses.slice(5)).toEqual([1_000, 1_000]);
	});

	it('does not count time nobody was sending as time the service admitted nothing', async () => {
		const pacer = new Pacer();
		pacer.enter();
		await pacedAt24ms(pacer);
		for (let i = 0; i < 10; i++) pacer.admit(await waitTurn(pacer));
		pacer.leave();
		await jest.advanceTimersByTimeAsync(3_000);
		pacer.enter();
		for (let i = 0; i < 10; i++) pacer.admit(await waitTurn(pacer));
		pacer.refuse(await waitTurn(pacer), exactly(0));
		const times = (await turnTimes(pacer, 5, 1_000)) as number[];

		// 20 taken in about 400 ms of sending: paced near 20 ms, not at 3.4 s / 20 = 170 ms.
		expect((times[4] - times[0]) / 4).toBeLessThan(30);
		pacer.leave();
	});

	it('gives up a turn as soon as the execution is cancelled', async () => {
		const pacer = new Pacer();
		pacer.refuse(await oneTurn(pacer), seconds(30));
		const controller = new AbortController();
		const asked = askTurns(pacer, 2, controller.signal);
		await jest.advanceTimersByTimeAsync(50);
		controller.abort();
		await jest.advanceTimersByTimeAsync(0);
		await asked.done;

		expect(asked.times).toEqual([false, false]);
		expect(Date.now()).toBe(50);
	});

	it('lets the others go on time when a waiting send is cancelled: it holds no slot', async () => {
		const pacer = new Pacer();
		await pacedAt24ms(pacer);
		const controller = new AbortController();
		const cancelled = askTurns(pacer, 1, controller.signal);
		const others = askTurns(pacer, 3);
		await jest.advanceTimersByTimeAsync(10);
		controller.abort();
		await jest.advanceTimersByTimeAsync(500);
		await Promise.all([cancelled.done, others.done]);

		expect(cancelled.times).toEqual([false]);
		expect(others.times).toEqual([500, 525, 550]);
	});
});

describe('pacerFor', () => {
	it('gives one pacer per key, shared by every caller', () => {
		expect(pacerFor('identity|threadRead|')).toBe(pacerFor('identity|threadRead|'));
		expect(pacerFor('identity|participantWrite|A')).not.toBe(pacerFor('identity|participantWrite|B'));
	});

	it('a refusal in one bucket leaves another unpaced', async () => {
		const throttled = pacerFor('pacerFor-test|participantWrite|A');
		const other = pacerFor('pacerFor-test|participantWrite|B');
		throttled.refuse(await oneTurn(throttled), seconds(5));

		expect(await turnTimes(other, 3, 0)).toEqual([0, 0, 0]);
	});

	it('drops idle unpaced buckets, keeps those still paused or in use', async () => {
		const paused = pacerFor('sweep|paused');
		paused.refuse(await oneTurn(paused), seconds(60));
		const inUse = pacerFor('sweep|in-use');
		inUse.enter();
		for (let i = 0; i < 1_000; i++) pacerFor(`sweep|idle|${i}`);

		// 1 000 idle buckets were made; the registry swept them as it grew.
		expect(pacerCount()).toBeLessThan(200);
		expect(pacerFor('sweep|paused')).toBe(paused);
		expect(pacerFor('sweep|in-use')).toBe(inUse);
		inUse.leave();
	});
});
