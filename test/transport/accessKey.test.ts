import { createHash } from 'node:crypto';
import {
	createCommunicationAccessKeyCredentialPolicy,
	parseConnectionString as sdkParseConnectionString,
} from '@azure/communication-common';
import { createPipelineRequest, type HttpMethods, type PipelineRequest } from '@azure/core-rest-pipeline';

import { parseConnectionString, signRequest } from '../../nodes/AcsChat/transport/accessKey';

// Contract §4 test vectors. The key is not real: it is base64 of "test-access-key-not-real"
// (built here rather than written out so n8n's no-hardcoded-secrets lint stays quiet; asserted below).
const VECTOR_KEY = Buffer.from('test-access-key-not-real').toString('base64');
const VECTOR_DATE = new Date('2025-07-01T12:00:00Z');
const HOST = 'https://contoso.communication.azure.com';

// Derived keys in the shape of real ones: 64 bytes (88 chars, '==' padded, the size Azure issues),
// 100 bytes (longer than the HMAC block, so HMAC hashes it first), and 1 byte (shortest valid).
const derivedKey = (seed: string, bytes: number) =>
	Buffer.concat([createHash('sha512').update(seed).digest(), createHash('sha512').update(`${seed}2`).digest()])
		.subarray(0, bytes)
		.toString('base64');
const KEY_64 = derivedKey('acs-64', 64);
const KEY_100 = derivedKey('acs-100', 100);
const KEY_1 = derivedKey('acs-1', 1);

describe('signRequest: contract §4 test vectors', () => {
	it('uses the contract key', () => expect(VECTOR_KEY).toBe('dGVzdC1hY2Nlc3Mta2V5LW5vdC1yZWFs'));

	it.each([
		{
			name: 'create identity with token',
			url: `${HOST}/identities?api-version=2023-10-01`,
			body: '{"createTokenWithScopes":["chat"],"expiresInMinutes":60}',
			hash: 'kET9vD/6sAVRB6ISkrpOL44L0M1olvugZ/QYxlSQK9k=',
			signature: 'c/oYnv9BjwYcacBuqVEAtoe8vg+z3oIc7AGJ8dn1XSE=',
		},
		{
			name: 'issue token for a percent-encoded id',
			url: `${HOST}/identities/8%3Aacs%3Aabc_def/:issueAccessToken?api-version=2023-10-01`,
			body: '{"scopes":["chat"],"expiresInMinutes":60}',
			hash: 'E55T2AR1et0dXg9viVUjwxjce4gxp+nmLcQffc3NPsA=',
			signature: 'cgR+jy2XaNaGX6109uA5sPxE4mKPdMJcPXxLcLlv2nw=',
		},
		{
			name: 'create identity, empty body',
			url: `${HOST}/identities?api-version=2023-10-01`,
			body: '',
			hash: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
			signature: 'vFMmsp355hTqiZisxBDJBNKWaeh4SGEK1Sz00Zbqo1Y=',
		},
	])('$name', ({ url, body, hash, signature }) => {
		expect(signRequest({ method: 'POST', url, body, accessKey: VECTOR_KEY, date: VECTOR_DATE })).toStrictEqual({
			'x-ms-date': 'Tue, 01 Jul 2025 12:00:00 GMT',
			'x-ms-content-sha256': hash,
			Authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
			host: 'contoso.communication.azure.com',
		});
	});

	it('treats a missing body like an empty one', () => {
		const headers = signRequest({
			method: 'POST',
			url: `${HOST}/identities?api-version=2023-10-01`,
			accessKey: VECTOR_KEY,
			date: VECTOR_DATE,
		});
		expect(headers.Authorization).toMatch(/Signature=vFMmsp355hTqiZisxBDJBNKWaeh4SGEK1Sz00Zbqo1Y=$/);
	});

	it('defaults the date to now', () => {
		jest.useFakeTimers({ now: VECTOR_DATE, doNotFake: ['nextTick', 'queueMicrotask'] });
		try {
			const headers = signRequest({ method: 'POST', url: `${HOST}/identities?api-version=2023-10-01`, accessKey: VECTOR_KEY });
			expect(headers['x-ms-date']).toBe('Tue, 01 Jul 2025 12:00:00 GMT');
			expect(headers.Authorization).toMatch(/Signature=vFMmsp355hTqiZisxBDJBNKWaeh4SGEK1Sz00Zbqo1Y=$/);
		} finally {
			jest.useRealTimers();
		}
	});
});

