import { DEMO_THREAD, OTHER_THREAD, devKey, errorBody, readJson, signHmac, startEmulator, threadPath, useEmulator } from './support';

// The emulator's HMAC verifier, called directly to pin it to the contract's test vectors.
const { verifyHmac } = require('../../emulator/auth');

const VECTOR_KEY = 'dGVzdC1hY2Nlc3Mta2V5LW5vdC1yZWFs';
const VECTOR_DATE = 'Tue, 01 Jul 2025 12:00:00 GMT';
const VECTORS = [
	{
		url: '/identities?api-version=2023-10-01',
		body: '{"createTokenWithScopes":["chat"],"expiresInMinutes":60}',
		hash: 'kET9vD/6sAVRB6ISkrpOL44L0M1olvugZ/QYxlSQK9k=',
		signature: 'c/oYnv9BjwYcacBuqVEAtoe8vg+z3oIc7AGJ8dn1XSE=',
	},
	{
		url: '/identities/8%3Aacs%3Aabc_def/:issueAccessToken?api-version=2023-10-01',
		body: '{"scopes":["chat"],"expiresInMinutes":60}',
		hash: 'E55T2AR1et0dXg9viVUjwxjce4gxp+nmLcQffc3NPsA=',
		signature: 'cgR+jy2XaNaGX6109uA5sPxE4mKPdMJcPXxLcLlv2nw=',
	},
	{ url: '/identities?api-version=2023-10-01', body: '', hash: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', signature: 'vFMmsp355hTqiZisxBDJBNKWaeh4SGEK1Sz00Zbqo1Y=' },
];

describe('HMAC verification against the contract vectors', () => {
	const at = Date.parse(VECTOR_DATE);
	const request = (v: (typeof VECTORS)[number], overrides: { signature?: string; body?: string; date?: string } = {}) => ({
		method: 'POST',
		url: v.url,
		body: Buffer.from(overrides.body ?? v.body),
		headers: {
			host: 'contoso.communication.azure.com',
			'x-ms-date': overrides.date ?? VECTOR_DATE,
			'x-ms-content-sha256': v.hash,
			authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${overrides.signature ?? v.signature}`,
		},
	});

	it.each(VECTORS)('accepts the SDK signature for $url (body $body)', (v) => {
		expect(verifyHmac(request(v), VECTOR_KEY, at)).toBeUndefined();
	});

	it('rejects a changed signature, body, or date', () => {
		const v = VECTORS[0];
		expect(verifyHmac(request(v, { signature: VECTORS[1].signature }), VECTOR_KEY, at)).toMatch(/signature does not match/);
		expect(verifyHmac(request(v, { body: '{}' }), VECTOR_KEY, at)).toMatch(/does not match the body/);
		expect(verifyHmac(request(v, { date: 'Tue, 01 Jul 2025 12:00:01 GMT' }), VECTOR_KEY, at)).toMatch(/signature does not match/);
	});

	it('allows 15 minutes of clock skew either way and no more', () => {
		const v = VECTORS[0];
		expect(verifyHmac(request(v), VECTOR_KEY, at + 15 * 60_000)).toBeUndefined();
		expect(verifyHmac(request(v), VECTOR_KEY, at - 15 * 60_000)).toBeUndefined();
		expect(verifyHmac(request(v), VECTOR_KEY, at + 15 * 60_000 + 1000)).toMatch(/15 minutes/);
		expect(verifyHmac(request(v), VECTOR_KEY, at - 15 * 60_000 - 1000)).toMatch(/15 minutes/);
	});
});

describe('the emulator over plain http', () => {
	const emulator = useEmulator();

	function identityCall(path: string, body: string, options: { date?: Date; key?: string; tamper?: (h: Record<string, string>) => void } = {}) {
		const url = `${emulator.url}${path}`;
		const headers = signHmac({ method: 'POST', url, body, key: options.key ?? emulator.key, date: (options.date ?? new Date()).toUTCString() });
		options.tamper?.(headers);
		return fetch(url, { method: 'POST', headers, body });
	}

	function chatCall(path: string, token: string | undefined, init: RequestInit = {}) {
		return fetch(`${emulator.url}${path}`, {
			...init,
			headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...init.headers },
		});
	}

	describe('identity', () => {
		it('creates an identity with a token (201) when signed correctly', async () => {
			const response = await identityCall('/identities?api-version=2023-10-01', '{"createTokenWithScopes":["chat"],"expiresInMinutes":60}');

			expect(response.status).toBe(201);
			const body = await readJson(response);
			expect(body.identity.id).toMatch(/^8:acs:/);
			expect(body.accessToken.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/);
		});

		it('rejects a tampered signature with 401 and a CommunicationErrorResponse', async () => {
			const response = await identityCall('/identities?api-version=2023-10-01', '', {
				tamper: (h) => {
					h.authorization = h.authorization.replace(/Signature=./, (s) => (s.endsWith('A') ? s.slice(0, -1) + 'B' : s.slice(0, -1) + 'A'));
				},
			});

			expect(response.status).toBe(401);
			expect((await errorBody(response)).error).toEqual({ code: 'Unauthorized', message: 'The request signature does not match.' });
		});

		it('rejects a date older or newer than 15 minutes with 401', async () => {
			const stale = await identityCall('/identities?api-version=2023-10-01', '', { date: new Date(Date.now() - 16 * 60_000) });
			const future = await identityCall('/identities?api-version=2023-10-01', '', { date: new Date(Date.now() + 16 * 60_000) });

			expect(stale.status).toBe(401);
			expect((await errorBody(stale)).error.message).toMatch(/15 minutes/);
			expect(future.status).toBe(401);
		});

		it('rejects a body that does not match x-ms-content-sha256, and a wrong key, with 401', async () => {
			const url = `${emulator.url}/identities?api-version=2023-10-01`;
			const headers = signHmac({ method: 'POST', url, body: '', key: emulator.key, date: new Date().toUTCString() });
			const swapped = await fetch(url, { method: 'POST', headers, body: '{"createTokenWithScopes":["chat"]}' });
			const wrongKey = await identityCall('/identities?api-version=2023-10-01', '', { key: Buffer.from('other').toString('base64') });
			const unsigned = await fetch(url, { method: 'POST' });

			expect([swapped.status, wrongKey.status, unsigned.status]).toEqual([401, 401, 401]);
		});

		it('accepts token lifetimes of 60 to 1440 minutes only (400 outside)', async () => {
			const user = (await readJson(await identityCall('/identities?api-version=2023-10-01', ''))).identity.id;
			const issue = (minutes: number) =>
				identityCall(`/identities/${encodeURIComponent(user)}/:issueAccessToken?api-version=2023-10-01`, JSON.stringify({ scopes: ['chat'], expiresInMinutes: minutes }));

			expect((await issue(59)).status).toBe(400);
			expect((await issue(1441)).status).toBe(400);
			expect((await issue(60)).status).toBe(200);
			expect((await issue(1440)).status).toBe(200);
		});

		it('answers 404 when issuing a token for an unknown identity', async () => {
			const response = await identityCall(`/identities/${encodeURIComponent('8:acs:nobody_x')}/:issueAccessToken?api-version=2023-10-01`, '{"scopes":["chat"]}');
			expect(response.status).toBe(404);
		});
	});

	describe('chat', () => {
		it('requires api-version on every call (400) and accepts 2024-03-07 and 2025-03-15', async () => {
			const missing = await chatCall(threadPath(DEMO_THREAD), emulator.demoToken);
			const unknown = await chatCall(`${threadPath(DEMO_THREAD)}?api-version=2023-11-07`, emulator.demoToken);
			const older = await chatCall(`${threadPath(DEMO_THREAD)}?api-version=2024-03-07`, emulator.demoToken);

			expect(missing.status).toBe(400);
			expect((await errorBody(missing)).error.code).toBe('MissingApiVersionParameter');
			expect(unknown.status).toBe(400);
			expect(older.status).toBe(200);
			expect(Object.keys(await readJson(older)).sort()).toEqual(['createdByCommunicationIdentifier', 'createdOn', 'id', 'topic']);
		});

		it('answers 401 for a missing, unknown, re-signed or expired token', async () => {
			const path = `${threadPath(DEMO_THREAD)}?api-version=2025-03-15`;
			const [h, p] = emulator.demoToken.split('.');
			const forged = `${h}.${p}.${Buffer.from('forged').toString('base64url')}`;
			const expired = emulator.issueToken({ expiresOn: Date.now() - 1000 });
			const stranger = emulator.issueToken({ userId: '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_ghost' });

			const statuses = [];
			for (const token of [undefined, 'not-a-jwt', forged, expired, stranger]) {
				const response = await chatCall(path, token);
				statuses.push(response.status);
				expect((await errorBody(response)).error.code).toBe('Unauthorized');
			}
			expect(statuses).toEqual([401, 401, 401, 401, 401]);
		});

		it('answers 403 to a non-participant and 404 for an unknown thread', async () => {
			const forbidden = await chatCall(`${threadPath(OTHER_THREAD)}?api-version=2025-03-15`, emulator.demoToken);
			const missing = await chatCall(`${threadPath('19:missing@thread.v2')}/participants?api-version=2025-03-15`, emulator.demoToken);

			expect(forbidden.status).toBe(403);
			expect((await errorBody(forbidden)).error).toEqual({ code: 'Forbidden', message: 'User is not allowed to perform specified action.' });
			expect(missing.status).toBe(404);
			expect((await errorBody(missing)).error.code).toBe('NotFound');
		});

		it('answers 400 for a remove body that is not one identifier', async () => {
			const path = `${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`;
			const bodies = ['not json', '[]', '{}', '{"phoneNumber":{"value":"+1"},"communicationUser":{"id":"8:acs:x_y"}}'];
			for (const body of bodies) {
				const response = await chatCall(path, emulator.demoToken, { method: 'POST', body });
				expect(response.status).toBe(400);
				expect((await errorBody(response)).error.code).toBe('BadRequest');
			}
		});

		it('matches a participant by rawId alone or by sub-object alone', async () => {
			const path = `${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`;
			const byRawId = await chatCall(path, emulator.demoToken, { method: 'POST', body: '{"rawId":"4:+14255550123"}' });
			const bySubObject = await chatCall(path, emulator.demoToken, {
				method: 'POST',
				body: '{"microsoftTeamsUser":{"userId":"45ab2481-1c1c-4005-be24-0ffb879b1130"}}',
			});

			expect([byRawId.status, bySubObject.status]).toEqual([204, 204]);
			expect(await byRawId.text()).toBe('');
			expect(emulator.state().threads[0].participants.map((p) => p.rawId)).toEqual([emulator.demoUserId]);
		});

		it('keeps a removed user out of the thread (403) but still lists it for them', async () => {
			const path = `${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`;
			await chatCall(path, emulator.demoToken, { method: 'POST', body: JSON.stringify({ rawId: emulator.demoUserId }) });

			const participants = await chatCall(`${threadPath(DEMO_THREAD)}/participants?api-version=2025-03-15`, emulator.demoToken);
			const list = await chatCall('/chat/threads?api-version=2025-03-15', emulator.demoToken);
			expect(participants.status).toBe(403);
			expect((await readJson(list)).value.map((t: { id: string }) => t.id)).toEqual([DEMO_THREAD]);
		});

		it('answers removing a non-participant with the configured status', async () => {
			const strict = await startEmulator({ removeMissingParticipant: 404 });
			try {
				const response = await fetch(`${strict.url}${threadPath(DEMO_THREAD)}/participants/:remove?api-version=2025-03-15`, {
					method: 'POST',
					headers: { authorization: `Bearer ${strict.demoToken}`, 'content-type': 'application/json' },
					body: '{"rawId":"4:+19999999999"}',
				});
				expect(response.status).toBe(404);
			} finally {
				await strict.close();
			}
		});

		it('decodes a percent-encoded thread id as one path segment', async () => {
			const response = await chatCall(`/chat/threads/${encodeURIComponent('19:a/b@thread.v2')}?api-version=2025-03-15`, emulator.demoToken);
			expect(response.status).toBe(404);
			expect((await errorBody(response)).error.message).toBe('Thread 19:a/b@thread.v2 was not found.');
		});

		it('answers 201 with a Location header for a created thread and 403 for a chat.join token', async () => {
			const created = await chatCall('/chat/threads?api-version=2025-03-15', emulator.demoToken, { method: 'POST', body: '{"topic":"Hi"}' });
			const body = await readJson(created);
			const joinOnly = await chatCall('/chat/threads?api-version=2025-03-15', emulator.issueToken({ scopes: ['chat.join'] }), {
				method: 'POST',
				body: '{"topic":"Hi"}',
			});

			expect(created.status).toBe(201);
			expect(created.headers.get('location')).toBe(`${emulator.url}/chat/threads/${encodeURIComponent(body.chatThread.id).replace('%40', '@')}`);
			expect(joinOnly.status).toBe(403);
		});

		it('accepts the development key as the default and demo token from any key', async () => {
			const custom = await startEmulator({ key: Buffer.from('custom key').toString('base64') });
			try {
				expect(emulator.key).toBe(devKey);
				const response = await fetch(`${custom.url}${threadPath(DEMO_THREAD)}?api-version=2025-03-15`, { headers: { authorization: `Bearer ${emulator.demoToken}` } });
				expect(custom.demoToken).toBe(emulator.demoToken);
				expect(response.status).toBe(200);
			} finally {
				await custom.close();
			}
		});
	});
});
