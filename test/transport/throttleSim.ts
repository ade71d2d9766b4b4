/**
 * A node run on jest's fake clock: `items` requests sent `concurrency` at a time (the router's pool), each
 * through sendWithRetry and its bucket's process-wide pacer, against a simulated service that answers after
 * `latencyMs` (half out, half back, so the service decides when the request arrives). The limiters are the
 * emulator's own (token bucket, fixed and sliding windows), answering 429 with the emulator's headers.
 * Fake timers drive Date.now and n8n-workflow's sleep alike, so every figure is exact and repeatable.
 */
import { sleep } from 'n8n-workflow';

import { runPool } from '../../nodes/AcsChat/actions/pool';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from '../../nodes/AcsChat/transport/retry';
import { pacerFor } from '../../nodes/AcsChat/transport/throttle';

const { createLimiter, retryHeaders } = require('../../emulator/ratelimit');

export type Answer = { status: 200 } | { status: number; headers: Record<string, string> };

/** Decides each request at the moment it reaches the service. */
export type Service = (now: number) => Answer;

export interface LimitShape {
	shape: 'bucket' | 'fixed' | 'sliding';
	/** Requests per window (fixed, sliding); per second for the bucket. */
	limit: number;
	windowMs?: number;
	/** 'seconds': Retry-After in whole seconds, rounded up, as ACS answers; 'ms' adds retry-after-ms. */
	retryAfter: 'seconds' | 'ms';
}

/** Several limits at once (ACS: 10 per 10 s and 30 per minute): a request passes only when all let it. */
export function allOf(...shapes: LimitShape[]): Service {
	const limiters = shapes.map(({ shape, limit, windowMs = 1_000, retryAfter }) => ({
		retryAfter,
		limiter: createLimiter(shape === 'bucket' ? { shape, rps: limit } : { shape, limit, windowMs }),
	}));
	return (now) => {
		const waits: number[] = limiters.map(({ limiter }) => limiter.waitMs(now));
		const waitMs = Math.max(...waits);
		if (waitMs > 0) return { status: 429, headers: retryHeaders(waitMs, limiters[waits.indexOf(waitMs)].retryAfter) };
		for (const { limiter } of limiters) limiter.admit(now);
		return { status: 200 };
	};
}

export const limited = (shape: LimitShape): Service => allOf(shape);

export const unlimited: Service = () => ({ status: 200 });

/** Refuses the first request with `answer`, then nothing. */
export function firstRefused(answer: Answer): Service {
	let answered = 0;
	return () => (answered++ === 0 ? answer : { status: 200 });
}

/** `service` until `atMs` after the run starts, then no limit. */
export function liftedAt(service: Service, atMs: number, start = Date.now()): Service {
	return (now) => (now - start < atMs ? service(now) : { status: 200 });
}

export interface Bucket {
	key: string;
	service: Service;
}

export interface SimulationOptions {
	items: number;
	concurrency: number;
	latencyMs: number;
	/** The bucket of each item. */
	bucketOf: (item: number) => Bucket;
	/**
	 * Up to this much more on each leg of every request, drawn from a fixed-seed sequence: a busy n8n (timers
	 * firing late, other items' work between turns) sends irregularly, and its answers come back irregularly.
	 */
	jitterMs?: number;
}

/** A repeatable sequence in [0, 1) (mulberry32), so jittered runs are as exact as the others. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export interface Figures {
	items: number;
	elapsedMs: number;
	/** Requests the service saw, and how many it refused. */
	requests: number;
	refused: number;
	failed: number;
	/** Per bucket key: requests and refusals. */
	perBucket: Record<string, { requests: number; refused: number }>;
}

let runs = 0;
/** A bucket key no other simulation in this process uses: the registry is process-wide. */
export function freshKey(name: string): string {
	return `sim${++runs}|${name}`;
}

/** Runs the simulation to its end on the fake clock (jest.useFakeTimers must be on). */
export async function simulate(options: SimulationOptions): Promise<Figures> {
	const start = Date.now();
	const half = options.latencyMs / 2;
	const random = seeded(runs);
	const leg = () => half + Math.round((options.jitterMs ?? 0) * random());
	const figures: Figures = { items: options.items, elapsedMs: 0, requests: 0, refused: 0, failed: 0, perBucket: {} };
	const task = async (item: number) => {
		const { key, service } = options.bucketOf(item);
		const bucket = (figures.perBucket[key] ??= { requests: 0, refused: 0 });
		const send = async (): Promise<Answer> => {
			await sleep(leg());
			const answer = service(Date.now());
			figures.requests++;
			bucket.requests++;
			if (answer.status !== 200) {
				figures.refused++;
				bucket.refused++;
			}
			await sleep(leg());
			if (answer.status === 200) return answer;
			throw Object.assign(new Error(`answered ${answer.status}`), { response: answer });
		};
		// Default policy (Max Retries 5); every simulated request is safe to repeat, so only refusals differ.
		const outcome = await sendWithRetry(send, { policy: DEFAULT_RETRY_POLICY, pacer: pacerFor(key), run: options, resend: 'safe' });
		if (!outcome.ok) figures.failed++;
	};
	let finished = false;
	const run = runPool(options.items, task, { concurrency: options.concurrency, mayStart: () => true }).finally(() => {
		finished = true;
	});
	while (!finished) await jest.advanceTimersToNextTimerAsync();
	await run;
	figures.elapsedMs = Date.now() - start;
	return figures;
}

/** One line of figures, printed by the tests so a run shows them beside the targets. */
export function describeFigures(name: string, figures: Figures, idealMs: number): string {
	const ratio = (figures.elapsedMs / idealMs).toFixed(3);
	const extra = ((100 * figures.refused) / figures.items).toFixed(1);
	return `${name}: ${figures.elapsedMs} ms = ${ratio} x ideal ${Math.round(idealMs)} ms, ${figures.refused} refused (${extra} % extra), ${figures.failed} failed`;
}
