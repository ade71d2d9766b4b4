import { sleep } from 'n8n-workflow';

import type { HttpFailure } from './errors';
import { httpFailure } from './errors';
import { retryAfterMs } from './retryAfter';

export interface RetryPolicy {
	/** Attempts after the first one; 0 sends every request once. */
	maxRetries: number;
	/** The longest wait the node accepts; a service asking for more fails the item instead of stalling the run. */
	maxWaitMs: number;
	/** First backoff when the service named no wait; it doubles with every retry, up to maxWaitMs. */
	baseDelayMs: number;
}

/**
 * Azure SDKs retry 3 times; bulk runs meet rate limits far more often than single calls, and every retry
 * waits what the service asked for, so a few more are cheap and keep whole batches from failing.
 */
export const DEFAULT_MAX_RETRIES = 5;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: DEFAULT_MAX_RETRIES,
	maxWaitMs: 60_000,
	baseDelayMs: 1_000,
};

export interface TransientFailure {
	cause: 'rate-limited' | 'temporarily-unavailable';
	/** What Retry-After (or its ms variants) asked for, when the answer carried one. */
	requestedWaitMs?: number;
}

/** 429, 503 and a connection reset mean "not now": the same request may succeed later. Everything else is final. */
export function transientFailure(failure: HttpFailure): TransientFailure | undefined {
	if (failure.status === 429 || failure.status === 503) {
		return {
			cause: failure.status === 429 ? 'rate-limited' : 'temporarily-unavailable',
			requestedWaitMs: retryAfterMs(failure.headers),
		};
	}
	if (failure.status === undefined && failure.code === 'ECONNRESET') return { cause: 'temporarily-unavailable' };
	return undefined;
}

/** Exponential backoff with equal jitter, so items throttled together do not all come back together. */
export function backoffMs(retry: number, policy: RetryPolicy, random = Math.random): number {
	const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** retry);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

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

/** Fewer admitted requests than this between two refusals say too little about the rate the service allows. */
const MIN_SAMPLES = 8;

/**
 * Sends are spaced this much closer than the rate the service was seen to admit: offering slightly more than
 * it allows keeps it saturated (a refusal costs one extra attempt, not a failed item) and keeps the estimate
 * honest, since a service offered less than its limit admits less than its limit.
 */
const HEADROOM = 0.95;

/** Without a measured rate, the first spacing is the wait asked for, but never slower than this. */
const MAX_GUESSED_INTERVAL_MS = 1_000;

/** A run that has been refused nothing for this long (or for the last wait asked, if longer) halves its spacing. */
const MIN_QUIET_MS = 1_000;

/**
 * One per node run, shared by its items. Unpaced until the service refuses a request (429, 503); from then
 * on every send, first attempts and retries alike, takes a turn: none before the wait the service asked for
 * has passed, and then one per interval instead of all at once, where the interval is the spacing at which
 * the service was seen to admit requests between refusals. Released together, throttled requests would race
 * for the same capacity and most would be refused again, until some ran out of retries. A run refused nothing
 * for a while halves its spacing, back to unpaced.
 */
export class Pacer {
	private pausedUntil = 0;
	private intervalMs = 0;
	private nextTurnAt = 0;
	private lastRefusalAt = 0;
	private quietMs = MIN_QUIET_MS;
	private admitted = 0;
	private admittedSince = Date.now();

	/** Resolves true when this send may go, false when the signal aborted while waiting for it. */
	async turn(signal: AbortSignal | undefined): Promise<boolean> {
		for (;;) {
			const now = Date.now();
			this.relax(now);
			const at = Math.max(now, this.pausedUntil, this.nextTurnAt);
			this.nextTurnAt = at + this.intervalMs;
			if (at <= now) return true;
			if (!(await waitUnlessAborted(at - now, signal))) return false;
			// A refusal while this send waited moved the pause past its turn: it queues again behind the pause.
			if (this.pausedUntil <= Date.now()) return true;
		}
	}

