import nock from 'nock';

import { getThread, THREAD, THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';


describe('Thread → Get', () => {
	it('sends GET with the encoded thread id, the API version and the bearer token, and outputs the thread unchanged', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' },
		})
			.get(threadPath())
			.query({ 'api-version': '2024-03-07' })
			.reply(200, THREAD);

		const { success, error } = await runAcsChat({ parameters: getThread(THREAD_ID) });

		expect(error).toBeUndefined();
		expect(success).toEqual([{ json: THREAD, pairedItem: { item: 0 } }]);
		scope.done();
	});

	it('uses the API version from Options', async () => {
		const scope = nock(BASE_URL)
			.get(threadPath())
			.query({ 'api-version': '2025-03-15' })
			.reply(200, THREAD);

		const { success } = await runAcsChat({
			parameters: getThread(THREAD_ID, { apiVersion: '2025-03-15' }),
		});

		expect(success[0].json).toEqual(THREAD);
		scope.done();
	});

	it('resolves the thread id per item from an expression and keeps input order', async () => {
		const ids = ['19:a@thread.v2', '19:b@thread.v2', '19:c@thread.v2', '19:d@thread.v2'];
		for (const id of ids) {
			nock(BASE_URL)
				.get(threadPath(id))
				.query(true)
				.reply(200, { ...THREAD, id, topic: `topic ${id}` });
		}

		const { success } = await runAcsChat({
			parameters: getThread('={{ $json.thread }}'),
			items: ids.map((thread) => ({ thread })),
		});

		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual(
			ids.map((id, index) => [id, { item: index }]),
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('trims whitespace around a thread id that an expression produced', async () => {
		const scope = nock(BASE_URL).get(threadPath()).query(true).reply(200, THREAD);

		const { success } = await runAcsChat({
			parameters: getThread('={{ $json.thread }}'),
			items: [{ thread: `  ${THREAD_ID}\n` }],
		});

		expect(success[0].json.id).toBe(THREAD_ID);
		scope.done();
	});

	it.each([
		['19:a/../../identities@thread.v2'],
		['19:a?api-version=1#frag@thread.v2'],
		['19:..%2F..@thread.v2'],
	])('sends thread id %s as one percent-encoded path segment', async (threadId) => {
		let seenPath = '';
		const scope = nock(BASE_URL)
			.get(() => true)
			.query(true)
			.reply(function () {
				seenPath = this.req.path;
				return [200, { ...THREAD, id: threadId }];
			});

		const { success } = await runAcsChat({ parameters: getThread(threadId) });

		expect(seenPath).toBe(`${threadPath(threadId)}?api-version=2024-03-07`);
		expect(seenPath.split('?')[0].split('/')).toHaveLength(4);
		expect(success[0].json.id).toBe(threadId);
		scope.done();
	});
});
