import type { Emulator } from './support';
import { readJson, signHmac, threadPath, useEmulator, DEMO_THREAD } from './support';

/** The emulator's switches for what the e2e suites check about tokens: the issued-token record, refusals, key rotation. */
type WithTokens = Emulator & {
	issuedTokens(): Array<{ userId: string; token: string }>;
	refuseTokensOf(userId: string, on?: boolean): void;
	rotateKey(): string;
};

describe('the emulator’s token record and switches', () => {
	const emulator = useEmulator() as WithTokens;
	const accessKeyOf = (connectionString: string) => /accesskey=(.+)$/.exec(connectionString)![1];

	function mint(userId: string, key = emulator.key) {
		const url = `${emulator.url}/identities/${encodeURIComponent(userId)}/:issueAccessToken?api-version=2023-10-01`;
		const body = JSON.stringify({ scopes: ['chat'], expiresInMinutes: 60 });
		return fetch(url, { method: 'POST', headers: signHmac({ method: 'POST', url, body, key, date: new Date().toUTCString() }), body });
	}

	const readThread = (token: string) =>
		fetch(`${emulator.url}${threadPath(DEMO_THREAD)}?api-version=2024-03-07`, { headers: { authorization: `Bearer ${token}` } });

	it('records every token it issues, and a reset forgets them', async () => {
		const answer = await readJson(await mint(emulator.demoUserId));
		expect(emulator.issuedTokens()).toEqual([{ userId: emulator.demoUserId, token: answer.token }]);
		const admin = await readJson(await fetch(`${emulator.url}/admin/tokens`));
		expect(admin.tokens).toEqual([{ userId: emulator.demoUserId, token: answer.token }]);
		emulator.reset();
		expect(emulator.issuedTokens()).toEqual([]);
	});

	it('logs whom each Bearer request acted as, from the token’s claims', async () => {
		const token = emulator.issueToken({ expiresOn: Date.now() - 1000 });
		await readThread(token);
		await mint(emulator.demoUserId);
		expect(emulator.requests().map(({ status, tokenUser }: { status: number | null; tokenUser?: string }) => ({ status, tokenUser }))).toEqual([
			{ status: 401, tokenUser: emulator.demoUserId },
			{ status: 200, tokenUser: undefined },
		]);
	});

	it('refuses every token of a user while switched on, those issued later included, with 401 "revoked"', async () => {
		const before = (await readJson(await mint(emulator.demoUserId))).token;
		expect((await readThread(before)).status).toBe(200);
		emulator.refuseTokensOf(emulator.demoUserId);
		const after = (await readJson(await mint(emulator.demoUserId))).token;
		const refused = [await readThread(before), await readThread(after)];
		expect(refused.map(({ status }) => status)).toEqual([401, 401]);
		expect((await readJson(refused[1])).error).toEqual({ code: 'Unauthorized', message: 'The access token has been revoked.' });
		const off = await fetch(`${emulator.url}/admin/refused-tokens`, { method: 'PUT', body: JSON.stringify({ userId: emulator.demoUserId, on: false }) });
		expect(off.status).toBe(204);
		expect((await readThread(after)).status).toBe(200);
	});

	it('rotates the access key: the old key no longer signs, tokens issued before stay valid, a reset brings the old key back', async () => {
		const token = (await readJson(await mint(emulator.demoUserId))).token;
		const rotated = accessKeyOf(emulator.rotateKey());
		expect(rotated).not.toBe(emulator.key);
		expect([(await mint(emulator.demoUserId)).status, (await mint(emulator.demoUserId, rotated)).status]).toEqual([401, 200]);
		expect((await readThread(token)).status).toBe(200);
		const again = await readJson(await fetch(`${emulator.url}/admin/rotate-key`, { method: 'POST' }));
		expect((await mint(emulator.demoUserId, accessKeyOf(again.connectionString))).status).toBe(200);
		emulator.reset();
		expect((await mint(emulator.demoUserId)).status).toBe(200);
	});
});
