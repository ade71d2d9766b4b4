import nock from 'nock';

import { getThread, THREAD, THREAD_ID, threadPath, TOKEN_CHECK } from '../fixtures/acs';
import {
	ACCESS_KEY,
	connectionStringCredential,
	identityAnswering,
	identityApi,
	issueTokenPath,
	MINTED,
	MINTED_AGAIN,
} from '../fixtures/identity';
import { chatApi } from '../fixtures/chatApi';
import { checked, issued, sessionTokenOf } from '../fixtures/session';
import { BASE_URL, newCredentialsHelper, runAcsChat, TEST_TOKEN } from '../harness/runNode';

const EXPIRED = { error: { code: 'Unauthorized', message: 'The access token has expired.' } };
const items = (count: number) => Array.from({ length: count }, () => ({}));


describe('sessions follow credential edits', () => {
	it('issues a token for the new user when the User ID was edited, instead of acting as the old one', async () => {
		const { userId: oldUser, data } = connectionStringCredential();
		const { userId: newUser } = connectionStringCredential();
		// n8n puts the saved hidden session back when the editor saves the credential: the token is still the old user's.
		const edited = { ...issued(data, MINTED), userId: newUser };
		const oldUserCalls = identityApi(oldUser, [MINTED]);
		const newUserCalls = identityApi(newUser, [MINTED_AGAIN]);
		const seen = chatApi(() => [200, THREAD]);
		const helper = newCredentialsHelper(edited);

		const { success, error } = await runAcsChat({ parameters: getThread(THREAD_ID), credentialsHelper: helper });

		expect(error).toBeUndefined();
		expect(success[0].json).toEqual(THREAD);
		expect(oldUserCalls).toHaveLength(0);
		expect(newUserCalls).toHaveLength(1);
		expect(seen).toEqual([MINTED_AGAIN]);
		expect(sessionTokenOf(helper.stored.get('cred-1'))).toBe(MINTED_AGAIN);
	});

	it.each([
		['the connection string (a rotated key)', { connectionStringSecret: `endpoint=${BASE_URL};accesskey=${Buffer.from('another key 0123456789').toString('base64')}` }],
		['the token lifetime', { expiresInMinutes: 120 }],
	])('issues a new token after an edit of %s', async (_what, change) => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED_AGAIN]);
		const seen = chatApi(() => [200, THREAD]);

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID), credential: { ...issued(data, MINTED), ...change } });

		expect(error).toBeUndefined();
		expect(calls).toHaveLength(1);
		expect(seen).toEqual([MINTED_AGAIN]);
	});

	it('checks a newly pasted access token once and sends it, not the old one', async () => {
		const old = checked({ endpoint: BASE_URL, accessToken: 'old-token-value' });
		const edited = { ...old, accessToken: TEST_TOKEN };
		const checks: string[] = [];
		nock(BASE_URL)
			.get(TOKEN_CHECK.path)
			.query(TOKEN_CHECK.query)
			.reply(function () {
				checks.push(String(this.req.headers.authorization));
				return [200, { value: [] }];
			});
		const seen = chatApi(() => [200, THREAD]);

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID), items: items(5), credential: edited });

		expect(error).toBeUndefined();
		expect(checks).toEqual([`Bearer ${TEST_TOKEN}`]);
		expect(seen).toEqual(Array(5).fill(TEST_TOKEN));
	});
});