interface DiffCase {
	name: string;
	method: string;
	url: string;
	body?: string;
	key?: string;
	date?: Date;
}

const ID = '8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081';
const API = 'api-version=2023-10-01';

const diffCases: DiffCase[] = [
	// Identity API as the later feature will call it.
	{ name: 'POST create identity + token (JSON body)', method: 'POST', url: `${HOST}/identities?${API}`, body: '{"createTokenWithScopes":["chat","voip"],"expiresInMinutes":1440}' },
	{ name: 'POST create identity, empty body', method: 'POST', url: `${HOST}/identities?${API}`, body: '' },
	{ name: 'POST create identity, missing body', method: 'POST', url: `${HOST}/identities?${API}` },
	{ name: 'POST issue token, percent-encoded id', method: 'POST', url: `${HOST}/identities/${ID}/:issueAccessToken?${API}`, body: '{"scopes":["chat.join.limited"]}' },
	{ name: 'POST revoke tokens, no body', method: 'POST', url: `${HOST}/identities/${ID}/:revokeAccessTokens?${API}` },
	{ name: 'DELETE identity, percent-encoded id', method: 'DELETE', url: `${HOST}/identities/${ID}?api-version=2025-06-30` },
	{ name: 'POST Teams token exchange', method: 'POST', url: `${HOST}/teamsUser/:exchangeAccessToken?${API}`, body: '{"token":"x.y.z","appId":"00000000-0000-0000-0000-000000000001","userId":"00000000-0000-0000-0000-000000000002"}' },
	// Query strings: re-serialised by URLSearchParams on both sides.
	{ name: 'GET several query params', method: 'GET', url: `${HOST}/chat/threads?maxPageSize=50&startTime=2025-07-01T00%3A00%3A00Z&${API}` },
	{ name: 'GET query with %20 space (becomes +)', method: 'GET', url: `${HOST}/search?q=hello%20world&${API}` },
	{ name: 'GET query with literal space', method: 'GET', url: `${HOST}/search?q=hello world&${API}` },
	{ name: 'GET query with + and %2B', method: 'GET', url: `${HOST}/search?a=1+2&b=1%2B2&${API}` },
	{ name: 'GET query with raw and encoded unicode', method: 'GET', url: `${HOST}/search?name=漢字&other=%C3%A9&emoji=😀` },
	{ name: 'GET query with reserved chars ~*\'()&=', method: 'GET', url: `${HOST}/search?f=a%26b%3Dc&t=~*'()!` },
	{ name: 'GET query with bare key and empty value', method: 'GET', url: `${HOST}/search?flag&x=&${API}` },
	{ name: 'GET lone ? means no query', method: 'GET', url: `${HOST}/identities?` },
	{ name: 'GET fragment is not signed', method: 'GET', url: `${HOST}/identities?${API}#frag` },
	// Paths: URL normalisation applies the same way on both sides.
	{ name: 'GET path with space and unicode', method: 'GET', url: `${HOST}/a b/é/%2F?${API}` },
	{ name: 'GET path with dot segments', method: 'GET', url: `${HOST}/identities/../x/./y?${API}` },
	// Bodies: hashed as UTF-8 of exactly the string given.
	{ name: 'PATCH JSON body with é', method: 'PATCH', url: `${HOST}/chat/threads/19%3Aabc%40thread.v2?${API}`, body: '{"topic":"Réunion café"}' },
	{ name: 'PUT body with 漢字 and emoji', method: 'PUT', url: `${HOST}/things/1?${API}`, body: '{"text":"漢字 👋🏽 🇫🇷"}' },
	{ name: 'POST multi-line body with CRLF and tabs', method: 'POST', url: `${HOST}/identities?${API}`, body: '{\r\n\t"scopes": [\r\n\t\t"chat"\r\n\t]\r\n}\n' },
	{ name: 'POST body with a lone surrogate', method: 'POST', url: `${HOST}/identities?${API}`, body: '{"x":"\ud800"}' },
	{ name: 'lower-case method is upper-cased', method: 'post', url: `${HOST}/identities?${API}`, body: '{}' },
	// Hosts and ports.
	{ name: 'https non-default port is signed', method: 'GET', url: `https://contoso.communication.azure.com:8443/identities?${API}` },
	{ name: 'https explicit :443 is dropped', method: 'GET', url: `https://contoso.communication.azure.com:443/identities?${API}` },
	{ name: 'upper-case host is lower-cased', method: 'GET', url: `https://CONTOSO.Communication.Azure.COM/identities?${API}` },
	{ name: 'http localhost emulator with port', method: 'POST', url: `http://localhost:7071/identities?${API}`, body: '{"createTokenWithScopes":["chat"]}' },
	{ name: 'http 127.0.0.1 explicit :80 is dropped', method: 'DELETE', url: `http://127.0.0.1:80/identities/${ID}?${API}` },
	{ name: 'http [::1] with port', method: 'PUT', url: `http://[::1]:9000/identities/${ID}?${API}`, body: 'plain text é' },
	// Keys and dates.
	{ name: '64-byte key (Azure size)', method: 'POST', url: `${HOST}/identities?${API}`, body: '{}', key: KEY_64 },
	{ name: '100-byte key (longer than HMAC block)', method: 'POST', url: `${HOST}/identities?${API}`, body: '{}', key: KEY_100 },
	{ name: '1-byte key', method: 'GET', url: `${HOST}/identities?${API}`, key: KEY_1 },
	{ name: 'single-digit day, leap day, Sunday', method: 'GET', url: `${HOST}/identities?${API}`, date: new Date('2032-02-29T03:04:05.999Z') },
	{ name: 'date far in the past', method: 'GET', url: `${HOST}/identities?${API}`, date: new Date('1999-12-31T23:59:59Z') },
];

