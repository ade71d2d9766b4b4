import nock from 'nock';

import { getThread, removeParticipant, THREAD_ID, threadPath, TOKEN_CHECK } from '../fixtures/acs';
import { checked } from '../fixtures/session';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../harness/runNode';

// Each test here maps one answer; resending the transient ones is covered by test/transport/retry.workflow.test.ts.
const ONE_ANSWER = { retryOnThrottle: false };

// A 429 pauses its throttle bucket for every later request of the same identity in this process, as it should;
// each test acts as an identity of its own (a token that still begins with TEST_TOKEN, so a leak is still found).
let identity = 0;
const runAsOwnUser = (options: Parameters<typeof runAcsChat>[0]) =>
	runAcsChat({ credential: checked({ endpoint: BASE_URL, accessToken: `${TEST_TOKEN}${++identity}` }), ...options });

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>' +
	'<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>';

interface Scenario {
	name: string;
	reply: (scope: nock.Interceptor) => nock.Scope;
	httpCode: number | null;
	code: string;
	message: RegExp;
	extra?: Record<string, unknown>;
}

const acsError = (code: string, message: string, more: Record<string, unknown> = {}) => ({
	error: { code, message, ...more },
});

const scenarios: Scenario[] = [
	{
		name: '400 with target and details',
		reply: (i) =>
			i.reply(
				400,
				acsError('BadRequest', 'The request is invalid.', {
					target: 'chatThreadId',
					details: [{ code: 'InvalidFormat', message: 'Thread id has a bad format.', target: 'chatThreadId' }],
				}),
			),
		httpCode: 400,
		code: 'BadRequest',
		message: /ACS answered 400 BadRequest: The request is invalid\./,
		extra: {
			target: 'chatThreadId',
			details: [{ code: 'InvalidFormat', message: 'Thread id has a bad format.', target: 'chatThreadId' }],
		},
	},
	{
		name: '401',
		// After a 401 n8n asks the credential to refresh; with an access token that re-checks the token, which
		// fails the same way, so the item fails with the service's answer.
		reply: (i) => {
			nock(BASE_URL).get(TOKEN_CHECK.path).query(TOKEN_CHECK.query).reply(401, acsError('Unauthorized', 'Request is not authorized.'));
			return i.reply(401, acsError('Unauthorized', 'Request is not authorized.'));
		},
		httpCode: 401,
		code: 'Unauthorized',
		message: /401 Unauthorized: Request is not authorized\./,
	},
	{
		name: '401 with an empty body',
		reply: (i) => {
			nock(BASE_URL).get(TOKEN_CHECK.path).query(TOKEN_CHECK.query).reply(401, '');
			return i.reply(401, '');
		},
		httpCode: 401,
		code: 'Unauthorized',
		message: /ACS answered 401 Unauthorized with no error details/,
	},
	{
		name: '403',
		reply: (i) =>
			i.reply(403, acsError('Forbidden', 'User is not allowed to perform specified action.'), {
				'MS-CV': 'ZxYwVuTs.1',
			}),
		httpCode: 403,
		code: 'Forbidden',
		message: /403 Forbidden: User is not allowed/,
		extra: { requestId: 'ZxYwVuTs.1' },
	},
	{
		name: '404',
		reply: (i) => i.reply(404, acsError('NotFound', 'Chat thread not found.')),
		httpCode: 404,
		code: 'NotFound',
		message: /404 NotFound: Chat thread not found\./,
	},
	{
		name: '429 with Retry-After',
		reply: (i) => i.reply(429, acsError('TooManyRequests', 'Rate limit exceeded.'), { 'Retry-After': '7' }),
		httpCode: 429,
		code: 'TooManyRequests',
		message: /429 TooManyRequests: Rate limit exceeded\./,
		extra: { retryAfterSeconds: 7 },
	},
	{
		name: '500 with an inner error',
		reply: (i) =>
			i.reply(
				500,
				acsError('InternalServerError', 'Something broke.', {
					innererror: { code: 'StoreFailure', message: 'The store timed out.' },
				}),
			),
		httpCode: 500,
		code: 'InternalServerError',
		message: /500 InternalServerError: Something broke\./,
		extra: { innerError: { code: 'StoreFailure', message: 'The store timed out.' } },
	},
	{
		name: '503',
		reply: (i) =>
			i.reply(503, acsError('ServiceUnavailable', 'The server is currently unable to handle the request.')),
		httpCode: 503,
		code: 'ServiceUnavailable',
		message: /503 ServiceUnavailable: The server is currently unable/,
	},
	{
		name: '502 HTML page from a proxy',
		reply: (i) => i.reply(502, HTML_PAGE, { 'Content-Type': 'text/html' }),
		httpCode: 502,
		code: 'BadGateway',
		message: /ACS answered 502 .*not an ACS error/,
	},
	{
		name: 'connection reset',
		reply: (i) => i.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
		httpCode: null,
		code: 'ECONNRESET',
		message: /Could not reach the ACS endpoint: the connection was reset/,
	},
];

function intercept(scenario: Scenario) {
	return scenario.reply(nock(BASE_URL).get(threadPath()).query(true));
}