describe('a refused token costs the run one request, not one per item', () => {
	it('fails 40 items with an expired pasted token after at most one request per item in flight, checking nothing again', async () => {
		const seen = chatApi(() => [401, EXPIRED]);
		let checks = 0;
		nock(BASE_URL)
			.persist()
			.get(TOKEN_CHECK.path)
			.query(true)
			.reply(() => [200, { value: [checks++] }]);

		const { errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 8 }),
			items: items(40),
			credential: checked({ endpoint: BASE_URL, accessToken: TEST_TOKEN }),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toHaveLength(40);
		for (const item of errorOutput) {
			expect(item.json.details).toMatchObject({ httpCode: 401, code: 'Unauthorized', message: EXPIRED.error.message });
		}
		expect(seen.length).toBeLessThanOrEqual(8);
		expect(checks).toBe(0);
	});

	it('sends one request for 40 items when the first check of a pasted token is refused', async () => {
		let requests = 0;
		nock(BASE_URL)
			.persist()
			.get(/.*/)
			.query(true)
			.delay(10)
			.reply(() => {
				requests++;
				return [401, EXPIRED];
			});

		const { errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID),
			items: items(40),
			credential: { endpoint: BASE_URL, accessToken: TEST_TOKEN, sessionToken: '' },
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toHaveLength(40);
		expect(errorOutput.every((item) => (item.json.details as { httpCode: number }).httpCode === 401)).toBe(true);
		expect(requests).toBe(1);
	});

	it('issues one token for 40 items when the stored token and the new one are both refused', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED, MINTED_AGAIN]);
		const seen = chatApi(() => [401, EXPIRED]);

		const { errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 8 }),
			items: items(40),
			credential: issued(data, 'expired-token-value'),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toHaveLength(40);
		expect(calls).toHaveLength(1);
		// The items in flight when the stored token was refused, and the one resend with the new token.
		expect(seen.filter((token) => token === 'expired-token-value').length).toBeLessThanOrEqual(8);
		expect(seen.filter((token) => token === MINTED)).toHaveLength(1);
	});

	it('issues one token for 40 items when the stored one expired, and every item then succeeds', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED, MINTED_AGAIN]);
		const seen = chatApi((token) => (token === MINTED ? [200, THREAD] : [401, EXPIRED]));

		const { success, error } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 8 }),
			items: items(40),
			credential: issued(data, 'expired-token-value'),
		});

		expect(error).toBeUndefined();
		expect(success).toHaveLength(40);
		expect(calls).toHaveLength(1);
		expect(seen.filter((token) => token === MINTED)).toHaveLength(40);
	});
});

describe('what the session field holds', () => {
	it('keeps service text that happens to contain a word the session field once held', async () => {
		const message = 'The user could not be verified as a participant of this thread.';
		nock(BASE_URL).get(threadPath()).query(true).reply(403, { error: { code: 'Forbidden', message } });

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID) });

		expect(error?.message).toBe(`ACS answered 403 Forbidden: ${message}`);
	});

	it('fails clearly, once per run, when the Identity API answers without a token', async () => {
		const { userId, data } = connectionStringCredential();
		const identity = identityAnswering(userId, () => [200, { expiresOn: '2030-01-01T00:00:00Z' }]);
		let chat = 0;
		nock(BASE_URL)
			.persist()
			.get(/.*/)
			.query(true)
			.reply(() => [200, { chat: chat++ }]);
		const helper = newCredentialsHelper(data);

		const { errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 1 }),
			items: items(10),
			credentialsHelper: helper,
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toHaveLength(10);
		expect(String(errorOutput[0].json.error)).toMatch(/without a token/);
		expect(identity.calls()).toBe(1);
		expect(chat).toBe(0);
		expect(helper.stored.get('cred-1')?.sessionToken).toBe('');
	});

	it('holds a record naming what it was made for, never the bare token', async () => {
		const { userId, data } = connectionStringCredential();
		identityApi(userId, [MINTED]);
		chatApi(() => [200, THREAD]);
		const helper = newCredentialsHelper(data);

		await runAcsChat({ parameters: getThread(THREAD_ID), credentialsHelper: helper });

		const stored = String(helper.stored.get('cred-1')?.sessionToken);
		expect(JSON.parse(stored)).toEqual({ for: expect.stringMatching(/^[0-9a-f]{64}$/), token: MINTED, expiresOn: expect.any(String) });
		expect(stored).not.toContain(ACCESS_KEY);
	});
});

describe('the token request follows the node', () => {
	it("gives up after the item's Timeout", async () => {
		const { userId, data } = connectionStringCredential();
		nock(BASE_URL).post(issueTokenPath(userId)).query(true).delay(3_000).reply(200, { token: MINTED });

		const started = Date.now();
		const { errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID, { timeout: 200, retryOnThrottle: false }),
			credential: data,
			onError: 'continueErrorOutput',
		});

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: null, code: 'ECONNABORTED' });
		expect(Date.now() - started).toBeLessThan(2_500);
	});

	it('stops when the execution is cancelled', async () => {
		const { userId, data } = connectionStringCredential();
		nock(BASE_URL).post(issueTokenPath(userId)).query(true).delay(5_000).reply(200, { token: MINTED });
		const cancelled = new Promise<void>((resolve) => setTimeout(resolve, 300));

		const started = Date.now();
		await runAcsChat({ parameters: getThread(THREAD_ID), credential: data, cancelWhen: cancelled });

		expect(Date.now() - started).toBeLessThan(2_500);
	});
});
