import type { HttpFailure } from './errors';
import { httpFailure } from './errors';
import type { RequestedWait } from './retryAfter';
import { requestedWait } from './retryAfter';
import type { Pacer } from './throttle';
import { waitUnlessAborted } from './throttle';

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

/**
 * What a repeat of the request could do. 'safe': nothing more than the first send (reads, deletes, removals,
 * receipts, updates, and creations carrying a repeatability-request-id). 'refusedOnly': it could act twice
 * (Send Message), so only an answer proving it was not processed (429) lets it go again.
 */
export type Resend = 'safe' | 'refusedOnly';

export interface TransientFailure {
	cause: 'rate-limited' | 'temporarily-unavailable';
	/** What Retry-After (or its ms variants) asked for, when the answer carried one. */
	requestedWaitMs?: number;
}

/**
 * Failures after which the request may or may not have reached ACS: the connection broke or timed out
 * mid-request. Those naming a connection that never carried the request (refused, DNS, certificates) are final.
 */
const INTERRUPTED = new Set(['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE']);

function interrupted(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return false;
	return (failure.code !== undefined && INTERRUPTED.has(failure.code)) || /socket hang up/i.test(failure.message ?? '');
}

/** 429, 503 and an interrupted connection mean "not now": the same request may succeed later. */
function transientFailure(failure: HttpFailure, wait: RequestedWait | undefined): TransientFailure | undefined {
	if (failure.status === 429 || failure.status === 503) {
		const cause = failure.status === 429 ? 'rate-limited' : 'temporarily-unavailable';
		return wait === undefined ? { cause } : { cause, requestedWaitMs: wait.ms };
	}
	return interrupted(failure) ? { cause: 'temporarily-unavailable' } : undefined;
}

/** Exponential backoff with equal jitter, so items throttled together do not all come back together. */
function backoffMs(retry: number, policy: RetryPolicy, random = Math.random): number {
	const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** retry);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
			/** Set when a request that must not act twice failed in a way that leaves open whether ACS processed it. */
			mayHaveBeenSent?: true;
	  };

export interface RetryOptions {
	policy: RetryPolicy;
	signal?: AbortSignal;
	/** The request's throttle bucket: take it (`pacerFor`) right before sending. */
	pacer: Pacer;
	/** The node run sending it (the pacer measures a first refusal on that run's sends). */
	run?: object;
	resend: Resend;
	random?: () => number;
}

/** The error a wait ends with when the execution is cancelled; errors.ts words ERR_CANCELED. */
const CANCELLED = { code: 'ERR_CANCELED', message: 'the execution was cancelled' };

/**
 * Sends, and sends again after a transient failure the request's kind allows: when its bucket's pacer gives
 * the next turn after a refusal, else after an exponential backoff. Never throws; the outcome says how many
 * attempts were made and why it stopped.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
	const { pacer } = options;
	pacer.enter();
	try {
		return await attempt(send, options);
	} finally {
		pacer.leave();
	}
}

async function attempt<T>(send: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
	const { policy, signal, pacer } = options;
	// The backoff grows with the failures that named no wait, not with every attempt: after a few paced 429s
	// a single reset would otherwise wait as if it were the fifth reset in a row.
	let backoffs = 0;
	for (let attempts = 1; ; attempts++) {
		const turn = await pacer.turn(signal, options.run);
		if (!turn) return { ok: false, error: CANCELLED, attempts: attempts - 1 };
		let error: unknown;
		try {
			const value = await send();
			pacer.admit(turn);
			return { ok: true, value, attempts };
		} catch (caught) {
			error = caught;
		}
		const failure = httpFailure(error);
		const named = requestedWait(failure.headers);
		const transient = transientFailure(failure, named);
		if (!transient) {
			if (failure.status !== undefined) pacer.admit(turn);
			// A gateway that gave up waiting cannot say whether ACS carried the request out behind it.
			const unknown = options.resend === 'refusedOnly' && (failure.status === 502 || failure.status === 504);
			return unknown ? { ok: false, error, attempts, mayHaveBeenSent: true } : { ok: false, error, attempts };
		}
		const refusedWaitMs = named !== undefined && named.ms > policy.maxWaitMs ? named.ms : undefined;
		const wait = named ?? { ms: backoffMs(backoffs++, policy, options.random), granularityMs: 0 };
		// Only an answer tells the pacer something: a reset or a timeout says nothing about the service's rate.
		if (failure.status !== undefined && refusedWaitMs === undefined) pacer.refuse(turn, wait);
		if (options.resend === 'refusedOnly' && failure.status !== 429) {
			return { ok: false, error, attempts, transient, mayHaveBeenSent: true };
		}
		if (attempts > policy.maxRetries) return { ok: false, error, attempts, transient };
		if (refusedWaitMs !== undefined) return { ok: false, error, attempts, transient, refusedWaitMs };
		// A refusal paused the bucket; the next turn comes when the pause allows.
		if (failure.status !== undefined) continue;
		if (!(await waitUnlessAborted(wait.ms, signal))) return { ok: false, error: CANCELLED, attempts, transient };
	}
}
