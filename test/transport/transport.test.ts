import nock from 'nock';

import { parseEndpoint } from '../../nodes/AcsChat/transport/endpoint';
import { acsPath } from '../../nodes/AcsChat/transport';
import { toNodeApiError } from '../../nodes/AcsChat/transport/errors';
import { retryAfterMs } from '../../nodes/AcsChat/transport/retryAfter';
import { getThread, THREAD, THREAD_ID, threadPath } from '../fixtures/acs';
import { runAcsChat, TEST_TOKEN } from '../harness/runNode';

describe('acsPath', () => {
	it.each([
		['19:abc@thread.v2', '/chat/threads/19%3Aabc%40thread.v2/participants/:remove'],
		['19:a/b?c#d@thread.v2', '/chat/threads/19%3Aa%2Fb%3Fc%23d%40thread.v2/participants/:remove'],
		['19:..@thread.v2', '/chat/threads/19%3A..%40thread.v2/participants/:remove'],
		['a b+c%', '/chat/threads/a%20b%2Bc%25/participants/:remove'],
	])('encodes %p as exactly one segment and leaves the literal parts alone', (id, path) => {
		expect(acsPath`/chat/threads/${id}/participants/:remove`).toBe(path);
		expect(new URL(`https://x${acsPath`/chat/threads/${id}/participants/:remove`}`).pathname).toBe(path);
	});

	it.each(['', '.', '..'])('refuses %p, which URL parsing would resolve into another route', (id) => {
		expect(() => acsPath`/chat/threads/${id}/participants/:remove`).toThrow(/cannot be used as an ID/);
	});
});

describe('parseEndpoint', () => {
	it.each([
		['https://contoso.communication.azure.com', 'https://contoso.communication.azure.com'],
		['https://contoso.communication.azure.com/', 'https://contoso.communication.azure.com'],
		['  https://contoso.communication.azure.com/  ', 'https://contoso.communication.azure.com'],
		['HTTPS://Contoso.Communication.Azure.com', 'https://contoso.communication.azure.com'],
		['https://contoso.communication.azure.com:443/', 'https://contoso.communication.azure.com'],
		['http://localhost:4000', 'http://localhost:4000'],
		['http://127.0.0.1:4000/', 'http://127.0.0.1:4000'],
		['http://[::1]:4000', 'http://[::1]:4000'],
	])('accepts %p as %p', (value, endpoint) => {
		expect(parseEndpoint(value)).toEqual({ endpoint });
	});

	it.each([
		['', /is empty/],
		[undefined, /is empty/],
		['contoso.communication.azure.com', /must start with https:\/\//],
		['https://', /is not a URL/],
		['https://contoso.communication.azure.com/?accesskey=abc', /must be only scheme, host and port \(no path, user info, query or fragment\)/],
		['https://user:pw@contoso.communication.azure.com', /must be only scheme, host and port/],
		['https://contoso.communication.azure.com/chat/', /must be only scheme, host and port/],
		['http://contoso.communication.azure.com', /must use https:\/\/ \(plain http is accepted only for localhost, 127\.0\.0\.0\/8 and \[::1\]\)/],
		['http://10.0.0.5', /must use https/],
		['ftp://contoso', /must start with https:\/\//],
	])('rejects %p', (value, problem) => {
		expect(parseEndpoint(value)).toEqual({ problem: expect.stringMatching(problem) });
	});

	it('stops the item with a message naming the credential field before sending', async () => {
		const { error } = await runAcsChat({
			parameters: getThread(THREAD_ID),
			credential: { endpoint: 'http://contoso.communication.azure.com', accessToken: TEST_TOKEN },
		});

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/The credential Endpoint in item 0 must use https:\/\//);
		expect(JSON.stringify(error)).not.toContain(TEST_TOKEN);
	});

	it('refuses an Endpoint with a path before sending, instead of guessing what was meant', async () => {
		const { error } = await runAcsChat({
			parameters: getThread(THREAD_ID),
			credential: { endpoint: 'https://contoso.communication.azure.com/chat/', accessToken: TEST_TOKEN },
		});

		expect(error?.message).toMatch(/The credential Endpoint in item 0 must be only scheme, host and port/);
	});
});

describe('retryAfterMs', () => {
	const now = Date.parse('2025-07-01T12:00:00Z');
	it.each([
		[{ 'retry-after': '7' }, 7000],
		[{ 'Retry-After': '0' }, 0],
		[{ 'retry-after-ms': '250', 'retry-after': '7' }, 250],
		[{ 'x-ms-retry-after-ms': '1500' }, 1500],
		[{ 'retry-after': 'Tue, 01 Jul 2025 12:00:30 GMT' }, 30000],
		[{ 'retry-after': 'Tue, 01 Jul 2025 11:00:00 GMT' }, 0],
		[{ 'retry-after': ['3'] }, 3000],
		[{ 'retry-after': 'soon' }, undefined],
		[{ 'retry-after': '-1' }, undefined],
		[{ 'retry-after': '' }, undefined],
		[{}, undefined],
		[undefined, undefined],
	])('%p → %p ms', (headers, ms) => {
		expect(retryAfterMs(headers as never, now)).toBe(ms);
	});
});

describe('toNodeApiError', () => {
	const node = { id: 'n', name: 'ACS Chat', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	it('says how long it waited when a request timed out', () => {
		const error = toNodeApiError(
			node,
			{ cause: { code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' } },
			{ itemIndex: 3, secrets: [], timeoutMs: 30000 },
		);

		expect(error.message).toBe('Could not reach the ACS endpoint: no answer within 30000 ms');
		expect(error.context).toMatchObject({ itemIndex: 3, acsError: { httpCode: null, code: 'ECONNABORTED' } });
	});

	it('names an unknown status by its number and keeps an unknown network failure readable', () => {
		const http = toNodeApiError(node, { response: { status: 418, data: '' } }, { itemIndex: 0, secrets: [] });
		expect(http.context.acsError).toMatchObject({ httpCode: 418, code: 'Http418' });

		const network = toNodeApiError(node, new Error('weird failure'), { itemIndex: 0, secrets: [] });
		expect(network.message).toBe('Could not reach the ACS endpoint: weird failure');
		expect(network.context.acsError).toMatchObject({ code: 'NetworkError' });
	});

	it('reads a JSON error body given as a Buffer and lists nested details and inner errors', () => {
		const body = Buffer.from(
			JSON.stringify({
				error: {
					code: 'Outer',
					message: 'outer',
					details: [{ code: 'D1', message: 'd1' }, 'junk'],
					innererror: { code: 'I1', message: 'i1', innererror: { code: 'I2', message: 'i2' } },
				},
			}),
		);

		const error = toNodeApiError(node, { response: { status: 400, data: body } }, { itemIndex: 0, secrets: [] });

		expect(error.context.acsError).toMatchObject({
			code: 'Outer',
			details: [{ code: 'D1', message: 'd1' }],
			innerError: { code: 'I1', innerError: { code: 'I2' } },
		});
		expect(error.description).toContain('- D1: d1');
		expect(error.description).toContain('Inner error I2: i2');
	});
});
