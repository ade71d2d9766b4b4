import nock from 'nock';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, messageParameters, readReceipt } from './fixtures';

const RECEIPTS_PATH = threadPath(THREAD_ID, '/readReceipts');
const getReadReceipts = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	messageParameters('getReadReceipts', fields, options);

describe('Message → Get Read Receipts', () => {
	it('Return All follows the skip-based nextLink and outputs each receipt with its thread and the reader raw id', async () => {
		const receipts = [0, 1, 2].map((index) => readReceipt(index));
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.get(RECEIPTS_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: receipts.slice(0, 2), nextLink: `${BASE_URL}${RECEIPTS_PATH}?skip=2&maxPageSize=2&api-version=2025-03-15` })
			.get(RECEIPTS_PATH)
			.query({ skip: '2', maxPageSize: '2', 'api-version': '2025-03-15' })
			.reply(200, { value: receipts.slice(2) });

		const { success, error } = await runAcsChat({ parameters: getReadReceipts({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual(
			receipts.map((receipt, index) => ({
				json: { threadId: THREAD_ID, ...receipt, senderId: `8:acs:resource_reader${index}` },
				pairedItem: { item: 0 },
			})),
		);
		scope.done();
	});

	it('Limit asks for no more than it needs and stops there', async () => {
		const scope = nock(BASE_URL)
			.get(RECEIPTS_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '1' })
			.reply(200, { value: [readReceipt(0)], nextLink: `${BASE_URL}${RECEIPTS_PATH}?skip=1&maxPageSize=1&api-version=2025-03-15` });

		const { success } = await runAcsChat({ parameters: getReadReceipts({ limit: 1 }) });

		expect(success.map((item) => item.json.chatMessageId)).toEqual([readReceipt(0).chatMessageId]);
		scope.done();
	});

	it('refuses a malformed thread id before sending anything', async () => {
		const { error } = await runAcsChat({ parameters: messageParameters('getReadReceipts', { limit: 1 }, {}, '={{ "" }}') });

		expect(error?.message).toMatch(/^Thread ID in item 0 is empty$/);
	});

	it('maps a 403 to an error item with status and code', async () => {
		nock(BASE_URL).get(RECEIPTS_PATH).query(true).reply(403, acsError('Forbidden', 'User is not allowed to perform specified action.'));

		const { errorOutput } = await runAcsChat({ parameters: getReadReceipts({ returnAll: true }), onError: 'continueErrorOutput' });

		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden' });
	});
});
