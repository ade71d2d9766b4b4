/**
 * Pacing by throttle bucket. ACS limits each operation class per user, and some per thread, so every bucket
 * (the caller's key: identity, class, thread) has its own Pacer, shared by every execution in this process that
 * acts as that identity: a 429 for one thread or class never slows another, and parallel runs of one user take
 * their turns from the same pacer instead of each learning the limit alone.
 *
 * A pacer is unpaced until the service refuses a send (429, 503). A refusal pauses the bucket for the wait the
 * service asked for (refusals of sends already out when the first was known belong to the same overshoot), and
 * paces it from then on: one send per interval, the interval being the rate the service admitted from the end
 * of the last pause to the end of this one (a pause pays for the sends before it), offered 2 % faster so that a
 * refusal every window or so keeps the estimate current. Where limits nest (10 per 10 s and 30 per minute) the
 * recent measure undercounts, so the faster of it and the measure since the first pause is taken.
 * The first refusal of an unpaced bucket is measured on the sends admitted within the wait it asked for (at
 * least a second) before it, kept in a small ring: in a long-lived n8n the bucket served earlier runs at their
 * own pace without a limit, and counting those would set a pace far above the limit. Fewer than 8 of them, or a
 * later send already taken, measure nothing (one blip must not pace a run). An admission of a send that went
 * out after the newest refused one ends the pause at once: whatever refused it has passed (a new window, a
 * freed slot, a blip).
 * Nothing is booked ahead: waiting sends queue in order and one pump releases the head whenever the pause and
 * the spacing allow, reading both afresh each time, so a shorter interval or an ended pause applies to every
 * send already waiting, and a cancelled send simply leaves the queue. Time with no send in progress counts in
 * no measure.
 *
 * `Retry-After` counts whole seconds, so a refusal just before a window ends still says "1 s". Once paced, the
 * pacer does not sit out that second: it probes after one interval (at least 1/32 s), doubling the pause with
 * every refusal in a row without an admission in between, so that five retries span the hidden second, never longer than asked and never before the earliest moment the
 * rounded wait allows. A bucket refused nothing for a quiet period (a second, or the longest wait it was asked
 * for) speeds up by 10 %, then by 20 %, 40 % … for each further quiet period, back to unpaced, so a limit
 * that lifts stops costing time within a few periods.
 *
 * The registry holds pacers by key and drops, whenever it has doubled since the last sweep (at least 64), those
 * that are idle and unpaced: no send in progress, no pause, no interval. A paced bucket becomes unpaced after a
 * few quiet periods, so the map holds at most twice the buckets in use or recently throttled, plus 64.
 */
import { sleep } from 'n8n-workflow';

import type { RequestedWait } from './retryAfter';

