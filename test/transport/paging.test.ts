import nock from 'nock';

import { THREAD_ID, threadPath } from '../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../harness/runNode';
import { messageParameters, textMessage } from '../actions/message/fixtures';

// acsList through a real list operation (Message → Get Many, the one ACS pages by nextLink with a syncState).

const MESSAGES_PATH = threadPath(THREAD_ID, '/messages');
const messages = (from: number, count: number) => Array.from({ length: count }, (_, index) => textMessage(from + index));
const listMessages = (fields: Record<string, unknown>) => messageParameters('getAll', fields);
const link = (query: string) => `${BASE_URL}${MESSAGES_PATH}?${query}`;

/** Every request the scope answered, as path and query. */
function recordRequests(scope: nock.Scope): string[] {
	const seen: string[] = [];
	scope.on('request', (request: { path: string }) => seen.push(request.path));
	return seen;
}

describe('Get Many paging', () => {
	it('Return All follows nextLink page after page to the end, sending each link as ACS wrote it', async () => {
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } })
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: messages(0, 2), nextLink: link('syncState=a&maxPageSize=200&api-version=2025-03-15') })
			.get(MESSAGES_PATH)
			.query({ syncState: 'a', maxPageSize: '200', 'api-version': '2025-03-15' })
			.reply(200, { value: messages(2, 2), nextLink: `${MESSAGES_PATH}?syncState=b&maxPageSize=200&api-version=2025-03-15` })
			.get(MESSAGES_PATH)
			.query({ syncState: 'b', maxPageSize: '200', 'api-version': '2025-03-15' })
			.reply(200, { value: messages(4, 1) });
		const seen = recordRequests(scope);

		const { success, error } = await runAcsChat({ parameters: listMessages({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success.map((item) => item.json.sequenceId)).toEqual(['0', '1', '2', '3', '4']);
		expect(seen).toHaveLength(3);
		scope.done();
	});

	it('stops at an empty nextLink', async () => {
		nock(BASE_URL).get(MESSAGES_PATH).query(true).reply(200, { value: messages(0, 1), nextLink: '' });

		const { success, error } = await runAcsChat({ parameters: listMessages({ returnAll: true }) });

		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
	});

	it('Limit asks for no more than it still needs, rewriting maxPageSize in the next link, and fetches no page it does not need', async () => {
		const scope = nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '5' })
			// ACS may serve fewer than asked; its link repeats the page size asked first.
			.reply(200, { value: messages(0, 3), nextLink: link('syncState=a&maxPageSize=5&api-version=2025-03-15') })
			.get(MESSAGES_PATH)
			.query({ syncState: 'a', maxPageSize: '2', 'api-version': '2025-03-15' })
			.reply(200, { value: messages(3, 2), nextLink: link('syncState=b&maxPageSize=5&api-version=2025-03-15') });
		// A third page would be answered here, and fail the test by being asked for.
		const unneeded = nock(BASE_URL).get(MESSAGES_PATH).query({ syncState: 'b', maxPageSize: /.*/, 'api-version': /.*/ }).reply(200, { value: messages(5, 5) });

		const { success } = await runAcsChat({ parameters: listMessages({ returnAll: false, limit: 5 }) });

		expect(success.map((item) => item.json.sequenceId)).toEqual(['0', '1', '2', '3', '4']);
		scope.done();
		expect(unneeded.isDone()).toBe(false);
	});

	it('never asks for more than the 200 messages ACS serves per page, whatever the Limit', async () => {
		const scope = nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, { value: messages(0, 200), nextLink: link('syncState=a&maxPageSize=200&api-version=2025-03-15') })
			.get(MESSAGES_PATH)
			.query({ syncState: 'a', maxPageSize: '50', 'api-version': '2025-03-15' })
			.reply(200, { value: messages(200, 50) });

		const { success } = await runAcsChat({ parameters: listMessages({ limit: 250 }) });

		expect(success).toHaveLength(250);
		scope.done();
	});

	it('returns what a page held beyond the Limit no further than the Limit', async () => {
		// A service that ignores maxPageSize: the node still outputs only what was asked for.
		nock(BASE_URL).get(MESSAGES_PATH).query(true).reply(200, { value: messages(0, 10), nextLink: link('syncState=a') });

		const { success } = await runAcsChat({ parameters: listMessages({ limit: 4 }) });

		expect(success.map((item) => item.json.sequenceId)).toEqual(['0', '1', '2', '3']);
	});

	it.each([
		['another host', 'https://evil.example.com/chat/threads/x/messages?syncState=a'],
		['the same host over plain http', `http://contoso.communication.azure.com${MESSAGES_PATH}?syncState=a`],
		['the same host on another port', `https://contoso.communication.azure.com:8443${MESSAGES_PATH}?syncState=a`],
		['a protocol-relative link to another host', '//evil.example.com/chat/threads/x/messages'],
		['the same host with user info (n8n would send Basic credentials instead)', 'https://user:pw@contoso.communication.azure.com/chat/threads/x/messages'],
	])('refuses a nextLink to %s: nothing is sent there, the token stays home', async (_name, nextLink) => {
		nock(BASE_URL).get(MESSAGES_PATH).query(true).reply(200, { value: messages(0, 2), nextLink });
		const elsewhere: Array<string | undefined> = [];
		for (const origin of ['https://evil.example.com', 'http://contoso.communication.azure.com', 'https://contoso.communication.azure.com:8443']) {
			nock(origin)
				.persist()
				.get(/.*/)
				.query(true)
				.reply(function () {
					elsewhere.push(this.req.headers.authorization as string | undefined);
					return [200, { value: [] }];
				});
		}

		const { success, errorOutput } = await runAcsChat({ parameters: listMessages({ returnAll: true }), onError: 'continueErrorOutput' });

		expect(elsewhere).toEqual([]);
		expect(success).toEqual([]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.error).toMatch(/^ACS answered item 0 with a next page on another host; it was not followed/);
		expect(JSON.stringify(errorOutput)).not.toContain(TEST_TOKEN);
	});

	it.each([
		['no value', { nextLink: link('syncState=a') }],
		['a value that is not a list', { value: { id: '1' } }],
		['an empty body', ''],
	])('turns a page with %s into an error item', async (_name, body) => {
		nock(BASE_URL).get(MESSAGES_PATH).query(true).reply(200, body as never);

		const { success, errorOutput } = await runAcsChat({ parameters: listMessages({ returnAll: true }), onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 200, code: 'UnexpectedResponse' });
	});

	it('a page without value on page two fails the item, not just the page', async () => {
		nock(BASE_URL)
			.get(MESSAGES_PATH)
			.query(true)
			.reply(200, { value: messages(0, 2), nextLink: link('syncState=a') })
			.get(MESSAGES_PATH)
			.query({ syncState: 'a' })
			.reply(200, { items: [] });

		const { success, errorOutput } = await runAcsChat({ parameters: listMessages({ returnAll: true }), onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
	});
});