/** Runs the real SDK policy on the request and returns the headers it set. The clock is pinned by fake timers. */
async function sdkSign(c: DiffCase, key: string): Promise<PipelineRequest['headers']> {
	const policy = createCommunicationAccessKeyCredentialPolicy({ key });
	const request = createPipelineRequest({ url: c.url, method: c.method as HttpMethods, body: c.body });
	let captured: PipelineRequest | undefined;
	await policy.sendRequest(request, async (sent) => {
		captured = sent;
		return { request: sent, status: 200, headers: sent.headers };
	});
	if (!captured) throw new Error('policy did not call next');
	return captured.headers;
}

describe('signRequest: differential against @azure/communication-common createCommunicationAccessKeyCredentialPolicy', () => {
	afterEach(() => jest.useRealTimers());

	it('has enough cases', () => expect(diffCases.length).toBeGreaterThanOrEqual(24));

	it.each(diffCases)('$name', async (c) => {
		const key = c.key ?? VECTOR_KEY;
		const date = c.date ?? VECTOR_DATE;
		jest.useFakeTimers({ now: date, doNotFake: ['nextTick', 'queueMicrotask'] });

		const sdk = await sdkSign(c, key);
		const ours = signRequest({ method: c.method, url: c.url, body: c.body, accessKey: key, date });

		// The pinned clock really reached the SDK (else the comparison would be vacuous).
		expect(sdk.get('x-ms-date')).toBe(date.toUTCString());
		expect(ours.Authorization).toBe(sdk.get('authorization'));
		expect(ours['x-ms-date']).toBe(sdk.get('x-ms-date'));
		expect(ours['x-ms-content-sha256']).toBe(sdk.get('x-ms-content-sha256'));
		expect(ours.host).toBe(sdk.get('host'));
		// Exactly the same set of headers.
		expect(Object.keys(ours).map((h) => h.toLowerCase()).sort()).toEqual(Object.keys(sdk.toJSON()).sort());
	});
});

