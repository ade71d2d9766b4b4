import nock from 'nock';

import { getThread, THREAD, THREAD_ID, threadPath, TOKEN_CHECK } from '../fixtures/acs';
import {
	ACCESS_KEY,
	CONNECTION_STRING,
	connectionStringCredential,
	identityAnswering,
	identityApi,
	MINTED,
	MINTED_AGAIN,
} from '../fixtures/identity';
import { issued, sessionTokenOf } from '../fixtures/session';
import type { RunResult } from '../harness/runNode';
import { BASE_URL, newCredentialsHelper, runAcsChat } from '../harness/runNode';

/** What n8n's credential test would show for the error preAuthentication threw. */
function credentialTestMessage(error: unknown): string {
	// n8n's credentials tester reads a NodeApiError around what preAuthentication threw: a response's status text
	// on the thrown error, else its code, else its message.
	const e = error as { message: string; response?: { statusText?: string }; code?: string };
	return e.response?.statusText ?? e.code ?? e.message;
}

function everything(run: RunResult['run']) {
	return JSON.stringify(run, (_key, value: unknown) =>
		value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
	);
}

describe('connection string credential', () => {
	it('mints one chat token for 1,000 items over 3 executions, signed with the access key', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED]);
		const helper = newCredentialsHelper(data);
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${MINTED}` } })
			.get(threadPath())
			.query(true)
			.times(1000)
			.reply(200, THREAD);
		const sizes = [400, 300, 300];

		const runs: RunResult[] = [];
		for (const size of sizes) {
			runs.push(
				await runAcsChat({
					parameters: getThread(THREAD_ID),
					items: Array.from({ length: size }, () => ({})),
					credentialsHelper: helper,
				}),
			);
		}

		expect(runs.map((run) => run.error?.message)).toEqual([undefined, undefined, undefined]);
		expect(runs.map((run) => run.success.length)).toEqual(sizes);
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined, undefined]);
		expect(calls).toHaveLength(1);
		expect(calls[0].body).toEqual({ scopes: ['chat'], expiresInMinutes: 60 });
		expect(calls[0].headers).toMatchObject({
			authorization: expect.stringMatching(
				/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=[A-Za-z0-9+/]+=*$/,
			),
			'x-ms-date': expect.stringMatching(/GMT$/),
			'x-ms-content-sha256': expect.any(String),
		});
		expect(sessionTokenOf(helper.stored.get('cred-1'))).toBe(MINTED);
		expect(nock.pendingMocks()).toEqual([]);
	}, 60_000);

	it('mints anew after a 401 and resends the request once', async () => {
		const { userId, data: credential } = connectionStringCredential();
		const data = issued(credential, 'expired-token-value');
		const calls = identityApi(userId, [MINTED]);
		nock(BASE_URL, { reqheaders: { authorization: 'Bearer expired-token-value' } })
			.get(threadPath())
			.query(true)
			.reply(401, { error: { code: 'Unauthorized', message: 'Token expired.' } });
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${MINTED}` } })
			.get(threadPath())
			.query(true)
			.reply(200, THREAD);

		const { success, error } = await runAcsChat({ parameters: getThread(THREAD_ID), credential: data });

		expect(error).toBeUndefined();
		expect(success[0].json).toEqual(THREAD);
		expect(calls).toHaveLength(1);
	});

	it('mints once when many parallel items all meet an expired token', async () => {
		const { userId, data: credential } = connectionStringCredential();
		const data = issued(credential, 'expired-token-value');
		const calls = identityApi(userId, [MINTED, MINTED_AGAIN]);
		nock(BASE_URL, { reqheaders: { authorization: 'Bearer expired-token-value' } })
			.persist()
			.get(/.*/)
			.query(true)
			.delay(20)
			.reply(401, { error: { code: 'Unauthorized', message: 'Token expired.' } });
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${MINTED}` } })
			.persist()
			.get(/.*/)
			.query(true)
			.reply(200, THREAD);

		const { success, error } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 20 }),
			items: Array.from({ length: 40 }, () => ({})),
			credential: data,
		});

		expect(error).toBeUndefined();
		expect(success).toHaveLength(40);
		expect(calls).toHaveLength(1);
	});

	it('gives up with a clear 401 when the freshly minted token is refused too', async () => {
		const { userId, data: credential } = connectionStringCredential();
		const data = issued(credential, 'expired-token-value');
		identityApi(userId, [MINTED]);
		const chat = nock(BASE_URL)
			.get(threadPath())
			.query(true)
			.times(2)
			.reply(401, { error: { code: 'Unauthorized', message: 'Request is not authorized.' } });

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID), credential: data });

		expect(error?.message).toBe('ACS answered 401 Unauthorized: Request is not authorized.');
		expect(chat.isDone()).toBe(true);
	});

	it.each([
		[401, 'Unauthorized', 'The HMAC signature is invalid.'],
		[403, 'Forbidden', 'The resource is disabled.'],
		[429, 'TooManyRequests', 'Rate limit exceeded.'],
	])('maps an Identity API %s like every other error', async (status, code, message) => {
		const { userId, data } = connectionStringCredential();
		const identity = identityAnswering(userId, () => [status, { error: { code, message } }]);
		const helper = newCredentialsHelper(data);

		const { errorOutput, run } = await runAcsChat({
			parameters: getThread(THREAD_ID, { retryOnThrottle: false }),
			credentialsHelper: helper,
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: status, code, message });
		expect(credentialTestMessage(helper.preAuthenticationErrors[0])).toBe(
			`Could not issue a chat token for ${userId} with the connection string's access key (${status} ${code}): ${message}`,
		);
		expect(identity.calls()).toBe(1);
		expect(everything(run)).not.toContain(ACCESS_KEY);
	});

	it.each([
		[{ connectionStringSecret: 'https://contoso.communication.azure.com' }, /Connection String .*has a part without '='/],
		[{ connectionStringSecret: `endpoint=${BASE_URL}/;accesskey=not*base64!` }, /Connection String .*not base64/],
		[{ connectionStringSecret: `endpoint=contoso.communication.azure.com;accesskey=${ACCESS_KEY}` }, /Connection String in item 0 endpoint must start with https:\/\//],
		[{ connectionStringSecret: '' }, /Connection String in item 0 is empty/],
		[{ userId: '4:+14255550123' }, /User ID in item 0 must be an ACS user \(8:acs:…\)/],
		[{ userId: '' }, /User ID in item 0 is empty/],
		[{ expiresInMinutes: 30 }, /Token Lifetime \(Minutes\) in item 0 must be a whole number from 60 to 1440/],
	])('refuses a bad field before sending anything: %p', async (bad, message) => {
		const { data } = connectionStringCredential(bad);
		const helper = newCredentialsHelper(data);

		const { error, run } = await runAcsChat({ parameters: getThread(THREAD_ID), credentialsHelper: helper });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^The credential /);
		expect(error?.message).toMatch(message);
		expect(everything(run)).not.toContain(ACCESS_KEY);
	});

	it('keeps the access key and every minted token out of outputs, errors and their JSON', async () => {
		const { userId, data } = connectionStringCredential();
		identityApi(userId, [MINTED]);
		nock(BASE_URL)
			.get(threadPath())
			.query(true)
			.reply(400, { error: { code: 'BadRequest', message: `bad ${MINTED} ${ACCESS_KEY} ${CONNECTION_STRING}` } });

		const { error, run } = await runAcsChat({ parameters: getThread(THREAD_ID), credential: data });

		expect(error).toBeDefined();
		for (const secret of [ACCESS_KEY, MINTED, CONNECTION_STRING]) {
			expect(everything(run)).not.toContain(secret);
			expect(JSON.stringify(error)).not.toContain(secret);
			expect(String(error)).not.toContain(secret);
		}
	});
});

describe('access token credential check', () => {
	it("shows the service's own message when the token is refused", async () => {
		const helper = newCredentialsHelper({ endpoint: BASE_URL, accessToken: 'expired-token-value', sessionToken: '' });
		// The refusal must not look like an expired token to n8n, or it would ask the credential again at once.
		let checks = 0;
		nock(BASE_URL)
			.persist()
			.get(TOKEN_CHECK.path)
			.query(TOKEN_CHECK.query)
			.reply(() => {
				checks++;
				return [401, { error: { code: 'InvalidAuthenticationToken', message: 'The token has expired.' } }];
			});

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID), credentialsHelper: helper });

		expect(error?.message).toBe('ACS answered 401 InvalidAuthenticationToken: The token has expired.');
		expect(credentialTestMessage(helper.preAuthenticationErrors[0])).toBe(
			'ACS rejected the access token; user access tokens live at most 24 hours, so issue a new one (401 InvalidAuthenticationToken): The token has expired.',
		);
		expect(checks).toBe(1);
		expect(helper.preAuthenticationErrors).toHaveLength(1);
	});
});
