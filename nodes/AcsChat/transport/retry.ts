import { sleep } from 'n8n-workflow';

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
export function transientFailure(error: unknown): TransientFailure | undefined {
	const failure = httpFailure(error);
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

/**
 * One per node run, shared by its items: when the service asks one request to wait, every other request of
 * the run waits too instead of spending its own attempts (and the service's patience) on the same refusal.
 */
export class SharedPause {
	private until = 0;

	extend(ms: number, now = Date.now()): void {
		this.until = Math.max(this.until, now + ms);
	}

	/** False when the signal aborted while waiting. */
	async wait(signal: AbortSignal | undefined): Promise<boolean> {
		for (let left = this.until - Date.now(); left > 0; left = this.until - Date.now()) {
			if (!(await waitUnlessAborted(left, signal))) return false;
		}
		return true;
	}
}

const pauses = new WeakMap<object, SharedPause>();

/** The pause of the node run a context belongs to. */
export function sharedPauseOf(context: object): SharedPause {
	let pause = pauses.get(context);
	if (!pause) pauses.set(context, (pause = new SharedPause()));
	return pause;
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
	pause?: SharedPause;
	random?: () => number;
}

/** The error a wait ends with when the execution is cancelled; errors.ts words ERR_CANCELED. */
const CANCELLED = { code: 'ERR_CANCELED', message: 'the execution was cancelled' };

/**
 * Sends, and sends again after a transient failure: after the wait the service asked for, else after an
 * exponential backoff. Never throws; the outcome says how many attempts were made and why it stopped.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
	const { policy, signal, pause } = options;
	for (let attempts = 1; ; attempts++) {
		if (pause && !(await pause.wait(signal))) return { ok: false, error: CANCELLED, attempts: attempts - 1 };
		let error: unknown;
		try {
			return { ok: true, value: await send(), attempts };
		} catch (caught) {
			error = caught;
		}
		const transient = transientFailure(error);
		if (!transient || attempts > policy.maxRetries) return { ok: false, error, attempts, transient };
		const requested = transient.requestedWaitMs;
		if (requested !== undefined && requested > policy.maxWaitMs) {
			return { ok: false, error, attempts, transient, refusedWaitMs: requested };
		}
		const waitMs = requested ?? backoffMs(attempts - 1, policy, options.random);
		if (requested !== undefined) pause?.extend(requested);
		if (!(await waitUnlessAborted(waitMs, signal))) return { ok: false, error: CANCELLED, attempts, transient };
	}
}
