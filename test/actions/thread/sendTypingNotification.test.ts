import nock from 'nock';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, locator, threadParameters } from './params';

const typing = (options: Record<string, unknown> = {}, threadId: unknown = THREAD_ID) =>
	threadParameters('sendTypingNotification', { threadId: locator(threadId) }, options);

const TYPING_PATH = threadPath(THREAD_ID, '/typing');

describe('Thread → Send Typing Notification', () => {
	it('posts the sender display name as JSON and outputs { sent: true, threadId, senderDisplayName }', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json', 'content-type': 'application/json' },
		})
			.post(TYPING_PATH, (body) => JSON.stringify(body) === JSON.stringify({ senderDisplayName: 'Alice' }))
			.query({ 'api-version': '2025-03-15' })
			.reply(200);

		const { success, error } = await runAcsChat({ parameters: typing({ senderDisplayName: 'Alice' }) });

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{ json: { sent: true, threadId: THREAD_ID, senderDisplayName: 'Alice' }, pairedItem: { item: 0 } },
		]);
		scope.done();
	});

	it('posts without a body when no sender display name is given (n8n drops an empty JSON object)', async () => {
		let sent: unknown;
		let contentLength: unknown;
		const scope = nock(BASE_URL)
			.post(TYPING_PATH, (body) => ((sent = body), true))
			.query({ 'api-version': '2025-03-15' })
			.reply(function () {
				contentLength = this.req.headers['content-length'];
				return [200];
			});

		const { success } = await runAcsChat({ parameters: typing() });

		expect(sent).toBe('');
		expect(contentLength).toBe('0');
		expect(success).toEqual([{ json: { sent: true, threadId: THREAD_ID }, pairedItem: { item: 0 } }]);
		scope.done();
	});

	it('refuses a sender display name that is not text before sending', async () => {
		const { error } = await runAcsChat({ parameters: typing({ senderDisplayName: '={{ 5 }}' }) });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Sender Display Name in item 0 must be text, got a number');
	});

	it('refuses a bad thread ID before sending', async () => {
		const { error } = await runAcsChat({ parameters: typing({}, '={{ "" }}') });

		expect(error?.message).toMatch(/^Thread ID in item 0 is empty/);
	});

	it('fails the item with the ACS error of a refused notification', async () => {
		nock(BASE_URL).post(TYPING_PATH).query(true).reply(...acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));

		const { error } = await runAcsChat({ parameters: typing() });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.context.acsError).toMatchObject({ httpCode: 403, code: 'Forbidden' });
	});
});
