import { DEMO_THREAD, OTHER_THREAD, readJson, threadPath, useEmulator } from './support';

// ACS's per-operation limits, seen over HTTP by any client. Sliding windows unless a test says otherwise: their
// waits follow from the requests' own times, so the Retry-After values below do not depend on when a test starts.
const shippedSeed = require('../../emulator/seed.json');

const OTHER_USER: string = shippedSeed.identities[0];
const seed = structuredClone(shippedSeed);
// Both users in both threads, so every answer that is not a 429 is a success.
for (const thread of seed.threads) {
	for (const rawId of [seed.demoUser.id, OTHER_USER]) {
		if (!thread.participants.some((p: { rawId: string }) => p.rawId === rawId)) thread.participants.push({ rawId, shareHistoryTime: '1970-01-01T00:00:00Z' });
	}
}

const emulator = useEmulator({ seed, acsLimits: { scale: 10, window: 'sliding' } });

type Call = (token?: string) => Promise<Response>;

const as = (token: string | undefined) => ({ authorization: `Bearer ${token ?? emulator.demoToken}`, 'content-type': 'application/json' });
const getThread = (threadId: string): Call => (token) => fetch(`${emulator.url}${threadPath(threadId)}?api-version=2024-03-07`, { headers: as(token) });
const listThreads: Call = (token) => fetch(`${emulator.url}/chat/threads?api-version=2024-03-07`, { headers: as(token) });
const listParticipants = (threadId: string): Call => (token) => fetch(`${emulator.url}${threadPath(threadId)}/participants?api-version=2024-03-07`, { headers: as(token) });
const removeParticipant = (threadId: string): Call => (token) =>
	fetch(`${emulator.url}${threadPath(threadId)}/participants/:remove?api-version=2025-03-15`, { method: 'POST', headers: as(token), body: '{"rawId":"4:+19995550100"}' });
const typing = (threadId: string): Call => (token) => fetch(`${emulator.url}${threadPath(threadId)}/typing?api-version=2024-03-07`, { method: 'POST', headers: as(token), body: '{}' });

/** The statuses of `count` calls made one after another. */
async function statuses(call: Call, count: number, token?: string): Promise<number[]> {
	const seen = [];
	for (let i = 0; i < count; i++) {
		const response = await call(token);
		await response.arrayBuffer();
		seen.push(response.status);
	}
	return seen;
}

const times = (count: number, status: number) => Array.from({ length: count }, () => status);