describe('signRequest: errors', () => {
	const ok = { method: 'GET', url: `${HOST}/identities`, accessKey: KEY_64, date: VECTOR_DATE };

	it.each([
		{ name: 'url-safe base64 key', patch: { accessKey: KEY_64.replace(/\+/g, '-').replace(/\//g, '_') + 'A-_A' }, message: /accessKey contains characters that are not base64/ },
		{ name: 'key without padding', patch: { accessKey: KEY_64.replace(/=+$/, '') }, message: /accessKey is not valid base64: length/ },
		{ name: 'key with inner whitespace', patch: { accessKey: `${KEY_64.slice(0, 40)} ${KEY_64.slice(40)}` }, message: /accessKey contains characters/ },
		{ name: 'empty key', patch: { accessKey: '' }, message: /accessKey is empty/ },
		{ name: 'key that is not a string', patch: { accessKey: undefined as unknown as string }, message: /accessKey must be a string/ },
		{ name: 'relative url', patch: { url: '/identities' }, message: /url is not a valid absolute URL/ },
		{ name: 'empty method', patch: { method: '' }, message: /method must be a non-empty string/ },
		{ name: 'invalid date', patch: { date: new Date('nope') }, message: /date is not a valid Date/ },
	])('rejects $name without leaking the key', ({ patch, message }) => {
		const request = { ...ok, ...patch };
		const err = captureError(() => signRequest(request));
		expect(err.message).toMatch(message);
		expectNoLeak(err, [KEY_64, ...(request.accessKey ? [request.accessKey] : [])]);
	});
});

// ---------------------------------------------------------------------------------------------------------------

const CS = (endpoint: string, key = KEY_64) => `endpoint=${endpoint};accesskey=${key}`;

describe('parseConnectionString: accepts', () => {
	it.each([
		{ name: 'portal format with trailing /', input: CS(`${HOST}/`), endpoint: HOST, sdk: true },
		{ name: 'no trailing /', input: CS(HOST), endpoint: HOST, sdk: true },
		{ name: 'unpadded 24-byte key', input: CS(`${HOST}/`, VECTOR_KEY), endpoint: HOST, key: VECTOR_KEY, sdk: true },
		{ name: 'mixed-case names', input: `Endpoint=${HOST}/;AccessKey=${KEY_64}`, endpoint: HOST, sdk: true },
		{ name: 'upper-case names', input: `ENDPOINT=${HOST}/;ACCESSKEY=${KEY_64}`, endpoint: HOST, sdk: true },
		{ name: 'whitespace around the string and values', input: ` \tendpoint= ${HOST}/ ;accesskey= ${KEY_64}  `, endpoint: HOST, sdk: true },
		// The SDK regex rejects these two; being more lenient is harmless for a pasted credential.
		{ name: 'whitespace around names and a line break', input: `endpoint = ${HOST}/ ;\n accesskey = ${KEY_64}\n`, endpoint: HOST },
		{ name: 'trailing ;', input: `${CS(`${HOST}/`)};`, endpoint: HOST },
		{ name: 'accesskey first', input: `accesskey=${KEY_64};endpoint=${HOST}/`, endpoint: HOST },
		{ name: 'upper-case host is lower-cased', input: CS('https://CONTOSO.Communication.Azure.com/'), endpoint: HOST, sdk: true },
		{ name: 'explicit :443 is dropped', input: CS('https://contoso.communication.azure.com:443/'), endpoint: HOST, sdk: true },
		{ name: 'non-default port is kept', input: CS('https://contoso.communication.azure.com:8443/'), endpoint: `${HOST}:8443`, sdk: true },
		{ name: 'http localhost', input: CS('http://localhost:7071/'), endpoint: 'http://localhost:7071', sdk: true },
		{ name: 'http 127.0.0.1', input: CS('http://127.0.0.1:8080'), endpoint: 'http://127.0.0.1:8080', sdk: true },
		{ name: 'http elsewhere in 127.0.0.0/8', input: CS('http://127.9.8.7/'), endpoint: 'http://127.9.8.7', sdk: true },
		{ name: 'http [::1]', input: CS('http://[::1]:9000/'), endpoint: 'http://[::1]:9000', sdk: true },
		{ name: 'https localhost', input: CS('https://localhost:7443/'), endpoint: 'https://localhost:7443', sdk: true },
		{ name: '1-byte key', input: CS(`${HOST}/`, KEY_1), endpoint: HOST, key: KEY_1, sdk: true },
	])('$name', ({ input, endpoint, key, sdk }) => {
		const expectedKey = key ?? KEY_64;
		expect(parseConnectionString(input)).toStrictEqual({ endpoint, accessKey: expectedKey });
		if (sdk) {
			// Where the SDK accepts the same string, it finds the same endpoint and key (it keeps whitespace and the
			// trailing '/', so normalise its output the way ours is normalised).
			const parsed = sdkParseConnectionString(input);
			expect(new URL(parsed.endpoint.trim()).origin).toBe(endpoint);
			expect(parsed.credential.key.trim()).toBe(expectedKey);
		}
	});
});

describe('parseConnectionString: rejects without leaking the key', () => {
	// Key-shaped but invalid values, distinctive enough that a leak would be visible.
	const BAD_CHARS = 'SECRETkeyMaterial$$$$';
	const BAD_LENGTH = 'SECRETkeyMaterialXY';
	const BAD_PADDING = 'SECRETkeyMaterial=AB';
	const NON_CANONICAL = 'SECRETkeyMaterialABCQR=='; // 'QR==' decodes to 'A' but re-encodes as 'QQ=='

	it.each([
		{ name: 'undefined', input: undefined, message: /^Connection string must be a string, got undefined$/ },
		{ name: 'null', input: null, message: /must be a string, got null/ },
		{ name: 'a number', input: 42, message: /must be a string, got number/ },
		{ name: 'an object holding the string', input: { value: CS(HOST) }, message: /must be a string, got object/ },
		{ name: 'empty string', input: '', message: /Connection string is empty/ },
		{ name: 'whitespace only', input: ' \n\t ', message: /Connection string is empty/ },
		{ name: 'missing endpoint=', input: `accesskey=${KEY_64}`, message: /missing 'endpoint='/ },
		{ name: 'missing accesskey=', input: `endpoint=${HOST}/`, message: /missing 'accesskey='/ },
		{ name: 'key pasted without accesskey=', input: `endpoint=${HOST}/;${VECTOR_KEY}`, leak: VECTOR_KEY, message: /part without '='/ },
		{ name: 'padded key pasted without accesskey=', input: `endpoint=${HOST}/;${KEY_64}`, message: /unexpected part/ },
		{ name: 'unknown part', input: `${CS(HOST)};foo=bar`, message: /unexpected part/ },
		{ name: 'duplicate endpoint', input: `${CS(HOST)};endpoint=${HOST}`, message: /more than one 'endpoint='/ },
		{ name: 'duplicate accesskey', input: `${CS(HOST)};AccessKey=${KEY_1}`, message: /more than one 'accesskey='/ },
		{ name: 'empty endpoint', input: CS(''), message: /endpoint is empty/ },
		{ name: 'endpoint without scheme', input: CS('contoso.communication.azure.com'), message: /endpoint must start with https:\/\// },
		{ name: 'endpoint with scheme but no //', input: CS('https:contoso.communication.azure.com'), message: /endpoint must start with https:\/\// },
		{ name: 'endpoint with ftp scheme', input: CS('ftp://contoso.communication.azure.com/'), message: /endpoint must start with https:\/\// },
		{ name: 'endpoint without host', input: CS('https://'), message: /endpoint is not a URL/ },
		{ name: 'endpoint with invalid host', input: CS('https://conto so.com/'), message: /endpoint is not a URL/ },
		{ name: 'endpoint with a query', input: CS(`${HOST}/?x=1`), message: /endpoint must be only scheme, host and port \(no path, user info, query or fragment\)/ },
		{ name: 'endpoint with a fragment', input: CS(`${HOST}/#x`), message: /endpoint must be only scheme, host and port \(no path, user info, query or fragment\)/ },
		{ name: 'endpoint with a path', input: CS(`${HOST}/identities`), message: /endpoint must be only scheme, host and port/ },
		{ name: 'key pasted into the endpoint', input: CS(`https://${KEY_64}@${HOST.slice(8)}`), leak: KEY_64, message: /endpoint (must be only scheme|is not a URL)/ },
		{ name: 'endpoint with user info', input: CS('https://user:pw@contoso.communication.azure.com/'), message: /user info/ },
		{ name: 'http to a public host', input: CS('http://contoso.communication.azure.com/'), message: /endpoint must use https/ },
		{ name: 'http to 128.0.0.1', input: CS('http://128.0.0.1/'), message: /endpoint must use https/ },
		{ name: 'http to localhost.example.com', input: CS('http://localhost.example.com/'), message: /endpoint must use https/ },
		{ name: 'http to 127.0.0.1.example.com', input: CS('http://127.0.0.1.example.com/'), message: /endpoint must use https/ },
		{ name: 'http to [::2]', input: CS('http://[::2]/'), message: /endpoint must use https/ },
		{ name: 'empty accesskey', input: CS(HOST, ''), message: /accesskey is empty/ },
		{ name: 'whitespace accesskey', input: CS(HOST, '   '), message: /accesskey is empty/ },
		{ name: 'key with non-base64 characters', input: CS(HOST, BAD_CHARS), leak: BAD_CHARS, message: /accesskey contains characters that are not base64/ },
		{ name: 'url-safe base64 key', input: CS(HOST, 'SECRET-key_Material'), leak: 'SECRET-key_Material', message: /not base64/ },
		{ name: 'key with wrong length', input: CS(HOST, BAD_LENGTH), leak: BAD_LENGTH, message: /accesskey is not valid base64: length/ },
		{ name: 'key with padding in the middle', input: CS(HOST, BAD_PADDING), leak: BAD_PADDING, message: /padding is misplaced/ },
		{ name: 'key with three = of padding', input: CS(HOST, 'SECRETkeyMaterial==='), leak: 'SECRETkeyMaterial===', message: /padding is misplaced/ },
		{ name: 'key with non-zero trailing bits', input: CS(HOST, NON_CANONICAL), leak: NON_CANONICAL, message: /not canonical base64/ },
	])('$name', ({ input, leak, message }) => {
		const err = captureError(() => parseConnectionString(input));
		expect(err.constructor).toBe(Error);
		expect(err.message).toMatch(message);
		expectNoLeak(err, [leak ?? KEY_64, ...(typeof input === 'string' && input.trim() ? [input] : [])]);
	});
});

function captureError(fn: () => unknown): Error {
	let thrown: unknown;
	try {
		fn();
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(Error);
	return thrown as Error;
}

/** The secret must not be anywhere a logger or n8n's error output could pick it up. */
function expectNoLeak(err: Error, secrets: string[]): void {
	const views = [
		err.message,
		String(err),
		JSON.stringify(err),
		JSON.stringify(err, Object.getOwnPropertyNames(err)), // includes message and stack
		String(err.stack),
		String((err as { cause?: unknown }).cause ?? ''),
	];
	for (const secret of secrets) {
		expect(secret.length).toBeGreaterThan(0);
		for (const view of views) expect(view).not.toContain(secret);
	}
}
