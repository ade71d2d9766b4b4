import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, BAD_MESSAGE_IDS, MESSAGE_ID, messageParameters, metadataEntries } from './fixtures';

// Update, Delete and Mark as Read: each names one message of a thread and changes something about it.

const MESSAGE_PATH = threadPath(THREAD_ID, `/messages/${MESSAGE_ID}`);
const update = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	messageParameters('update', { messageId: MESSAGE_ID, ...fields }, options);

describe('Message → Update', () => {
	it('PATCHes content and metadata as a JSON merge patch and outputs what changed', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: {
				authorization: `Bearer ${TEST_TOKEN}`,
				accept: 'application/json',
				'content-type': 'application/merge-patch+json',
			},
		})
			.patch(MESSAGE_PATH, (body) => JSON.stringify(body) === JSON.stringify({ content: 'Edited', metadata: { edited: 'yes' } }))
			.query({ 'api-version': '2025-03-15' })
			.reply(204);

		const { success, error } = await runAcsChat({
			parameters: update({ content: 'Edited' }, { metadata: metadataEntries({ edited: 'yes' }) }),
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{
				json: { updated: true, threadId: THREAD_ID, messageId: MESSAGE_ID, content: 'Edited', metadata: { edited: 'yes' } },
				pairedItem: { item: 0 },
			},
		]);
		scope.done();
	});

	it('sends only the metadata when Content is empty', async () => {
		const scope = nock(BASE_URL)
			.patch(MESSAGE_PATH, (body) => JSON.stringify(body) === JSON.stringify({ metadata: { a: '1' } }))
			.query(true)
			.reply(204);

		const { success } = await runAcsChat({ parameters: update({ content: '' }, { metadata: metadataEntries({ a: '1' }) }) });

		expect(success[0].json).toEqual({ updated: true, threadId: THREAD_ID, messageId: MESSAGE_ID, metadata: { a: '1' } });
		scope.done();
	});

	it.each([
		['no content and no metadata', update({ content: '' }), /^Content in item 0 is empty and no Metadata is set/],
		['whitespace-only content', update({ content: '   ' }), /^Content in item 0 holds only whitespace$/],
		['content over 28 KiB', update({ content: 'x'.repeat(28 * 1024 + 1) }), /^Content in item 0 is 28673 bytes long/],
		['the same metadata key twice', update({ content: 'a' }, { metadata: { entries: [{ key: 'k', value: '1' }, { key: 'k', value: '2' }] } }), /^Metadata in item 0 has the key "k" twice$/],
	])('refuses %s before sending anything', async (_name, parameters, message) => {
		const { error } = await runAcsChat({ parameters });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(0);
	});

	it.each(BAD_MESSAGE_IDS)('refuses a message id that is %s before sending anything', async (_name, id, message) => {
		const { error } = await runAcsChat({
			parameters: messageParameters('update', { messageId: '={{ $json.id }}', content: 'a' }),
			items: [{ id } as IDataObject],
		});

		expect(error?.message).toMatch(message);
	});

	it('maps a 403 (not the sender) to a NodeApiError', async () => {
		nock(BASE_URL).patch(MESSAGE_PATH).query(true).reply(403, acsError('Forbidden', 'Only the sender can edit a message.'));

		const { errorOutput } = await runAcsChat({ parameters: update({ content: 'x' }), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden', message: 'Only the sender can edit a message.' });
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Message → Delete', () => {
	const remove = (messageId: unknown) => messageParameters('delete', { messageId });

	it('DELETEs the message and outputs what was deleted', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.delete(MESSAGE_PATH, (body) => body === '')
			.query({ 'api-version': '2025-03-15' })
			.reply(204);

		const { success } = await runAcsChat({ parameters: remove(MESSAGE_ID) });

		expect(success).toEqual([{ json: { deleted: true, threadId: THREAD_ID, messageId: MESSAGE_ID }, pairedItem: { item: 0 } }]);
		scope.done();
	});

	it.each(BAD_MESSAGE_IDS)('refuses a message id that is %s before sending anything', async (_name, id, message) => {
		const { error } = await runAcsChat({ parameters: remove('={{ $json.id }}'), items: [{ id } as IDataObject] });

		expect(error?.message).toMatch(message);
	});

	it('maps a 404 to an error item with status and code', async () => {
		nock(BASE_URL).delete(MESSAGE_PATH).query(true).reply(404, acsError('NotFound', 'Message not found.'));

		const { errorOutput } = await runAcsChat({ parameters: remove(MESSAGE_ID), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 404, code: 'NotFound' });
	});
});

describe('Message → Mark as Read', () => {
	const markAsRead = (messageId: unknown) => messageParameters('markAsRead', { messageId });
	const RECEIPTS_PATH = threadPath(THREAD_ID, '/readReceipts');

	it('POSTs a read receipt naming the message and outputs what was marked', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': (value) => value.startsWith('application/json') },
		})
			.post(RECEIPTS_PATH, (body) => JSON.stringify(body) === JSON.stringify({ chatMessageId: MESSAGE_ID }))
			.query({ 'api-version': '2025-03-15' })
			.reply(200);

		const { success } = await runAcsChat({ parameters: markAsRead(MESSAGE_ID) });

		expect(success).toEqual([
			{ json: { markedAsRead: true, threadId: THREAD_ID, messageId: MESSAGE_ID }, pairedItem: { item: 0 } },
		]);
		scope.done();
	});

	it.each(BAD_MESSAGE_IDS)('refuses a message id that is %s before sending anything', async (_name, id, message) => {
		const { error } = await runAcsChat({ parameters: markAsRead('={{ $json.id }}'), items: [{ id } as IDataObject] });

		expect(error?.message).toMatch(message);
	});

	it('maps a 403 to an error item with status and code', async () => {
		nock(BASE_URL).post(RECEIPTS_PATH).query(true).reply(403, acsError('Forbidden', 'User is not allowed to perform specified action.'));

		const { errorOutput } = await runAcsChat({ parameters: markAsRead(MESSAGE_ID), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden' });
	});
});
