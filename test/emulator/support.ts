import { createHash, createHmac } from 'node:crypto';
import * as tls from 'node:tls';

import { checked } from '../fixtures/session';

// The emulator is plain CommonJS with no type declarations; tests only need its documented surface.
const { startEmulator: start, DEV_KEY } = require('../../emulator');

export interface RequestLogEntry {
	time: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	status: number | null;
	fault?: string;
	/** The limit that refused the request with 429 (the rate limit or an ACS limit's name). */
	limit?: string;
}

export interface Fault {
	kind: 'throttle' | 'unavailable' | 'reset' | 'html';
	count?: number;
	retryAfter?: number;
	retryAfterMs?: number;
	status?: number;
}

/** A thread as `state()` shows it: the store's own record, raw IDs rather than identifier models. */
export interface EmulatorThread {
	id: string;
	topic: string;
	createdOn: string;
	createdBy: string;
	deletedOn?: string;
	lastMessageReceivedOn: string;
	metadata?: Record<string, string>;
	participants: Array<{ rawId: string; displayName?: string; shareHistoryTime?: string; metadata?: Record<string, string> }>;
	messages: Array<{
		id: string;
		sequenceId: number;
		version: string;
		type: string;
		createdOn: string;
		content?: string;
		senderId?: string;
		editedOn?: string;
		deletedOn?: string;
	}>;
	readReceipts: Array<{ rawId: string; chatMessageId: string; readOn: string }>;
}

export interface Emulator {
	url: string;
	connectionString: string;
	key: string;
	demoToken: string;
	demoUserId: string;
	certificate?: string;
	requests(): RequestLogEntry[];
	clearRequests(): void;
	state(): { identities: string[]; threads: EmulatorThread[] };
	/** Appends `count` text messages to a thread at once (not logged, not rate limited). */
	addMessages(threadId: string, options: { count: number; senderId?: string; senderDisplayName?: string; content?: string }): { count: number; firstId: string; lastId: string };
	faults: {
		add(fault: Fault): void;
		latency(ms: number): void;
		rateLimit(value: number | Record<string, unknown>): void;
		pending(): Fault[];
		clear(): void;
	};
	limits: {
		set(value: boolean | { scale?: number; window?: 'fixed' | 'sliding'; retryAfter?: 'seconds' | 'ms' }): void;
		describe(): { enabled: boolean; scale?: number; window?: string; retryAfter?: string; rows?: Array<{ name: string; limits: Array<{ windowMs: number }> }> };
	};
	issueToken(options?: { userId?: string; scopes?: string[]; expiresOn?: Date | number }): string;
	reset(): void;
	close(): Promise<void>;
}

export const devKey: string = DEV_KEY;
export const DEMO_THREAD = '19:acsV1_emulatorDemoThread0000000000@thread.v2';
export const OTHER_THREAD = '19:acsV1_emulatorOtherThread000000000@thread.v2';

export function startEmulator(options: Record<string, unknown> = {}): Promise<Emulator> {
	return start(options);
}

/**
 * One emulator for the calling test file: started before its tests (its certificate trusted in-process when it
 * serves https), reset before each test, stopped after the file. The returned object stands for that emulator.
 */
export function useEmulator(options: Record<string, unknown> = {}): Emulator {
	let current: Emulator | undefined;
	beforeAll(async () => {
		current = await startEmulator(options);
		if (options.https) trustCertificate(current);
	});
	afterAll(async () => {
		if (options.https) untrustCertificates();
		await current?.close();
	});
	beforeEach(() => current?.reset());
	return new Proxy({} as Emulator, {
		get: (_target, key) => {
			if (!current) throw new Error('useEmulator: the emulator starts in beforeAll');
			const value: unknown = Reflect.get(current, key);
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}

/** The demo user's access token, marked as already checked so its one-off check takes no queued fault. */
export function demoCredential(emulator: Emulator) {
	return checked({ endpoint: emulator.url, accessToken: emulator.demoToken });
}

let trustedBefore: string[] | undefined;

/** Trusts the emulator's self-signed certificate in this process only, so the SDKs' https calls verify. */
export function trustCertificate(emulator: Emulator): void {
	trustedBefore ??= tls.getCACertificates('default');
	tls.setDefaultCACertificates([...tls.getCACertificates('default'), emulator.certificate!]);
}

export function untrustCertificates(): void {
	if (trustedBefore) tls.setDefaultCACertificates(trustedBefore);
	trustedBefore = undefined;
}

export function threadPath(threadId: string): string {
	return `/chat/threads/${encodeURIComponent(threadId)}`;
}

/**
 * Contract §4 signing, written independently of the emulator so the tests check it against Azure's
 * rule rather than against itself.
 */
export function signHmac(options: { method: string; url: string; body: string; key: string; date: string }): Record<string, string> {
	const url = new URL(options.url);
	const contentHash = createHash('sha256').update(options.body).digest('base64');
	const stringToSign = `${options.method}\n${url.pathname}${url.search}\n${options.date};${url.host};${contentHash}`;
	const signature = createHmac('sha256', Buffer.from(options.key, 'base64')).update(stringToSign).digest('base64');
	return {
		'x-ms-date': options.date,
		'x-ms-content-sha256': contentHash,
		authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
		'content-type': 'application/json',
	};
}

export async function errorBody(response: Response): Promise<{ error: { code: string; message: string } }> {
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return (await response.json()) as { error: { code: string; message: string } };
}

/** Response bodies are the emulator's JSON; tests assert on their shape rather than declare it. */
export async function readJson(response: Response): Promise<any> {
	return response.json();
}

/** The parts of a logged request the service acts on: what a differential test compares (credentials redacted). */
export function wire(entry: RequestLogEntry) {
	const header = (name: string) => entry.headers[name]?.split(';')[0];
	return {
		method: entry.method,
		path: entry.path,
		query: entry.query,
		body: JSON.stringify(entry.body ?? null),
		authorization: entry.headers.authorization,
		contentType: header('content-type'),
		accept: header('accept'),
		status: entry.status,
	};
}

/** What a run sent to the emulator: every request, or the one request it must have made. */
export function requestRecorder(emulator: Emulator) {
	const requestsOf = async (run: () => Promise<unknown>): Promise<RequestLogEntry[]> => {
		emulator.clearRequests();
		await run();
		return emulator.requests();
	};
	const onlyRequest = async (run: () => Promise<unknown>): Promise<RequestLogEntry> => {
		const requests = await requestsOf(run);
		expect(requests).toHaveLength(1);
		return requests[0];
	};
	return { requestsOf, onlyRequest };
}
