import nock from 'nock';

import { ACS_USER, THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, messageParameters, textMessage, TOPIC_UPDATED } from './fixtures';

const MESSAGES_PATH = threadPath(THREAD_ID, '/messages');
const getAll = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	messageParameters('getAll', fields, options);

/** Newest first, as ACS lists them: message 6 down to message 1. */
const NEWEST_FIRST = [6, 5, 4, 3, 2, 1].map((index) => textMessage(index));
const nextLink = (skip: number) => `${BASE_URL}${MESSAGES_PATH}?syncState=s${skip}&maxPageSize=3&api-version=2025-03-15`;

describe('Message → Get Many', () => {
	it('Return All follows nextLink to the end and outputs every message with its thread and sender raw id', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: NEWEST_FIRST.slice(0, 3), nextLink: nextLink(3) })
			.get(MESSAGES_PATH)
			.query({ syncState: 's3', maxPageSize: '3', 'api-version': '2025-03-15' })
			.reply(200, { value: NEWEST_FIRST.slice(3) });

		const { success, error } = await runAcsChat({ parameters: getAll({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual(
			NEWEST_FIRST.map((message) => ({ json: { threadId: THREAD_ID, ...message, senderId: ACS_USER }, pairedItem: { item: 0 } })),
		);
		scope.done();
	});

	it('Limit asks ACS for no more than it needs and outputs the newest ones', async () => {
		const scope = nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '2' })
			.reply(200, { value: NEWEST_FIRST.slice(0, 2), nextLink: nextLink(2) });

		const { success } = await runAcsChat({ parameters: getAll({ returnAll: false, limit: 2 }) });

		expect(success.map((item) => item.json.id)).toEqual([NEWEST_FIRST[0].id, NEWEST_FIRST[1].id]);
		scope.done();
	});

	it('sends Start Time in UTC as ACS takes it', async () => {
		const scope = nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '50', startTime: '2025-03-15T08:30:00.000Z' })
			.reply(200, { value: [] });

		const { success, error } = await runAcsChat({
			parameters: getAll({ returnAll: false, limit: 50 }, { startTime: '2025-03-15T09:30:00+01:00' }),
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
		scope.done();
	});

	it('Oldest First with Return All outputs the whole history in the order it was written', async () => {
		nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query(true)
			.reply(200, { value: NEWEST_FIRST.slice(0, 3), nextLink: nextLink(3) })
			.get(MESSAGES_PATH)
			.query(true)
			.reply(200, { value: NEWEST_FIRST.slice(3) });

		const { success } = await runAcsChat({ parameters: getAll({ returnAll: true }, { order: 'oldestFirst' }) });

		expect(success.map((item) => item.json.content)).toEqual([1, 2, 3, 4, 5, 6].map((index) => ({ message: `message ${index}` })));
	});

	it('Oldest First with a Limit outputs the newest messages, oldest of them first', async () => {
		nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '3' })
			.reply(200, { value: NEWEST_FIRST.slice(0, 3), nextLink: nextLink(3) });

		const { success } = await runAcsChat({ parameters: getAll({ limit: 3 }, { order: 'oldestFirst' }) });

		expect(success.map((item) => item.json.sequenceId)).toEqual(['4', '5', '6']);
	});

	it('Exclude System Messages keeps only text and HTML messages', async () => {
		const html = { ...textMessage(7), type: 'html' };
		const added = { ...TOPIC_UPDATED, id: '10', type: 'participantAdded' };
		const removed = { ...TOPIC_UPDATED, id: '11', type: 'participantRemoved' };
		nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query(true)
			.reply(200, { value: [html, removed, NEWEST_FIRST[0], TOPIC_UPDATED, added] });

		const { success } = await runAcsChat({ parameters: getAll({ returnAll: true }, { excludeSystemMessages: true }) });

		expect(success.map((item) => [item.json.type, item.json.id])).toEqual([
			['html', html.id],
			['text', NEWEST_FIRST[0].id],
		]);
	});

	it('Exclude System Messages with a Limit counts only the messages kept, reading on for them', async () => {
		const scope = nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '2' })
			.reply(200, { value: [NEWEST_FIRST[0], TOPIC_UPDATED], nextLink: nextLink(2) })
			.get(MESSAGES_PATH)
			.query({ syncState: 's2', maxPageSize: '1', 'api-version': '2025-03-15' })
			.reply(200, { value: [NEWEST_FIRST[1]], nextLink: nextLink(3) });

		const { success } = await runAcsChat({ parameters: getAll({ limit: 2 }, { excludeSystemMessages: true }) });

		expect(success.map((item) => item.json.id)).toEqual([NEWEST_FIRST[0].id, NEWEST_FIRST[1].id]);
		scope.done();
	});

	it('outputs no item for a thread without messages', async () => {
		nock(BASE_URL).get(MESSAGES_PATH).query(true).reply(200, { value: [] });

		const { success, error } = await runAcsChat({ parameters: getAll({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
	});

	it.each([
		['a limit of 0', getAll({ limit: 0 }), /^Limit in item 0 must be a whole number of at least 1$/],
		['a start time that is not a date', getAll({ limit: 5 }, { startTime: 'yesterday' }), /^Start Time in item 0 must be a date-time/],
		['an unknown order', getAll({ limit: 5 }, { order: 'random' }), /^Order in item 0 must be newestFirst or oldestFirst$/],
		['a malformed thread id', messageParameters('getAll', { limit: 5 }, {}, '={{ "19:nope" }}'), /^Thread ID in item 0 is not an ACS chat thread ID/],
	])('refuses %s before sending anything', async (_name, parameters, message) => {
		const { error } = await runAcsChat({ parameters });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
	});

	it('maps a 403 on a later page to an error item of the input item', async () => {
		nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query(true)
			.reply(200, { value: NEWEST_FIRST.slice(0, 3), nextLink: nextLink(3) })
			.get(MESSAGES_PATH)
			.query(true)
			.reply(403, acsError('Forbidden', 'User is not allowed to perform specified action.'));

		const { success, errorOutput } = await runAcsChat({ parameters: getAll({ returnAll: true }), onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden' });
	});
});
