import { createCommunicationAccessKeyCredentialPolicy } from '@azure/communication-common';
import { createPipelineRequest, type HttpMethods } from '@azure/core-rest-pipeline';
import fc from 'fast-check';

import { signRequest } from '../../nodes/AcsChat/transport/accessKey';
import { anyString } from './arbitraries';

/** Text encodeURIComponent accepts: no lone surrogates. */
const wellFormed = (maxLength: number) => anyString(maxLength).filter((text) => !/\p{Cs}/u.test(text));

const methods = fc
	.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'), fc.boolean())
	.map(([method, lower]) => (lower ? method.toLowerCase() : method));
const hosts = fc.constantFrom(
	'https://contoso.communication.azure.com',
	'https://CONTOSO.Communication.Azure.COM',
	'https://contoso.communication.azure.com:443',
	'https://contoso.communication.azure.com:8443',
	'http://localhost:7071',
	'http://127.0.0.1:80',
	'http://[::1]:9000',
);
// Segments as the node sends them (percent-encoded) and as anyone might write them (raw, dots, stray %).
const segments = fc.oneof(wellFormed(12).map(encodeURIComponent), fc.stringMatching(/^[A-Za-z0-9._~%:@!$&'()*+,;= é漢-]{0,12}$/));
const paths = fc.array(segments, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
const queryParts = fc.array(
	fc.tuple(wellFormed(8), wellFormed(8), fc.boolean()).map(([key, value, encode]) =>
		encode ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}` : `${key.replace(/[#&\s]/gu, '')}=${value.replace(/[#&\s]/gu, '')}`,
	),
	{ maxLength: 4 },
);
const queries = fc.oneof(
	fc.constant(''),
	fc.constant('?'),
	queryParts.map((parts) => `?${parts.join('&')}`),
	fc.constant('?api-version=2025-03-15'),
);
const bodies = fc.option(anyString(200), { nil: undefined });
const keys = fc.uint8Array({ minLength: 1, maxLength: 100 }).map((bytes) => Buffer.from(bytes).toString('base64'));
// Whole seconds: x-ms-date carries no more, and the SDK reads the clock itself.
const dates = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }).map((s) => new Date(s * 1000));

describe('signRequest against createCommunicationAccessKeyCredentialPolicy', () => {
	beforeAll(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));
	afterAll(() => jest.useRealTimers());

	it('sets the same headers with the same values on every request', async () => {
		await fc.assert(
			fc.asyncProperty(methods, hosts, paths, queries, bodies, keys, dates, async (method, host, path, query, body, key, date) => {
				const url = `${host}${path}${query}`;
				fc.pre(URL.canParse(url));
				jest.setSystemTime(date);
				let sdk: Record<string, string> | undefined;
				const request = createPipelineRequest({ url, method: method as HttpMethods, body });
				await createCommunicationAccessKeyCredentialPolicy({ key }).sendRequest(request, async (sent) => {
					sdk = sent.headers.toJSON();
					return { request: sent, status: 200, headers: sent.headers };
				});

				const ours = signRequest({ method, url, body, accessKey: key, date });

				expect(sdk?.['x-ms-date']).toBe(date.toUTCString());
				expect(Object.fromEntries(Object.entries(ours).map(([name, value]) => [name.toLowerCase(), value]))).toEqual(sdk);
			}),
			{ numRuns: 1_500 },
		);
	});
});
