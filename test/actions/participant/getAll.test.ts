import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError } from '../thread/params';
import { acsUser, acsUserModel, getParticipants } from './params';

const LIST_PATH = threadPath(THREAD_ID, '/participants');

const participant = (n: number): IDataObject => ({
	communicationIdentifier: acsUserModel(acsUser(n)),
	displayName: `User ${n}`,
	shareHistoryTime: '1970-01-01T00:00:00Z',
});

describe('Participant → Get Many', () => {
	it('with Return All, follows nextLink to the end; one output per participant with its thread and raw ID', async () => {
		const next = `${BASE_URL}${LIST_PATH}?skip=2&maxPageSize=200&api-version=2025-03-15`;
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' } })
			.get(LIST_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: [participant(1), participant(2)], nextLink: next })
			.get(LIST_PATH)
			.query({ skip: '2', maxPageSize: '200', 'api-version': '2025-03-15' })
			.reply(200, { value: [participant(3)] });

		const { success, error } = await runAcsChat({ parameters: getParticipants(THREAD_ID, { returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual(
			[1, 2, 3].map((n) => ({
				json: { threadId: THREAD_ID, participantId: acsUser(n), ...participant(n) },
				pairedItem: { item: 0 },
			})),
		);
		scope.done();
	});

	it('with a Limit, asks for no more than it needs and stops there', async () => {
		const scope = nock(BASE_URL)
			.get(LIST_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '2' })
			.reply(200, { value: [participant(1), participant(2)], nextLink: `${LIST_PATH}?skip=2&maxPageSize=2&api-version=2025-03-15` });

		const { success } = await runAcsChat({ parameters: getParticipants(THREAD_ID, { returnAll: false, limit: 2 }) });

		expect(success.map((item) => item.json.participantId)).toEqual([acsUser(1), acsUser(2)]);
		scope.done();
	});

	it('rebuilds the raw ID of a participant whose identifier has no rawId, and pairs every participant with its item', async () => {
		const other = '19:other@thread.v2';
		nock(BASE_URL)
			.get(LIST_PATH)
			.query(true)
			.reply(200, { value: [{ communicationIdentifier: { phoneNumber: { value: '+14255550123' } } }] })
			.get(threadPath(other, '/participants'))
			.query(true)
			.reply(200, { value: [participant(4), participant(5)] });

		const { success } = await runAcsChat({
			parameters: getParticipants('={{ $json.thread }}', { returnAll: true }),
			items: [{ thread: THREAD_ID }, { thread: other }],
		});

		expect(success.map((item) => [item.json.threadId, item.json.participantId, item.pairedItem])).toEqual([
			[THREAD_ID, '4:+14255550123', { item: 0 }],
			[other, acsUser(4), { item: 1 }],
			[other, acsUser(5), { item: 1 }],
		]);
	});

	it('outputs nothing for a thread without participants', async () => {
		nock(BASE_URL).get(LIST_PATH).query(true).reply(200, { value: [] });

		const { success, error } = await runAcsChat({ parameters: getParticipants(THREAD_ID, { returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
	});

	it('maps a 403 to a NodeApiError with its status and ACS code', async () => {
		nock(BASE_URL).get(LIST_PATH).query(true).reply(...acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));

		const { error, errorOutput } = await runAcsChat({ parameters: getParticipants(), onError: 'continueErrorOutput' });

		expect(error).toBeUndefined();
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden', message: 'User is not allowed to perform specified action.' });
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
	});

	it.each([0, 2.5])('refuses a Limit of %p before sending', async (limit) => {
		const { error } = await runAcsChat({ parameters: getParticipants(THREAD_ID, { returnAll: false, limit }) });

		expect(error?.message).toMatch(/^Limit in item 0 must be a whole number of at least 1/);
	});
});