describe.each(scenarios)('API error: $name', (scenario) => {
	it('stops the workflow with a NodeApiError carrying status, ACS code and message, and the item index', async () => {
		const scope = intercept(scenario);

		const { error, success } = await runAsOwnUser({ parameters: getThread(THREAD_ID, ONE_ANSWER) });

		expect(success).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(scenario.message);
		expect((error as { httpCode?: string | null }).httpCode ?? null).toBe(
			scenario.httpCode === null ? null : String(scenario.httpCode),
		);
		expect(error?.context.itemIndex).toBe(0);
		expect(error?.description).toBeTruthy();
		scope.done();
	});

	it('with "Continue (using error output)" becomes one paired error item an If node can branch on', async () => {
		const scope = intercept(scenario);

		const { success, errorOutput, error } = await runAsOwnUser({
			parameters: getThread(THREAD_ID, ONE_ANSWER),
			onError: 'continueErrorOutput',
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
		expect(errorOutput).toHaveLength(1);
		const [item] = errorOutput;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(item.json.error).toMatch(scenario.message);
		expect(item.json.details).toMatchObject({
			httpCode: scenario.httpCode,
			code: scenario.code,
			...scenario.extra,
		});
		expect(typeof (item.json.details as { message: unknown }).message).toBe('string');
		scope.done();
	});

	it('with "Continue" (regular output) becomes one paired error item on the main output', async () => {
		const scope = intercept(scenario);

		const { success, error } = await runAsOwnUser({
			parameters: getThread(THREAD_ID, ONE_ANSWER),
			onError: 'continueRegularOutput',
		});

		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
		expect(success[0].pairedItem).toEqual({ item: 0 });
		expect(success[0].json.details).toMatchObject({ httpCode: scenario.httpCode, code: scenario.code });
		scope.done();
	});
});

describe('error details', () => {
	it('keep a short readable piece of an HTML page, without markup', async () => {
		intercept(scenarios.find((s) => s.name.startsWith('502'))!);

		const { errorOutput } = await runAsOwnUser({
			parameters: getThread(THREAD_ID, ONE_ANSWER),
			onError: 'continueErrorOutput',
		});

		const message = (errorOutput[0].json.details as { message: string }).message;
		expect(message).toContain('The upstream server did not answer.');
		expect(message).not.toMatch(/[<>]|color:red/);
	});

	it('route each failed item of a batch to the error output and the others to the success output, in order', async () => {
		const threads = ['19:a@thread.v2', '19:missing@thread.v2', '19:c@thread.v2', 'not-a-thread', '19:e@thread.v2'];
		for (const id of threads.filter((t) => t.startsWith('19:'))) {
			const interceptor = nock(BASE_URL).get(threadPath(id)).query(true);
			if (id.includes('missing')) interceptor.reply(404, acsError('NotFound', 'Chat thread not found.'));
			else interceptor.reply(200, { id, topic: 't' });
		}

		const { success, errorOutput } = await runAsOwnUser({
			parameters: getThread('={{ $json.thread }}'),
			items: threads.map((thread) => ({ thread })),
			onError: 'continueErrorOutput',
		});

		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['19:a@thread.v2', { item: 0 }],
			['19:c@thread.v2', { item: 2 }],
			['19:e@thread.v2', { item: 4 }],
		]);
		expect(errorOutput.map((item) => [(item.json.details as { code: string }).code, item.pairedItem])).toEqual([
			['NotFound', { item: 1 }],
			['InvalidParameter', { item: 3 }],
		]);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('a success status with a body that is not a JSON object', () => {
	it.each([
		['an HTML page', '<html><body><p>Please sign in.</p></body></html>', 'Please sign in.'],
		['a JSON array', [{ id: 1 }], 'a JSON array of 1 entry'],
	])('fails the item with the real status for %s, not an invented 502', async (_name, body, snippet) => {
		nock(BASE_URL).get(threadPath()).query(true).reply(200, body as never);

		const { errorOutput } = await runAcsChat({ parameters: getThread(THREAD_ID, ONE_ANSWER), onError: 'continueErrorOutput' });

		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json.error).toBe('ACS answered 200 with a body that is not a JSON object');
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 200, code: 'UnexpectedResponse', message: snippet });
	});
});

describe('the access token never leaves the credential', () => {
	const everything = (value: unknown) =>
		JSON.stringify(value, (_key, entry: unknown) =>
			entry instanceof Error
				? { ...entry, message: entry.message, stack: entry.stack, cause: (entry as { cause?: unknown }).cause }
				: entry,
		);

	it.each(scenarios)('$name: not in the run data, the error or its cause', async (scenario) => {
		intercept(scenario);

		const stopped = await runAsOwnUser({ parameters: getThread(THREAD_ID, ONE_ANSWER) });
		expect(stopped.error).toBeDefined();
		expect(everything(stopped.error)).not.toContain(TEST_TOKEN);
		expect(everything(stopped.run)).not.toContain(TEST_TOKEN);

		intercept(scenario);
		const continued = await runAsOwnUser({ parameters: getThread(THREAD_ID, ONE_ANSWER), onError: 'continueErrorOutput' });
		expect(continued.errorOutput).toHaveLength(1);
		expect(everything(continued.run)).not.toContain(TEST_TOKEN);
	});

	it('even when the service echoes it back in its error', async () => {
		const echo = acsError('Unauthorized', `Token ${TEST_TOKEN} is expired`, { target: TEST_TOKEN });
		nock(BASE_URL).post(threadPath(THREAD_ID, '/participants/:remove')).query(true).reply(401, echo);
		nock(BASE_URL).get(TOKEN_CHECK.path).query(TOKEN_CHECK.query).reply(401, echo);

		const { error, run } = await runAcsChat({ parameters: removeParticipant('8:acs:r_u') });

		expect(error?.message).toContain('Token [redacted] is expired');
		expect(everything(error)).not.toContain(TEST_TOKEN);
		expect(everything(run)).not.toContain(TEST_TOKEN);
	});
});
