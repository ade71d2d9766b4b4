import nock from 'nock';

import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, threadParameters } from './params';

const thread = (n: number) => ({ id: `19:t${n}@thread.v2`, topic: `Topic ${n}`, lastMessageReceivedOn: '2025-03-15T09:30:00Z' });
const threads = (from: number, count: number) => Array.from({ length: count }, (_, index) => thread(from + index));

const getAll = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	threadParameters('getAll', fields, options);

describe('Thread → Get Many', () => {
	it('lists the threads with Return All, following nextLink to the end, one item per thread with its threadId', async () => {
		const next = `${BASE_URL}/chat/threads?syncState=abc&maxPageSize=200&api-version=2025-03-15`;
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.get('/chat/threads')
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: threads(0, 2), nextLink: next })
			.get('/chat/threads')
			.query({ syncState: 'abc', maxPageSize: '200', 'api-version': '2025-03-15' })
			.reply(200, { value: [{ ...thread(2), deletedOn: '2025-03-16T00:00:00Z' }] });

		const { success, error } = await runAcsChat({ parameters: getAll({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{ json: { threadId: '19:t0@thread.v2', ...thread(0) }, pairedItem: { item: 0 } },
			{ json: { threadId: '19:t1@thread.v2', ...thread(1) }, pairedItem: { item: 0 } },
			{ json: { threadId: '19:t2@thread.v2', ...thread(2), deletedOn: '2025-03-16T00:00:00Z' }, pairedItem: { item: 0 } },
		]);
		scope.done();
	});

	it('asks for no more than Limit threads and fetches no further page', async () => {
		const scope = nock(BASE_URL)
			.get('/chat/threads')
			.query({ 'api-version': '2025-03-15', maxPageSize: '3' })
			.reply(200, { value: threads(0, 3), nextLink: `${BASE_URL}/chat/threads?syncState=abc&maxPageSize=3` });

		const { success } = await runAcsChat({ parameters: getAll({ returnAll: false, limit: 3 }) });

		expect(success.map((item) => item.json.threadId)).toEqual(['19:t0@thread.v2', '19:t1@thread.v2', '19:t2@thread.v2']);
		scope.done();
	});

	it('sends Start Time as UTC date-time text, and the API version from Options', async () => {
		const scope = nock(BASE_URL)
			.get('/chat/threads')
			.query({ 'api-version': '2024-03-07', maxPageSize: '50', startTime: '2025-03-15T08:30:00.000Z' })
			.reply(200, { value: [] });

		const { success, error } = await runAcsChat({
			parameters: getAll({ returnAll: false, limit: 50 }, { startTime: '2025-03-15T09:30:00+01:00', apiVersion: '2024-03-07' }),
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
		scope.done();
	});

	it('lists per item, every thread paired with the item that asked', async () => {
		nock(BASE_URL).get('/chat/threads').query(true).reply(200, { value: threads(0, 2) });
		nock(BASE_URL).get('/chat/threads').query(true).reply(200, { value: [] });
		nock(BASE_URL).get('/chat/threads').query(true).reply(200, { value: threads(5, 1) });

		const { success } = await runAcsChat({ parameters: getAll({ returnAll: true }, { concurrency: 1 }), items: [{}, {}, {}] });

		expect(success.map((item) => [item.json.threadId, item.pairedItem])).toEqual([
			['19:t0@thread.v2', { item: 0 }],
			['19:t1@thread.v2', { item: 0 }],
			['19:t5@thread.v2', { item: 2 }],
		]);
	});

	it.each([
		['a Limit of 0', { returnAll: false, limit: 0 }, {}, /^Limit in item 0 must be a whole number of at least 1/],
		['a Start Time that is not one', { returnAll: true }, { startTime: 'last week' }, /^Start Time in item 0 must be a date-time .*got "last week"/],
	])('refuses %s before sending', async (_case, fields, options, message) => {
		const { error } = await runAcsChat({ parameters: getAll(fields, options) });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
	});

	it('fails the item with the ACS error of a refused list', async () => {
		nock(BASE_URL).get('/chat/threads').query(true).reply(...acsError(401, 'Unauthorized', 'Request is not authorized.'));

		const { error } = await runAcsChat({ parameters: getAll({ returnAll: true }) });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.context.acsError).toMatchObject({ httpCode: 401, code: 'Unauthorized' });
	});
});