describe('ACS per-operation limits', () => {
	it('are off unless turned on, so other tests keep their behaviour', async () => {
		emulator.limits.set(false);
		expect(await statuses(getThread(DEMO_THREAD), 60)).toEqual(times(60, 200));
	});

	it('refuse thread reads beyond 50 per 10 s per user (scaled to 1 s) with a 429 as ACS sends it', async () => {
		expect(await statuses(getThread(DEMO_THREAD), 50)).toEqual(times(50, 200));
		const refused = await getThread(DEMO_THREAD)();
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(refused.headers.get('retry-after-ms')).toBeNull();
		expect(await readJson(refused)).toEqual({
			error: { code: 'TooManyRequests', message: 'Too many requests: get or list threads allows 50 per 10 s per user (here per 1 s, scaled by 10).' },
		});
		// List Threads shares that budget; the log names the limit that refused.
		expect((await listThreads()).status).toBe(429);
		expect(emulator.requests().filter((r) => r.status === 429).map((r) => r.limit)).toEqual(['get or list threads', 'get or list threads']);
	});

	it('count reads per user: another user still reads when one is refused', async () => {
		const otherToken = emulator.issueToken({ userId: OTHER_USER });
		expect(await statuses(listThreads, 51)).toEqual([...times(50, 200), 429]);
		expect(await statuses(getThread(DEMO_THREAD), 3, otherToken)).toEqual(times(3, 200));
	});

	it('count participant changes per thread: a refusal on one thread leaves other threads and reads alone', async () => {
		expect(await statuses(removeParticipant(DEMO_THREAD), 11)).toEqual([...times(10, 204), 429]);
		expect(emulator.requests().at(-1)!.limit).toBe('add or remove participants');
		expect(await statuses(removeParticipant(OTHER_THREAD), 2)).toEqual([204, 204]);
		expect(await statuses(getThread(DEMO_THREAD), 2)).toEqual([200, 200]);
		// Per thread, not per user: another user is refused on the same thread too.
		expect(await statuses(removeParticipant(DEMO_THREAD), 1, emulator.issueToken({ userId: OTHER_USER }))).toEqual([429]);
	});

	it('count participant lists per user in each thread', async () => {
		expect(await statuses(listParticipants(DEMO_THREAD), 11)).toEqual([...times(10, 200), 429]);
		expect(await statuses(listParticipants(OTHER_THREAD), 1)).toEqual([200]);
		expect(await statuses(listParticipants(DEMO_THREAD), 1, emulator.issueToken({ userId: OTHER_USER }))).toEqual([200]);
	});

	it('apply the per-minute limit too: 30 participant changes per 60 s per thread', async () => {
		// At scale 60 the windows are 167 ms (10 changes) and 1 s (30 changes).
		emulator.limits.set({ scale: 60, window: 'sliding', retryAfter: 'ms' });
		const started = Date.now();
		const seen: number[] = [];
		while (seen.filter((status) => status === 204).length < 30) {
			const response = await removeParticipant(DEMO_THREAD)();
			await response.arrayBuffer();
			seen.push(response.status);
			if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after-ms'))));
		}
		const elapsed = Date.now() - started;
		// Three bursts of 10 fit in the minute's window (1 s here), with the 167 ms window refusing between them.
		expect(elapsed).toBeLessThan(900);
		expect(seen.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
		const refused = await removeParticipant(DEMO_THREAD)();
		expect(refused.status).toBe(429);
		// The minute's window, not the 167 ms one, says when the next change may go.
		expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThan(1000 - elapsed - 50);
		expect((await readJson(refused)).error.message).toContain('allows 30 per 60 s per thread (here per 1 s, scaled by 60)');
	});

	const chat = (method: string, path: string, body?: unknown, contentType = 'application/json'): Call => (token) =>
		fetch(`${emulator.url}${path}${path.includes('?') ? '&' : '?'}api-version=2025-03-15`, {
			method,
			headers: { ...as(token), 'content-type': contentType },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const demo = threadPath(DEMO_THREAD);
	// The seed's demo thread starts with its two creation messages, one millisecond apart.
	const firstMessage = String(Date.parse(shippedSeed.threads[0].createdOn));

	it.each<[string, Call, number, number]>([
		['create or delete thread', chat('POST', '/chat/threads', { topic: 'T' }), 10, 201],
		['create or delete thread', chat('DELETE', demo), 10, 204],
		['update thread', chat('PATCH', demo, { topic: 'T' }, 'application/merge-patch+json'), 5, 204],
		['add or remove participants', chat('POST', `${demo}/participants/:add`, { participants: [{ communicationIdentifier: { rawId: '4:+19995550100' } }] }), 10, 201],
		['list messages', chat('GET', `${demo}/messages`), 50, 200],
		['get message', chat('GET', `${demo}/messages/${firstMessage}`), 50, 200],
		['send, update or delete message', chat('POST', `${demo}/messages`, { content: 'hi' }), 10, 201],
		['send read receipt', chat('POST', `${demo}/readReceipts`, { chatMessageId: firstMessage }), 10, 200],
		['get read receipts', chat('GET', `${demo}/readReceipts`), 5, 200],
		['typing notification', chat('POST', `${demo}/typing`, {}), 5, 200],
	])('count every operation against its row: %s', async (row, call, allowed, status) => {
		expect(await statuses(call, allowed + 1)).toEqual([...times(allowed, status), 429]);
		expect(emulator.requests().at(-1)!.limit).toBe(row);
	});

	it('count sending, editing and deleting messages against one budget per thread', async () => {
		const sent = await chat('POST', `${demo}/messages`, { content: 'hi' })();
		const { id } = await readJson(sent);
		const edit = chat('PATCH', `${demo}/messages/${id}`, { content: 'edited' }, 'application/merge-patch+json');
		const remove = chat('DELETE', `${demo}/messages/${id}`);

		expect([sent.status, ...(await statuses(edit, 4)), ...(await statuses(remove, 6))]).toEqual([201, ...times(4, 204), ...times(5, 204), 429]);
		expect(emulator.requests().at(-1)!.limit).toBe('send, update or delete message');
	});

	it('divide every window by the scale: unscaled, a refused read waits about 10 s', async () => {
		emulator.limits.set({ window: 'sliding' });
		await statuses(getThread(DEMO_THREAD), 50);
		expect((await getThread(DEMO_THREAD)()).headers.get('retry-after')).toBe('10');
		expect(emulator.limits.describe()).toMatchObject({ enabled: true, scale: 1, window: 'sliding', retryAfter: 'seconds' });
		emulator.limits.set({ scale: 10 });
		expect(emulator.limits.describe().rows!.find((row) => row.name === 'get or list threads')!.limits[0].windowMs).toBe(1000);
	});

	it('let requests through again once the scaled window has passed', async () => {
		emulator.limits.set({ scale: 10, window: 'fixed', retryAfter: 'ms' });
		// Fixed windows lie on a grid from the epoch: start at a window's start, so the 51 reads fall in one window.
		await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
		await statuses(getThread(DEMO_THREAD), 50);
		const refused = await getThread(DEMO_THREAD)();
		expect(refused.status).toBe(429);
		const waitMs = Number(refused.headers.get('retry-after-ms'));
		expect(waitMs).toBeGreaterThan(0);
		expect(waitMs).toBeLessThanOrEqual(1000);
		await new Promise((resolve) => setTimeout(resolve, waitMs));
		expect((await getThread(DEMO_THREAD)()).status).toBe(200);
	});

	it('do not count requests without a valid token: the operation answers them 401', async () => {
		expect(await statuses(getThread(DEMO_THREAD), 60, 'not-a-token')).toEqual(times(60, 401));
		expect((await getThread(DEMO_THREAD)()).status).toBe(200);
	});
});

describe('setting the limits', () => {
	const admin = (method: string, path: string, body?: unknown) =>
		fetch(`${emulator.url}/admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

	it('over the admin API: PUT turns them on or off, GET reports them, DELETE /admin/faults restores the start value', async () => {
		expect((await admin('PUT', 'limits', false)).status).toBe(204);
		expect((await readJson(await admin('GET', 'limits'))).acsLimits).toEqual({ enabled: false });
		expect(await statuses(typing(DEMO_THREAD), 6)).toEqual(times(6, 200));

		expect((await admin('PUT', 'limits', { scale: 5, window: 'fixed' })).status).toBe(204);
		expect((await readJson(await admin('GET', 'limits'))).acsLimits).toMatchObject({ enabled: true, scale: 5, window: 'fixed', retryAfter: 'seconds' });
		expect(await statuses(typing(OTHER_THREAD), 6)).toEqual([...times(5, 200), 429]);

		expect((await admin('PUT', 'limits', { scale: 0 })).status).toBe(400);
		expect((await admin('DELETE', 'faults')).status).toBe(204);
		expect((await readJson(await admin('GET', 'limits'))).acsLimits).toMatchObject({ scale: 10, window: 'sliding' });
	});

	it('over the admin API, the single rate limit takes a shape and the unit of its retry headers', async () => {
		emulator.limits.set(false);
		expect((await admin('PUT', 'rate-limit', { shape: 'fixed', rps: 3, retryAfter: 'seconds' })).status).toBe(204);
		expect((await readJson(await admin('GET', 'limits'))).rateLimit).toEqual({ shape: 'fixed', limit: 3, windowMs: 1000, rps: 3, retryAfter: 'seconds' });
		const seen = await Promise.all(Array.from({ length: 4 }, () => getThread(DEMO_THREAD)()));
		const refused = seen.filter((response) => response.status === 429);
		// All four may straddle a window boundary; then none is refused, else exactly one.
		expect(refused.length).toBeLessThanOrEqual(1);
		for (const response of refused) expect([response.headers.get('retry-after'), response.headers.get('retry-after-ms')]).toEqual(['1', null]);
		expect((await admin('PUT', 'rate-limit', { shape: 'sliding', rps: 0.5 })).status).toBe(400);
	});

	it('at start, with an invalid value refused', async () => {
		const { startEmulator } = require('../../emulator');
		await expect(startEmulator({ acsLimits: { scale: -1 } })).rejects.toThrow('acsLimits.scale must be a positive number.');
		await expect(startEmulator({ rateLimit: { shape: 'sliding' } })).rejects.toThrow('rateLimit needs either rps or limit');
	});
});
