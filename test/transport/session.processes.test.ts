import { getThread, THREAD, THREAD_ID } from '../fixtures/acs';
import { connectionStringCredential, identityApi, MINTED, MINTED_AGAIN } from '../fixtures/identity';
import { chatApi } from '../fixtures/chatApi';
import { issued } from '../fixtures/session';
import { runAcsChat } from '../harness/runNode';

// n8n's queue mode runs each worker as a process of its own: the credential row is shared through the database,
// the token the session module issued last is not. These runs are one worker's; the other worker is the token it
// left in the row.
const REVOKED = { error: { code: 'Unauthorized', message: 'The access token has been revoked.' } };
const OTHER_WORKERS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJtaW50ZWQiOiJvdGhlciJ9.b3RoZXItd29ya2Vycy10b2tlbg';
const items = (count: number) => Array.from({ length: count }, () => ({}));


describe('a token another worker saved in the shared credential row', () => {
	it('is replaced by a new token when refused, not by the older one this worker issued (all tokens revoked)', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED, MINTED_AGAIN]);
		let accepted = [MINTED, OTHER_WORKERS_TOKEN];
		const seen = chatApi((token) => (accepted.includes(token) ? [200, THREAD] : [401, REVOKED]));
		const first = await runAcsChat({ parameters: getThread(THREAD_ID), credential: data });
		expect(first.error).toBeUndefined();
		expect(calls).toHaveLength(1);

		// Revoked: every token issued so far is refused. The row holds the other worker's token, newer than MINTED.
		accepted = [MINTED_AGAIN];
		seen.length = 0;
		const { success, errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID, { concurrency: 8 }),
			items: items(20),
			credential: issued(data, OTHER_WORKERS_TOKEN),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toEqual([]);
		expect(success).toHaveLength(20);
		expect(calls).toHaveLength(2);
		expect(seen).not.toContain(MINTED);
	});

	it('still hands out the token this worker issued when a run is refused a token this worker replaced', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED, MINTED_AGAIN]);
		const seen = chatApi((token) => (token === MINTED ? [200, THREAD] : [401, REVOKED]));
		// One run finds the row's token refused and issues MINTED in its place.
		const first = await runAcsChat({ parameters: getThread(THREAD_ID), credential: issued(data, OTHER_WORKERS_TOKEN) });
		expect(first.error).toBeUndefined();

		// A run that read the row before that sends the same old token, and takes MINTED without issuing again.
		seen.length = 0;
		const { success, errorOutput } = await runAcsChat({
			parameters: getThread(THREAD_ID),
			credential: issued(data, OTHER_WORKERS_TOKEN),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput).toEqual([]);
		expect(success).toHaveLength(1);
		expect(calls).toHaveLength(1);
		expect(seen).toEqual([OTHER_WORKERS_TOKEN, MINTED]);
	});
});
