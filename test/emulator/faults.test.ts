import { DEMO_THREAD, readJson, threadPath, useEmulator } from './support';

// Each fault must be visible to any HTTP client, not only to the SDKs, so these use plain fetch.

const emulator = useEmulator();

const getThread = () => fetch(`${emulator.url}${threadPath(DEMO_THREAD)}?api-version=2025-03-15`, { headers: { authorization: `Bearer ${emulator.demoToken}` } });

function admin(method: string, path: string, body?: unknown) {
	return fetch(`${emulator.url}/admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe('queued faults', () => {
	it('answers the next N requests with 429 and the requested retry headers, then recovers', async () => {
		emulator.faults.add({ kind: 'throttle', count: 2, retryAfter: 3, retryAfterMs: 2500 });

		const first = await getThread();
		const second = await getThread();
		const third = await getThread();

		expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
		expect(first.headers.get('retry-after')).toBe('3');
		expect(first.headers.get('retry-after-ms')).toBe('2500');
		expect(await readJson(first)).toEqual({ error: { code: 'TooManyRequests', message: 'Rate limit exceeded.' } });
	});

	it('sends Retry-After: 1 on a 429 when no retry value was given', async () => {
		emulator.faults.add({ kind: 'throttle' });
		const response = await getThread();
		expect(response.headers.get('retry-after')).toBe('1');
		expect(response.headers.get('retry-after-ms')).toBeNull();
	});

	it('answers 503 with the ServiceUnavailable error body and, unless asked for, no retry header at all', async () => {
		emulator.faults.add({ kind: 'unavailable' });
		emulator.faults.add({ kind: 'unavailable', retryAfter: 2 });
		const response = await getThread();
		const withHeader = await getThread();

		expect(response.status).toBe(503);
		expect((await readJson(response)).error.code).toBe('ServiceUnavailable');
		expect([response.headers.get('retry-after'), response.headers.get('retry-after-ms')]).toEqual([null, null]);
		expect([withHeader.status, withHeader.headers.get('retry-after')]).toEqual([503, '2']);
		expect((await getThread()).status).toBe(200);
	});

	it('resets the connection', async () => {
		emulator.faults.add({ kind: 'reset' });

		await expect(getThread()).rejects.toThrow('fetch failed');
		expect((await getThread()).status).toBe(200);
		expect(emulator.requests().map((r) => [r.status, r.fault])).toEqual([
			[null, 'reset'],
			[200, undefined],
		]);
	});

	it('answers with an HTML error page as a proxy would', async () => {
		emulator.faults.add({ kind: 'html' });
		emulator.faults.add({ kind: 'html', status: 504 });

		const gateway = await getThread();
		const timeout = await getThread();

		expect(gateway.status).toBe(502);
		expect(gateway.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(await gateway.text()).toContain('<h1>502 Bad Gateway</h1>');
		expect(timeout.status).toBe(504);
	});

	it('plays queued faults in order', async () => {
		emulator.faults.add({ kind: 'unavailable' });
		emulator.faults.add({ kind: 'throttle', retryAfter: 0 });

		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await getThread()).status);
		expect(statuses).toEqual([503, 429, 200]);
	});

	it('refuses an unknown fault kind', () => {
		expect(() => emulator.faults.add({ kind: 'explode' as 'reset' })).toThrow(/kind must be one of/);
	});
});

describe('latency', () => {
	it('delays every request by the configured milliseconds', async () => {
		emulator.faults.latency(150);
		const started = Date.now();
		await getThread();
		await getThread();
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
	});
});

describe('rate limit', () => {
	it('answers 429 with Retry-After beyond R requests per second, then lets requests through again', async () => {
		emulator.faults.rateLimit(3);

		const statuses = [];
		let refused: Response | undefined;
		for (let i = 0; i < 5; i++) {
			const response = await getThread();
			statuses.push(response.status);
			if (response.status === 429) refused ??= response;
		}
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(Number(refused!.headers.get('retry-after-ms'))).toBeGreaterThan(0);
		expect((await readJson(refused!)).error.code).toBe('TooManyRequests');

		await new Promise((resolve) => setTimeout(resolve, Number(refused!.headers.get('retry-after-ms')) + 50));
		expect((await getThread()).status).toBe(200);
	});
});

describe('request log and admin endpoints', () => {
	it('records every request with its query, body and status, never the credential', async () => {
		await getThread();
		await fetch(`${emulator.url}${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`, {
			method: 'POST',
			headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json' },
			body: '{"rawId":"4:+14255550123"}',
		});

		const log = (await readJson(await admin('GET', 'requests'))).requests;
		expect(log).toHaveLength(2);
		expect(log[1]).toMatchObject({
			method: 'POST',
			path: `${threadPath(DEMO_THREAD)}/participants/:remove`,
			query: { 'api-version': '2025-03-15' },
			body: { rawId: '4:+14255550123' },
			status: 204,
		});
		expect(log[0].headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(log)).not.toContain(emulator.demoToken);
	});

	it('does not log admin calls and clears the log on DELETE', async () => {
		await getThread();
		await admin('GET', 'faults');
		expect(emulator.requests()).toHaveLength(1);

		expect((await admin('DELETE', 'requests')).status).toBe(204);
		expect(emulator.requests()).toHaveLength(0);
	});

	it('injects faults, latency and a rate limit over HTTP and reports them', async () => {
		expect((await admin('POST', 'faults', { kind: 'throttle', count: 2, retryAfter: 5 })).status).toBe(204);
		expect((await admin('PUT', 'latency', { ms: 10 })).status).toBe(204);
		expect((await admin('PUT', 'rate-limit', { rps: 50 })).status).toBe(204);

		expect(await readJson(await admin('GET', 'faults'))).toEqual({
			pending: [
				{ kind: 'throttle', retryAfter: 5 },
				{ kind: 'throttle', retryAfter: 5 },
			],
			latencyMs: 10,
			rateLimit: 50,
		});
		expect((await getThread()).status).toBe(429);

		expect((await admin('DELETE', 'faults')).status).toBe(204);
		expect(await readJson(await admin('GET', 'faults'))).toEqual({ pending: [], latencyMs: 0, rateLimit: 0 });
		expect((await admin('POST', 'faults', { kind: 'nope' })).status).toBe(400);
	});

	it('restores the seed on POST /admin/reset', async () => {
		await fetch(`${emulator.url}${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`, {
			method: 'POST',
			headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json' },
			body: '{"rawId":"4:+14255550123"}',
		});
		const participantsOf = async () =>
			(await readJson(await admin('GET', 'state'))).threads[0].participants.map((p: { rawId: string }) => p.rawId);
		expect(await participantsOf()).toHaveLength(2);

		expect((await admin('POST', 'reset')).status).toBe(204);
		expect(await participantsOf()).toHaveLength(3);
		expect(emulator.requests()).toHaveLength(0);
	});
});
