/**
 * HMAC-SHA256 access-key signing for Azure Communication Services admin APIs (e.g. Identity).
 *
 * Behaviour mirrors `createCommunicationAccessKeyCredentialPolicy` and `parseConnectionString` from
 * `@azure/communication-common@2.5.0` (see test/transport/accessKey.test.ts, which compares against the SDK),
 * but only depends on `node:crypto` because community nodes may not ship runtime dependencies.
 *
 * Secrets rule: no error thrown here ever contains the access key or the connection string.
 */
import { createHash, createHmac } from 'node:crypto';

import { parseEndpoint } from './endpoint';

export interface AcsConnectionString {
	/** Scheme + host (+ non-default port), no trailing slash, e.g. `https://contoso.communication.azure.com`. */
	endpoint: string;
	/** The access key exactly as given (base64), already validated. */
	accessKey: string;
}

export interface SignableRequest {
	method: string;
	/** Absolute URL, path already percent-encoded as it will be sent. */
	url: string;
	/** The exact string that will be sent as the body; omitted or empty means no body. */
	body?: string;
	/** Base64 access key of the ACS resource. */
	accessKey: string;
	/** Signing time; defaults to now. Only second precision ends up in `x-ms-date`. */
	date?: Date;
}

const SIGNED_HEADERS = 'x-ms-date;host;x-ms-content-sha256';
const EXPECTED_FORMAT = 'expected endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>';

/**
 * Parses `endpoint=…;accesskey=…`. Like the SDK, names are case-insensitive; unlike the SDK (a greedy regex that
 * folds anything extra into the values), parts are split on `;` so order does not matter, a trailing `;` is fine,
 * and unknown or repeated parts are rejected instead of silently corrupting the key.
 */
export function parseConnectionString(value: unknown): AcsConnectionString {
	if (typeof value !== 'string') {
		throw new Error(`Connection string must be a string, got ${value === null ? 'null' : typeof value}`);
	}
	if (value.trim() === '') {
		throw new Error(`Connection string is empty (${EXPECTED_FORMAT})`);
	}

	const parts = new Map<string, string>();
	for (const segment of value.split(';')) {
		if (segment.trim() === '') continue;
		// Split on the first '=' only: base64 keys end with '=' padding.
		const separator = segment.indexOf('=');
		// Never echo the segment itself: a mangled string can put key material anywhere.
		if (separator < 0) {
			throw new Error(`Connection string has a part without '=' (${EXPECTED_FORMAT})`);
		}
		const name = segment.slice(0, separator).trim().toLowerCase();
		if (name !== 'endpoint' && name !== 'accesskey') {
			throw new Error(`Connection string has an unexpected part; only 'endpoint' and 'accesskey' are allowed`);
		}
		if (parts.has(name)) {
			throw new Error(`Connection string has more than one '${name}='`);
		}
		parts.set(name, segment.slice(separator + 1).trim());
	}

	const endpoint = parts.get('endpoint');
	const accessKey = parts.get('accesskey');
	if (endpoint === undefined) throw new Error(`Connection string is missing 'endpoint=' (${EXPECTED_FORMAT})`);
	if (accessKey === undefined) throw new Error(`Connection string is missing 'accesskey=' (${EXPECTED_FORMAT})`);

	decodeAccessKey(accessKey, 'Connection string accesskey');
	const parsed = parseEndpoint(endpoint);
	if ('problem' in parsed) throw new Error(`Connection string endpoint ${parsed.problem}`);
	return { endpoint: parsed.endpoint, accessKey };
}

/** Returns the headers the SDK policy sets; merge them into the request that sends exactly `body`. */
export function signRequest(request: SignableRequest): Record<string, string> {
	const { method, url, body = '', accessKey, date = new Date() } = request;
	if (typeof method !== 'string' || method === '') {
		throw new Error('signRequest: method must be a non-empty string');
	}
	const key = decodeAccessKey(accessKey, 'signRequest: accessKey');
	// canParse instead of try/catch: a TypeError from URL would echo the input, and n8n's lint forbids
	// throwing plain Errors from catch blocks.
	if (typeof url !== 'string' || !URL.canParse(url)) {
		throw new Error('signRequest: url is not a valid absolute URL');
	}
	const parsed = new URL(url);
	if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
		throw new Error('signRequest: date is not a valid Date');
	}

	const utcNow = date.toUTCString();
	const contentHash = createHash('sha256').update(body, 'utf8').digest('base64');
	// The service verifies against the path as sent (percent-encoding kept) and the query in URLSearchParams form,
	// which is how the SDK builds it; `url.search` would differ for e.g. `%20` vs `+`.
	const query = parsed.searchParams.toString();
	const pathAndQuery = query ? `${parsed.pathname}?${query}` : parsed.pathname;
	// `host` carries the port only when it is not the scheme default, matching the Host header actually sent.
	const stringToSign = `${method.toUpperCase()}\n${pathAndQuery}\n${utcNow};${parsed.host};${contentHash}`;
	const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('base64');

	return {
		'x-ms-date': utcNow,
		'x-ms-content-sha256': contentHash,
		Authorization: `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=${signature}`,
		host: parsed.host,
	};
}

/**
 * Strict base64 decode. Buffer.from(…, 'base64') silently skips bad characters and missing padding, which would
 * turn a mistyped key into a wrong-but-valid HMAC key and a confusing 401 later; reject it here instead.
 */
function decodeAccessKey(key: string, field: string): Buffer {
	if (typeof key !== 'string') throw new Error(`${field} must be a string`);
	if (/[^A-Za-z0-9+/=]/.test(key)) {
		throw new Error(`${field} contains characters that are not base64 (A-Z, a-z, 0-9, '+', '/', '=')`);
	}
	if (key.length % 4 !== 0) throw new Error(`${field} is not valid base64: length is not a multiple of 4`);
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key)) {
		throw new Error(`${field} is not valid base64: '=' padding is misplaced`);
	}
	const decoded = Buffer.from(key, 'base64');
	if (decoded.length === 0) throw new Error(`${field} is empty`);
	// Round-trip catches what remains: non-zero unused bits before the padding (e.g. 'QR==').
	if (decoded.toString('base64') !== key) {
		throw new Error(`${field} is not canonical base64: unused bits before the padding are not zero`);
	}
	return decoded;
}