	/** The service took a request (any answer but "not now"): the measure of the rate it admits. */
	admit(): void {
		this.admitted++;
	}

	/** The service refused a request for now, asking for `requestedWaitMs` or naming no wait. */
	refuse(requestedWaitMs: number | undefined): void {
		const now = Date.now();
		if (requestedWaitMs !== undefined) {
			this.pausedUntil = Math.max(this.pausedUntil, now + requestedWaitMs);
			this.quietMs = Math.max(MIN_QUIET_MS, requestedWaitMs);
		}
		this.lastRefusalAt = now;
		if (this.admitted >= MIN_SAMPLES) {
			this.intervalMs = ((now - this.admittedSince) / this.admitted) * HEADROOM;
			[this.admittedSince, this.admitted] = [now, 0];
		} else if (this.intervalMs === 0) {
			this.intervalMs = Math.min(requestedWaitMs ?? MAX_GUESSED_INTERVAL_MS, MAX_GUESSED_INTERVAL_MS);
			[this.admittedSince, this.admitted] = [now, 0];
		}
	}

	private relax(now: number): void {
		const quietPeriods = Math.floor((now - this.lastRefusalAt) / this.quietMs);
		if (this.intervalMs === 0 || quietPeriods === 0) return;
		this.intervalMs /= 2 ** quietPeriods;
		if (this.intervalMs < 1) this.intervalMs = 0;
		this.lastRefusalAt += quietPeriods * this.quietMs;
	}
}

const pacers = new WeakMap<object, Pacer>();

/** The pacer of the node run a context belongs to. */
export function pacerOf(context: object): Pacer {
	let pacer = pacers.get(context);
	if (!pacer) pacers.set(context, (pacer = new Pacer()));
	return pacer;
}

export type RetryOutcome<T> =
	| { ok: true; value: T; attempts: number }
	| {
			ok: false;
			error: unknown;
			attempts: number;
			transient?: TransientFailure;
			/** Set when the service asked for a wait longer than the policy accepts. */
			refusedWaitMs?: number;
	  };

export interface RetryOptions {
	policy: RetryPolicy;
	signal?: AbortSignal;
	pacer: Pacer;
	random?: () => number;
}

/** The error a wait ends with when the execution is cancelled; errors.ts words ERR_CANCELED. */
const CANCELLED = { code: 'ERR_CANCELED', message: 'the execution was cancelled' };

/**
 * Sends, and sends again after a transient failure: when the run's pacer gives the next turn after the wait
 * the service asked for, else after an exponential backoff. Never throws; the outcome says how many attempts
 * were made and why it stopped.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
	const { policy, signal, pacer } = options;
	// The backoff grows with the failures that named no wait, not with every attempt: after a few paced 429s
	// a single reset would otherwise wait as if it were the fifth reset in a row.
	let backoffs = 0;
	for (let attempts = 1; ; attempts++) {
		if (!(await pacer.turn(signal))) return { ok: false, error: CANCELLED, attempts: attempts - 1 };
		let error: unknown;
		try {
			const value = await send();
			pacer.admit();
			return { ok: true, value, attempts };
		} catch (caught) {
			error = caught;
		}
		const failure = httpFailure(error);
		const transient = transientFailure(failure);
		const requested = transient?.requestedWaitMs;
		const refusedWaitMs = requested !== undefined && requested > policy.maxWaitMs ? requested : undefined;
		// Only an answer tells the pacer something: a reset or a timeout says nothing about the service's rate.
		if (failure.status !== undefined && !transient) pacer.admit();
		if (failure.status !== undefined && transient && refusedWaitMs === undefined) pacer.refuse(requested);
		if (!transient || attempts > policy.maxRetries) return { ok: false, error, attempts, transient };
		if (refusedWaitMs !== undefined) return { ok: false, error, attempts, transient, refusedWaitMs };
		if (requested !== undefined) continue;
		if (!(await waitUnlessAborted(backoffMs(backoffs++, policy, options.random), signal))) {
			return { ok: false, error: CANCELLED, attempts, transient };
		}
	}
}