/** Resolves true after `ms`, or false as soon as the signal aborts (older hosts' `sleep` ignores the signal). */
export async function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	if (!signal) {
		await sleep(ms);
		return true;
	}
	if (signal.aborted) return false;
	let onAbort = () => {};
	const aborted = new Promise<boolean>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([
			sleep(ms, signal).then(
				() => true,
				() => false,
			),
			aborted,
		]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** A send the pacer let go. Numbered, so a refusal tells whether it went out before the last one was known. */
export interface Turn {
	readonly number: number;
	/** When it went. */
	readonly at: number;
	/** The node run it belongs to (one execution of the node), if the sender named one. */
	readonly run?: object;
}

/** Paced sends are offered this much faster than the service was seen to admit. */
const HEADROOM = 1.02;

/** The first speed-up after a quiet period; each further quiet period doubles it. */
const FIRST_SPEEDUP = 0.1;

const MIN_QUIET_MS = 1_000;

/** Fewer admitted sends than this before the first refusal say too little about the rate. */
const MIN_SAMPLES = 8;

/** How many of the latest admitted sends an unpaced bucket remembers, to measure its first refusal against. */
const RECENT = 512;

/** A rounded wait is probed in steps of at least this fraction of its rounding. */
const PROBES_PER_ROUNDING = 32;

/** Spacing below this is no spacing: timers are not finer. */
const MIN_INTERVAL_MS = 1;

interface Waiter {
	resolve: (turn: Turn | false) => void;
	detach: () => void;
	run: object | undefined;
}

export class Pacer {
	private readonly waiting: Waiter[] = [];
	private pumping = false;
	private wake: AbortController | undefined;
	/** Sends in progress (sendWithRetry calls): while there are none, time does not count as admitting. */
	private users = 0;
	private idleSince: number | undefined = Date.now();

	private turns = 0;
	/** When the last turn was due (not when it went: a late timer must not slow the pace). */
	private lastTurnAt = -Infinity;
	private pausedUntil = 0;
	private intervalMs = 0;

	/**
	 * Refusal episodes. One begins with the refusal of a send that went out after the previous one was known
	 * (sends already out met the same spent limit); `episodeFirstTurn` is the first send after it, `admitted`
	 * how many of those the service took. `firstRound`: the sends that went out before any answer came back.
	 */
	private episodes = 0;
	private episodeFirstTurn = 0;
	private episodePaced = false;
	private admitted = 0;
	private refusedInARow = 0;
	/** When the latest admitted sends went (a ring of the last RECENT), for the first measure. */
	private readonly admittedAt = new Float64Array(RECENT);
	private readonly admittedRun = new Array<object | undefined>(RECENT);
	private admissions = 0;
	/** The newest send refused and the newest admitted, by turn number. */
	private lastRefusedTurn = -1;
	private lastAdmittedTurn = -1;

	/**
	 * The measures of the rate: sends admitted (`measured`, counting those from `measureFirstTurn` on) since
	 * `measuredSince`, the end of the last pause, and (`sustained`) since `sustainedSince`, the end of the
	 * first pause. The recent measure follows a limit that changed; the long one holds where limits nest
	 * (10 per 10 s and 30 per minute): after the minute's pause, the sends since the last pause are a third
	 * of what the minute took. It starts after the first pause so as not to count a burst the service
	 * allows once (a token bucket's capacity) as a rate.
	 */
	private measuredSince: number | undefined;
	private measureFirstTurn = 0;
	private measured = 0;
	private sustainedSince: number | undefined;
	private sustainedFirstTurn = Infinity;
	private sustained = 0;

	private quietSince = 0;
	private quietMs = MIN_QUIET_MS;
	private quietPeriods = 0;

	/** A send starts using this bucket (it may take several turns). */
	enter(): void {
		const now = Date.now();
		if (this.users++ === 0 && this.idleSince !== undefined && this.measuredSince !== undefined) {
			// Nobody was sending: that time says nothing about the rate the service admits.
			this.measuredSince += Math.max(0, now - Math.max(this.idleSince, this.measuredSince));
			if (this.sustainedSince !== undefined) {
				this.sustainedSince += Math.max(0, now - Math.max(this.idleSince, this.sustainedSince));
			}
		}
		this.idleSince = undefined;
	}

	leave(): void {
		if (--this.users === 0) this.idleSince = Date.now();
	}

	/** Resolves with the turn when this send may go, false at once when the signal aborts while it waits. */
	async turn(signal: AbortSignal | undefined, run?: object): Promise<Turn | false> {
		if (signal?.aborted) return false;
		const now = Date.now();
		this.relax(now);
		if (this.waiting.length === 0 && this.readyAt() <= now) return this.give(now, run);
		return await new Promise<Turn | false>((resolve) => {
			const waiter: Waiter = { resolve, detach: () => {}, run };
			if (signal) {
				const onAbort = () => {
					this.waiting.splice(this.waiting.indexOf(waiter), 1);
					resolve(false);
					this.wake?.abort();
				};
				signal.addEventListener('abort', onAbort, { once: true });
				waiter.detach = () => signal.removeEventListener('abort', onAbort);
			}
			this.waiting.push(waiter);
			void this.pump();
		});
	}

	/** The service answered the send (anything but "not now"). */
	admit(turn: Turn): void {
		this.admittedRun[this.admissions % RECENT] = turn.run;
		this.admittedAt[this.admissions++ % RECENT] = turn.at;
		if (turn.number >= this.episodeFirstTurn) this.admitted++;
		if (turn.number >= this.measureFirstTurn) this.measured++;
		if (turn.number >= this.sustainedFirstTurn) this.sustained++;
		this.lastAdmittedTurn = Math.max(this.lastAdmittedTurn, turn.number);
		// A send that went out after the last refused one got through: what refused it has passed (a new
		// window, a freed slot, a blip), so the sends waiting need not sit out the rest of its pause.
		if (turn.number > this.lastRefusedTurn) this.endPause(Date.now());
	}

	/** The service refused the send for now, asking for `wait` (or the sender's own backoff when it named none). */
	refuse(turn: Turn, wait: RequestedWait): void {
		const now = Date.now();
		this.relax(now);
		let pauseMs: number;
		if (turn.number >= this.episodeFirstTurn) {
			const stillClosed = this.episodes > 0 && this.admitted === 0;
			this.refusedInARow = stillClosed ? this.refusedInARow + 1 : 0;
			// A send that went out unpaced met a spent limit: its wait is what the service needs.
			this.episodePaced = this.intervalMs > 0;
			pauseMs = this.pauseFor(wait);
			// Refused again before anything got through: the pause was too short, not the pace. A send taken
			// after this one shows a blip, not a spent limit.
			if (!stillClosed && this.lastAdmittedTurn < turn.number) {
				// An unpaced bucket measures afresh: earlier refusals that measured nothing left no pace to refine.
				this.intervalMs = this.episodePaced ? this.measuredInterval(now, pauseMs) : this.firstInterval(now, pauseMs, wait, turn.run);
			}
			this.episodes++;
			[this.episodeFirstTurn, this.admitted] = [this.turns, 0];
		} else {
			pauseMs = this.pauseFor(wait);
		}
		this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
		this.measureFrom(this.pausedUntil);
		// The long measure starts when the bucket is first paced.
		if (!this.episodePaced && this.intervalMs > 0) [this.sustainedSince, this.sustainedFirstTurn, this.sustained] = [this.pausedUntil, this.turns, 0];
		[this.quietSince, this.quietPeriods, this.quietMs] = [now, 0, Math.max(this.quietMs, wait.ms)];
		this.lastRefusedTurn = Math.max(this.lastRefusedTurn, turn.number);
		// Answers can arrive out of order: a later send already admitted shows the refusal has passed.
		if (this.lastAdmittedTurn > turn.number) this.endPause(now);
		this.wake?.abort();
	}

	/** Ends the pause now; measures that were to start at its end start now. */
	private endPause(now: number): void {
		if (this.pausedUntil <= now) return;
		if (this.measuredSince === this.pausedUntil) this.measuredSince = now;
		if (this.sustainedSince === this.pausedUntil) this.sustainedSince = now;
		this.pausedUntil = now;
		this.wake?.abort();
	}

	/** Nothing to remember and nobody waiting: the registry may let it go. */
	idle(now = Date.now()): boolean {
		this.relax(now);
		return this.users === 0 && this.waiting.length === 0 && this.pausedUntil <= now && this.intervalMs === 0;
	}

	private readyAt(): number {
		return Math.max(this.pausedUntil, this.lastTurnAt + this.intervalMs);
	}

	private give(now: number, run: object | undefined): Turn {
		// Due at readyAt; a send more than one interval late starts the pace afresh rather than catching up.
		this.lastTurnAt = Math.max(this.readyAt(), now - this.intervalMs);
		if (this.measuredSince === undefined) this.measureFrom(now);
		return { number: this.turns++, at: now, run };
	}

	private measureFrom(at: number): void {
		[this.measuredSince, this.measureFirstTurn, this.measured] = [at, this.turns, 0];
	}

	/** Releases waiting sends in order, one whenever pause and spacing allow, re-reading both after every wait. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		while (this.waiting.length > 0) {
			const now = Date.now();
			this.relax(now);
			const at = this.readyAt();
			if (at <= now) {
				const waiter = this.waiting.shift() as Waiter;
				waiter.detach();
				waiter.resolve(this.give(now, waiter.run));
				continue;
			}
			this.wake = new AbortController();
			// Timers take whole milliseconds and round down: wake at or after the turn, not just before it.
			await waitUnlessAborted(Math.ceil(at - now), this.wake.signal);
		}
		this.wake = undefined;
		this.pumping = false;
	}

	/**
	 * The first measure, of a bucket that was unpaced: the sends of the refused one's run admitted within the
	 * wait asked for (at least a second) before this refusal, timed from the first of them to the end of this
	 * pause. Not every send since the first: in a long-lived n8n the bucket served earlier runs, one maybe just
	 * before, at their own pace without a limit. Fewer than MIN_SAMPLES say too little (a lone blip), and it
	 * stays unpaced. Runs of the same user beside this one are left out too; the next refusal counts them.
	 */
	private firstInterval(now: number, pauseMs: number, wait: RequestedWait, run: object | undefined): number {
		const spanMs = Math.max(MIN_QUIET_MS, wait.ms);
		let count = 0;
		let since = now;
		for (let index = this.admissions - 1; index >= Math.max(0, this.admissions - RECENT); index--) {
			const at = this.admittedAt[index % RECENT];
			if (now - at > spanMs) break;
			if (this.admittedRun[index % RECENT] === run) [count, since] = [count + 1, Math.min(since, at)];
		}
		if (count < MIN_SAMPLES) return this.intervalMs;
		const interval = (now - since + pauseMs) / count / HEADROOM;
		return interval < MIN_INTERVAL_MS ? 0 : interval;
	}

	/**
	 * The spacing at which the service admitted sends, up to the end of this pause (a pause pays for the sends
	 * before it, which spent the limit), by the faster of the two measures, offered a little faster.
	 */
	private measuredInterval(now: number, pauseMs: number): number {
		const spacing = (since: number, admitted: number) => (Math.max(now - since, 0) + pauseMs) / admitted;
		const recent = this.measured > 0 ? spacing(this.measuredSince as number, this.measured) : Infinity;
		const sustained = this.sustained > 0 ? spacing(this.sustainedSince as number, this.sustained) : Infinity;
		const interval = Math.min(recent, sustained) / HEADROOM;
		// A pace that is not a number would hold every send for good.
		if (!Number.isFinite(interval)) return this.intervalMs;
		return interval < MIN_INTERVAL_MS ? 0 : interval;
	}

	/**
	 * A rounded wait, once paced, is probed: one interval, doubling with each refusal in a row, and never less
	 * than 1/32 of the rounding, so that the retries of one send span the whole second the rounding hides.
	 */
	private pauseFor(wait: RequestedWait): number {
		if (!this.episodePaced || wait.granularityMs === 0) return wait.ms;
		const probe = Math.max(this.intervalMs, wait.granularityMs / PROBES_PER_ROUNDING) * 2 ** this.refusedInARow;
		return Math.min(wait.ms, Math.max(wait.ms - wait.granularityMs, probe));
	}

	/** Speeds up for every quiet period since the last refusal, faster the longer it stays quiet. */
	private relax(now: number): void {
		while (this.intervalMs > 0 && now - this.quietSince >= this.quietMs) {
			this.intervalMs /= 1 + FIRST_SPEEDUP * 2 ** this.quietPeriods++;
			this.quietSince += this.quietMs;
			if (this.intervalMs < MIN_INTERVAL_MS) this.forget();
		}
	}

	/** Back to unpaced: what was learnt no longer holds. */
	private forget(): void {
		this.intervalMs = 0;
		[this.episodes, this.episodeFirstTurn, this.admitted, this.refusedInARow] = [0, this.turns, 0, 0];
		[this.measuredSince, this.episodePaced, this.quietMs] = [undefined, false, MIN_QUIET_MS];
		[this.sustainedSince, this.sustainedFirstTurn, this.sustained] = [undefined, Infinity, 0];
	}
}

const pacers = new Map<string, Pacer>();
const MIN_SWEEP_SIZE = 64;
let sweepAtSize = MIN_SWEEP_SIZE;

/** The pacer of a throttle bucket, shared by every execution in this process. */
export function pacerFor(key: string): Pacer {
	let pacer = pacers.get(key);
	if (pacer) return pacer;
	if (pacers.size >= sweepAtSize) {
		const now = Date.now();
		for (const [held, candidate] of pacers) if (candidate.idle(now)) pacers.delete(held);
		sweepAtSize = Math.max(MIN_SWEEP_SIZE, 2 * pacers.size);
	}
	pacers.set(key, (pacer = new Pacer()));
	return pacer;
}

/** How many buckets the registry holds (for the memory bound's test). */
export function pacerCount(): number {
	return pacers.size;
}
