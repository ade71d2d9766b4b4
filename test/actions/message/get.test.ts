import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ACS_USER, THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, BAD_MESSAGE_IDS, MESSAGE_ID, messageParameters, TEXT_MESSAGE, TOPIC_UPDATED } from './fixtures';

const get = (messageId: unknown, options: Record<string, unknown> = {}) =>
	messageParameters('get', { messageId }, options);

describe('Message → Get', () => {
	it('GETs the message by thread and message id and outputs it with its thread and the sender raw id', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.get(threadPath(THREAD_ID, `/messages/${MESSAGE_ID}`))
			.query({ 'api-version': '2025-03-15' })
			.reply(200, TEXT_MESSAGE);

		const { success, error } = await runAcsChat({ parameters: get(MESSAGE_ID) });

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{ json: { threadId: THREAD_ID, ...TEXT_MESSAGE, senderId: ACS_USER }, pairedItem: { item: 0 } },
		]);
		scope.done();
	});

	it('builds the sender raw id from the identifier model when ACS sent no rawId, and adds none for a system message', async () => {
		nock(BASE_URL)
			.get(threadPath(THREAD_ID, '/messages/1'))
			.query(true)
			.reply(200, { ...TEXT_MESSAGE, id: '1', senderCommunicationIdentifier: { phoneNumber: { value: '+14255550123' } } });
		nock(BASE_URL).get(threadPath(THREAD_ID, `/messages/${TOPIC_UPDATED.id}`)).query(true).reply(200, TOPIC_UPDATED);

		const { success } = await runAcsChat({
			parameters: get('={{ $json.id }}'),
			items: [{ id: '1' }, { id: TOPIC_UPDATED.id }],
		});

		expect(success[0].json.senderId).toBe('4:+14255550123');
		expect(success[1].json).toEqual({ threadId: THREAD_ID, ...TOPIC_UPDATED });
	});

	it('trims a message id an expression produced and uses the API version from Options', async () => {
		const scope = nock(BASE_URL)
			.get(threadPath(THREAD_ID, `/messages/${MESSAGE_ID}`))
			.query({ 'api-version': '2024-03-07' })
			.reply(200, TEXT_MESSAGE);

		const { success } = await runAcsChat({
			parameters: get('={{ $json.id }}', { apiVersion: '2024-03-07' }),
			items: [{ id: ` ${MESSAGE_ID}\n` }],
		});

		expect(success[0].json.id).toBe(MESSAGE_ID);
		scope.done();
	});

	it.each(BAD_MESSAGE_IDS)('refuses a message id that is %s before sending anything', async (_name, messageId, message) => {
		// No interceptor: a request would fail with nock's "no match", not with this message.
		const { error, success } = await runAcsChat({ parameters: get('={{ $json.id }}'), items: [{ id: messageId } as IDataObject] });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(0);
		expect(success).toEqual([]);
	});

	it('maps a 404 to a NodeApiError with status and ACS code', async () => {
		nock(BASE_URL)
			.get(threadPath(THREAD_ID, '/messages/42'))
			.query(true)
			.reply(404, acsError('NotFound', 'Message not found.'));

		const { error } = await runAcsChat({ parameters: get('42') });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^ACS answered 404 NotFound: Message not found\./);
		expect(error?.context.acsError).toMatchObject({ httpCode: 404, code: 'NotFound' });
	});
});
