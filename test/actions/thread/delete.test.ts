import nock from 'nock';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, locator, threadParameters } from './params';

const deleteThread = (threadId: unknown = THREAD_ID, options: Record<string, unknown> = {}) =>
	threadParameters('delete', { threadId: locator(threadId) }, options);

describe('Thread → Delete', () => {
	it('sends DELETE with no body and outputs { deleted: true, threadId }', async () => {
		let body: unknown;
		let contentType: unknown;
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.delete(threadPath())
			.query({ 'api-version': '2025-03-15' })
			.reply(function (_uri, sent) {
				body = sent;
				contentType = this.req.headers['content-type'];
				return [204];
			});

		const { success, error } = await runAcsChat({ parameters: deleteThread() });

		expect(error).toBeUndefined();
		expect(body).toBe('');
		expect(contentType).toBeUndefined();
		expect(success).toEqual([{ json: { deleted: true, threadId: THREAD_ID }, pairedItem: { item: 0 } }]);
		scope.done();
	});

	it('deletes the thread of each item, in order', async () => {
		const ids = ['19:a@thread.v2', '19:b@thread.v2', '19:c@thread.v2'];
		for (const id of ids) nock(BASE_URL).delete(threadPath(id)).query(true).reply(204);

		const { success } = await runAcsChat({ parameters: deleteThread('={{ $json.id }}'), items: ids.map((id) => ({ id })) });

		expect(success.map((item) => [item.json.threadId, item.pairedItem])).toEqual(ids.map((id, item) => [id, { item }]));
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('refuses a bad thread ID before sending', async () => {
		const { error } = await runAcsChat({ parameters: deleteThread('={{ "19:abc" }}') });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Thread ID in item 0 is not an ACS chat thread ID/);
	});

	it('fails the item with the ACS error of a refused delete', async () => {
		nock(BASE_URL).delete(threadPath()).query(true).reply(...acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));

		const { errorOutput } = await runAcsChat({ parameters: deleteThread(), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden' });
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
	});
});
