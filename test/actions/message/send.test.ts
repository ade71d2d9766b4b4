import nock from 'nock';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { checked } from '../../fixtures/session';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, messageParameters, metadataEntries } from './fixtures';

const MESSAGES_PATH = threadPath(THREAD_ID, '/messages');
const send = (content: unknown, options: Record<string, unknown> = {}, threadId?: unknown) =>
	messageParameters('send', { content }, options, threadId);

/** Answers anything, and counts: a refused item must never reach the service. */
function countRequests() {
	const counter = { calls: 0 };
	nock(BASE_URL)
		.persist()
		.post(/.*/)
		.query(true)
		.reply(() => (counter.calls++, [201, { id: '1' }]));
	return counter;
}

describe('Message → Send', () => {
	it('posts the content as JSON with the bearer token and outputs the new message id with its thread', async () => {
		const scope = nock(BASE_URL, {
			reqheaders: {
				authorization: `Bearer ${TEST_TOKEN}`,
				accept: 'application/json',
				'content-type': (value) => value.startsWith('application/json'),
			},
		})
			.post(MESSAGES_PATH, (body) => JSON.stringify(body) === JSON.stringify({ content: 'Hello!' }))
			.query({ 'api-version': '2025-03-15' })
			.reply(201, { id: '1593072104708' }, { Location: `${BASE_URL}${MESSAGES_PATH}/1593072104708` });

		const { success, error } = await runAcsChat({ parameters: send('Hello!') });

		expect(error).toBeUndefined();
		expect(success).toEqual([{ json: { id: '1593072104708', threadId: THREAD_ID }, pairedItem: { item: 0 } }]);
		scope.done();
	});

	it('sends sender display name, type and metadata in the order the SDK writes them', async () => {
		let sent = '';
		const scope = nock(BASE_URL)
			.post(MESSAGES_PATH, (body) => ((sent = JSON.stringify(body)), true))
			.query(true)
			.reply(201, { id: '2' });

		await runAcsChat({
			parameters: send('<p>Hi</p>', {
				metadata: metadataEntries({ ticket: '4711', channel: 'web' }),
				type: 'html',
				senderDisplayName: 'Support Bot',
			}),
		});

		expect(sent).toBe(
			JSON.stringify({
				content: '<p>Hi</p>',
				senderDisplayName: 'Support Bot',
				type: 'html',
				metadata: { ticket: '4711', channel: 'web' },
			}),
		);
		scope.done();
	});

	it('sends the content as it is, leading spaces and line breaks included, and a number as its text', async () => {
		const bodies: unknown[] = [];
		nock(BASE_URL)
			.post(MESSAGES_PATH, (body) => (bodies.push(body), true))
			.twice()
			.query(true)
			.reply(201, { id: '3' });

		const { success } = await runAcsChat({
			parameters: send('={{ $json.content }}', {}),
			items: [{ content: '  indented\nline two ' }, { content: 4711 }],
		});

		expect(success).toHaveLength(2);
		expect(bodies).toEqual([{ content: '  indented\nline two ' }, { content: '4711' }]);
	});

	it('takes exactly 28 KiB of UTF-8 and refuses one byte more, counting bytes, not characters', async () => {
		const counter = countRequests();
		const limit = 28 * 1024;
		const items = [{ content: 'a'.repeat(limit) }, { content: 'a'.repeat(limit + 1) }, { content: '€'.repeat(9558) }];

		const { success, errorOutput } = await runAcsChat({
			parameters: send('={{ $json.content }}'),
			items,
			onError: 'continueErrorOutput',
		});

		expect(counter.calls).toBe(1);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
			[`Content in item 1 is ${limit + 1} bytes long (UTF-8); ACS takes at most ${limit} bytes (28 KB) per message`, { item: 1 }],
			[`Content in item 2 is ${9558 * 3} bytes long (UTF-8); ACS takes at most ${limit} bytes (28 KB) per message`, { item: 2 }],
		]);
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: null, code: 'InvalidParameter', parameter: 'content' });
	});

	it.each([
		['empty', '', /^Content in item 0 is empty$/],
		['whitespace only', ' \n\t ', /^Content in item 0 holds only whitespace$/],
		['an object', { text: 'hi' }, /^Content in item 0 must be text, got an object$/],
		['null', null, /^Content in item 0 must be text, got null$/],
	])('refuses content that is %s before sending anything', async (_name, content, message) => {
		const counter = countRequests();

		const { error } = await runAcsChat({ parameters: send('={{ $json.content }}'), items: [{ content }] });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(0);
		expect(counter.calls).toBe(0);
	});

	it.each([
		['a malformed thread id', send('Hi', {}, '={{ "general" }}'), /^Thread ID in item 0 is not an ACS chat thread ID/],
		['an unknown message type', send('Hi', { type: 'markdown' }), /^Message Type in item 0 must be text or html/],
		['a sender display name that is not text', send('Hi', { senderDisplayName: '={{ { name: "x" } }}' }), /^Sender Display Name in item 0 must be text, got an object$/],
		['a metadata entry without a key', send('Hi', { metadata: metadataEntries({ '': 'x' }) }), /^Metadata in item 0 has an entry without a key/],
	])('refuses %s before sending anything', async (_name, parameters, message) => {
		const counter = countRequests();

		const { error } = await runAcsChat({ parameters });

		expect(error?.message).toMatch(message);
		expect(counter.calls).toBe(0);
	});

	it('maps an ACS error to a NodeApiError with its status and code', async () => {
		nock(BASE_URL)
			.post(MESSAGES_PATH)
			.query(true)
			.reply(403, acsError('Forbidden', 'User is not allowed to perform specified action.'));

		const { errorOutput } = await runAcsChat({ parameters: send('Hi'), onError: 'continueErrorOutput' });

		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.details).toMatchObject({
			httpCode: 403,
			code: 'Forbidden',
			message: 'User is not allowed to perform specified action.',
		});
	});

	it('is never sent again after a 503, which may have posted it, and says so', async () => {
		const scope = nock(BASE_URL)
			.post(MESSAGES_PATH)
			.query(true)
			.reply(503, acsError('ServiceUnavailable', 'The server is currently unable to handle the request.'));

		const { errorOutput } = await runAcsChat({
			parameters: send('Hi'),
			// An identity of its own: a 503 slows its throttle bucket for later tests.
			credential: checked({ endpoint: BASE_URL, accessToken: `${TEST_TOKEN}send503` }),
			onError: 'continueErrorOutput',
		});

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 503, attempts: 1, mayHaveBeenSent: true });
		scope.done();
	});

	it('is sent again after a 429, which ACS did not act on', async () => {
		nock(BASE_URL).post(MESSAGES_PATH).query(true).reply(429, acsError('TooManyRequests', 'Rate limit exceeded.'), { 'retry-after-ms': '1' });
		nock(BASE_URL).post(MESSAGES_PATH).query(true).reply(201, { id: '5' });

		const { success } = await runAcsChat({
			parameters: send('Hi'),
			credential: checked({ endpoint: BASE_URL, accessToken: `${TEST_TOKEN}send429` }),
		});

		expect(success[0].json).toEqual({ id: '5', threadId: THREAD_ID });
		expect(nock.pendingMocks()).toEqual([]);
	});
});
