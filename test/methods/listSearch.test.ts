import nock from 'nock';

import { connectionStringCredential, identityApi, MINTED } from '../fixtures/identity';
import { checked, sessionTokenOf } from '../fixtures/session';
import { BASE_URL, TEST_TOKEN } from '../harness/runNode';
import { searchThreads } from './searchThreads';

// Each search acts as a user of its own: a 429 in one test pauses only that user's bucket.
let identity = 0;
const search = (filter?: string, paginationToken?: string, credential?: Parameters<typeof searchThreads>[2]) =>
	searchThreads(filter, paginationToken, credential ?? checked({ endpoint: BASE_URL, accessToken: `${TEST_TOKEN}${++identity}` }));

const NEXT = `${BASE_URL}/chat/threads?syncState=page2&maxPageSize=200&api-version=2025-03-15`;

const PAGE = {
	value: [
		{ id: '19:new@thread.v2', topic: 'Lunch with Ops', lastMessageReceivedOn: '2025-03-15T10:00:00Z' },
		{ id: '19:gone@thread.v2', topic: 'Lunch (deleted)', deletedOn: '2025-03-14T00:00:00Z' },
		{ id: '19:untitled@thread.v2', topic: '' },
		{ id: '19:old@thread.v2', topic: 'Quarterly LUNCH', lastMessageReceivedOn: '2025-01-01T00:00:00Z' },
	],
	nextLink: NEXT,
};

describe('Thread field: From List (searchThreads)', () => {
	it('lists one page of the acting user\'s threads in ACS order, deleted ones left out, with nextLink as the token', async () => {
		const scope = nock(BASE_URL, { reqheaders: { accept: 'application/json', authorization: (value) => value.startsWith(`Bearer ${TEST_TOKEN}`) } })
			.get('/chat/threads')
			.query({ 'api-version': '2025-03-15', maxPageSize: '200' })
			.reply(200, PAGE);

		const { result } = await search();

		expect(result).toEqual({
			results: [
				{ name: 'Lunch with Ops', value: '19:new@thread.v2' },
				{ name: '(no topic) 19:untitled@thread.v2', value: '19:untitled@thread.v2' },
				{ name: 'Quarterly LUNCH', value: '19:old@thread.v2' },
			],
			paginationToken: NEXT,
		});
		scope.done();
	});

	it.each([
		['lunch', ['19:new@thread.v2', '19:old@thread.v2']],
		['  OPS ', ['19:new@thread.v2']],
		['19:untitled@thread.v2', ['19:untitled@thread.v2']],
		['nothing like it', []],
	])('keeps the threads whose topic holds %p in any case, or whose ID it is', async (filter, ids) => {
		nock(BASE_URL).get('/chat/threads').query(true).reply(200, PAGE);

		const { result } = await search(filter);

		expect(result.results.map((item) => item.value)).toEqual(ids);
		// The typed text filters this page only: later pages may hold more matches.
		expect(result.paginationToken).toBe(NEXT);
	});

	it('fetches the next page from the token as ACS linked it, and ends without a token on the last page', async () => {
		const scope = nock(BASE_URL)
			.get('/chat/threads')
			.query({ syncState: 'page2', maxPageSize: '200', 'api-version': '2025-03-15' })
			.reply(200, { value: [{ id: '19:older@thread.v2', topic: 'Lunch 2024' }] });

		const { result } = await search('lunch', NEXT);

		expect(result).toEqual({ results: [{ name: 'Lunch 2024', value: '19:older@thread.v2' }], paginationToken: undefined });
		scope.done();
	});

	it('refuses a token that points at another host, sending nothing there', async () => {
		// No interceptor for evil.example: nock would fail the request, and net connect is disabled.
		await expect(search(undefined, 'https://evil.example/chat/threads?syncState=x')).rejects.toThrow(
			/next page on another host; it was not followed/,
		);
	});

	it('shows the ACS error when the list is refused', async () => {
		nock(BASE_URL)
			.get('/chat/threads')
			.query(true)
			.reply(403, { error: { code: 'Forbidden', message: 'User is not allowed to perform specified action.' } });

		await expect(search()).rejects.toMatchObject({
			name: 'NodeApiError',
			context: { acsError: { httpCode: 403, code: 'Forbidden' } },
		});
	});

	it('issues a token with a connection string credential, as a node run does, and keeps it with the credential', async () => {
		const { userId, data } = connectionStringCredential();
		const calls = identityApi(userId, [MINTED]);
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${MINTED}` } })
			.get('/chat/threads')
			.query(true)
			.reply(200, { value: [{ id: '19:mine@thread.v2', topic: 'Mine' }] });

		const { result, credentialsHelper } = await search(undefined, undefined, data);

		expect(calls).toHaveLength(1);
		expect(result.results).toEqual([{ name: 'Mine', value: '19:mine@thread.v2' }]);
		expect(sessionTokenOf(credentialsHelper.stored.get('cred-1'))).toBe(MINTED);
		scope.done();
	});
});
