import nock from 'nock';

import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';

const THREAD_ID = '19:uni01_zbnh3nt2dfuffezc3sox7dog7wfhk6y5qe2rwlnfhlhdzirihdpq@thread.v2';
const THREAD = {
	id: THREAD_ID,
	topic: 'Lunch',
	createdOn: '2020-06-06T05:55:41.6460000Z',
	createdByCommunicationIdentifier: {
		rawId: '8:acs:8540c0de-899f-5cce-acb5-3ec493af3800_0e59221d-0c1d-46ae-9544-c963ce56c10b',
		communicationUser: { id: '8:acs:8540c0de-899f-5cce-acb5-3ec493af3800_0e59221d-0c1d-46ae-9544-c963ce56c10b' },
	},
	metadata: { threadType: 'secondary' },
};

const getThread = (threadId: unknown) => ({
	resource: 'thread',
	operation: 'get',
	threadId: { __rl: true, mode: 'id', value: threadId },
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('Thread → Get', () => {
	it('sends GET with the encoded thread id, the API version and the bearer token, and outputs the thread unchanged', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } })
			.get(`/chat/threads/${encodeURIComponent(THREAD_ID)}`)
			.query({ 'api-version': '2024-03-07' })
			.reply(200, THREAD);

		const { success, error } = await runAcsChat({ parameters: getThread(THREAD_ID) });

		expect(error).toBeUndefined();
		expect(success).toEqual([{ json: THREAD, pairedItem: { item: 0 } }]);
		scope.done();
	});
});
