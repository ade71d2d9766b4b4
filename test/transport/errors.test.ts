import { randomBytes } from 'node:crypto';
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorItem, toNodeApiError } from '../../nodes/AcsChat/transport/errors';

const node: INode = {
	id: 'n',
	name: 'ACS Chat',
	type: 'n8n-nodes-acs-chat.acsChat',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The bounds the README states for one error item, whatever the service answered: JSON characters and UTF-8 bytes. */
const MAX_ITEM_JSON = 40_000;
const MAX_ITEM_BYTES = 64 * 1024;

/** Shaped like a JWT, random per run, so a coincidental match is impossible and every piece of it is distinctive. */
const SECRET = `eyJ${randomBytes(450).toString('base64url')}`;

function map(response: Record<string, unknown>, options: Partial<Parameters<typeof toNodeApiError>[2]> = {}) {
	const mapped = toNodeApiError(node, { response }, { itemIndex: 0, secrets: [SECRET], ...options });
	expect(mapped).toBeInstanceOf(NodeApiError);
	const error = mapped as NodeApiError;
	return { error, item: errorItem(error, 0), details: error.context.acsError as Record<string, unknown> };
}

/** Everything a user, a log or the next node can see of an error. */
function everything(error: { message: string; description?: string | null; context: object }) {
	return JSON.stringify({ message: error.message, description: error.description, context: error.context }) +
		JSON.stringify(errorItem(error as never, 0));
}

/** An already parsed ACS error nesting `depth` levels deep, through details and inner errors in turn. */
function nested(depth: number, message = 'm'): Record<string, unknown> {
	let error: Record<string, unknown> = { code: `Level${depth}`, message };
	for (let level = depth - 1; level >= 0; level--) {
		error = level % 2 === 0 ? { code: `Level${level}`, message, details: [error] } : { code: `Level${level}`, message, innererror: error };
	}
	return { error };
}

/** An ACS error as text, inner errors nesting `depth` levels deep: at 2,000 the 80 KB body of the issue. */
function nestedText(depth: number): string {
	let text = `{"code":"Level${depth}","message":"m"}`;
	for (let level = depth - 1; level >= 0; level--) {
		text = `{"code":"Level${level}","message":"m","innererror":${text}}`;
	}
	return `{"error":${text}}`;
}

describe('toNodeApiError: any depth of nesting', () => {
	it.each([1_000, 2_000, 10_000])('keeps status and ACS code of a body nested %d deep, as text', (depth) => {
		const { details, item } = map({ status: 400, data: nestedText(depth) });

		expect(details).toMatchObject({ httpCode: 400, code: 'Level0' });
		expect(JSON.stringify(item).length).toBeLessThan(MAX_ITEM_JSON);
	});

	it.each([1_000, 2_000, 10_000])('keeps status and ACS code of a body nested %d deep, already parsed', (depth) => {
		const { details, item } = map({ status: 409, data: nested(depth) });

		expect(details).toMatchObject({ httpCode: 409, code: 'Level0' });
		expect(JSON.stringify(item).length).toBeLessThan(MAX_ITEM_JSON);
	});

	it('still shows the first levels of details and inner errors', () => {
		const { details, error } = map({ status: 400, data: nested(50) });

		expect(details).toMatchObject({
			details: [{ code: 'Level1', innerError: { code: 'Level2', details: [{ code: 'Level3' }] } }],
		});
		expect(error.description).toContain('- Level1: m');
		expect(error.description).toContain('Inner error Level2: m');
		// Four levels below the top one, as the README says.
		expect(JSON.stringify(details)).toContain('Level4');
		expect(JSON.stringify(details)).not.toContain('Level5');
	});

	it('does not parse a text body over 1 MiB: the status stays, and names the code', () => {
		const huge = JSON.stringify({ error: { code: 'Huge', message: 'x'.repeat(1024 * 1024) } });
		const { details } = map({ status: 400, data: huge });

		expect(details).toMatchObject({ httpCode: 400, code: 'BadRequest' });
		expect(String(details.message).length).toBeLessThanOrEqual(501);
	});
});

describe('toNodeApiError: an error item stays small whatever the body', () => {
	const quoteHeavy = '"\\'.repeat(500_000);
	const wide = (count: number, text: string) => ({
		error: {
			code: text,
			message: text,
			target: text,
			details: Array.from({ length: count }, () => ({ code: text, message: text, target: text, innererror: { code: text, message: text } })),
			innererror: { code: text, message: text, target: text, innererror: { code: text, message: text } },
		},
	});

	/** Every field of every error long, ten details and an inner error on every level, five levels deep. */
	const full = (text: string) => {
		const one = () => ({ code: text, message: text, target: text });
		const tree = (depth: number): Record<string, unknown> =>
			depth === 0 ? one() : { ...one(), details: Array.from({ length: 10 }, () => tree(depth - 1)), innererror: tree(depth - 1) };
		return { error: tree(4) };
	};

	it.each([
		['a full tree of texts made of characters JSON escapes', full('"'.repeat(2_000))],
		['a full tree of texts made of three-byte characters', full('€'.repeat(2_000))],
		['a full tree of texts made of astral characters', full('\u{1F600}'.repeat(1_000))],
		['a 1 MB message', { error: { code: 'BadRequest', message: 'x'.repeat(1_000_000) } }],
		['a 1 MB code and target', { error: { code: 'c'.repeat(1_000_000), message: 'm', target: 't'.repeat(1_000_000) } }],
		['an 80 KB body 2,000 deep', nestedText(2_000)],
		['10,000 details of 1 KB', wide(10_000, 'd'.repeat(1_000))],
		['a 1 MB message of quotes and backslashes', { error: { code: 'X', message: quoteHeavy } }],
		['a 1 MB message of control characters', { error: { code: 'X', message: '\u0001'.repeat(1_000_000) } }],
		['a 1 MB message of three-byte characters', { error: { code: '€'.repeat(1_000), message: '€'.repeat(1_000_000) } }],
		['a 1 MB HTML page', `<html><body>${'<p>€"\\</p>'.repeat(100_000)}</body></html>`],
		['1 MB of binary', randomBytes(1_000_000)],
	])('%s', (_name, data) => {
		const long = '"€'.repeat(50_000);
		const { item, error } = map(
			{ status: 599, statusText: long, data, headers: { 'ms-cv': long, 'retry-after': '99999999' } },
			{ attempts: 6, mayHaveBeenSent: true },
		);

		const json = JSON.stringify(item);
		expect(json.length).toBeLessThan(MAX_ITEM_JSON);
		expect(Buffer.byteLength(json)).toBeLessThan(MAX_ITEM_BYTES);
		expect(error.message.length).toBeLessThanOrEqual(1_000);
	});

	it('and a network failure with a huge message', () => {
		const error = toNodeApiError(node, { code: 'E'.repeat(100_000), message: 'x'.repeat(1_000_000) }, { itemIndex: 0, secrets: [] });
		const json = JSON.stringify(errorItem(error, 0));
		expect(json.length).toBeLessThan(MAX_ITEM_JSON);
		expect(Buffer.byteLength(json)).toBeLessThan(MAX_ITEM_BYTES);
	});
});

describe('toNodeApiError: a secret is replaced before any cut', () => {
	// The old order cut at 300 characters and then looked for the secret, which was no longer whole there.
	const pieces = (secret: string) => Array.from({ length: secret.length - 15 }, (_, at) => secret.slice(at, at + 16));
	const expectNoPiece = (error: Parameters<typeof everything>[0]) => {
		const seen = everything(error);
		for (const piece of pieces(SECRET)) expect(seen).not.toContain(piece);
	};

	it.each([1, 150, 250, 299, 300, 480, 499, 500, 600])('in an ACS message, when the secret starts at %d', (at) => {
		const message = `${'a'.repeat(at)}${SECRET}${'b'.repeat(2_000)}`;
		expectNoPiece(map({ status: 401, data: { error: { code: 'Unauthorized', message, target: message } } }).error);
	});

	it.each([1, 150, 250, 299, 300, 480, 499, 500, 600])('in a proxy page, when the secret starts at %d', (at) => {
		const page = `<html><body><p>${'a'.repeat(at)}${SECRET}</p>${'<b>b</b>'.repeat(5_000)}</body></html>`;
		expectNoPiece(map({ status: 502, data: page }).error);
	});

	it.each([1, 250, 299, 480, 500])('in a network failure, when the secret starts at %d', (at) => {
		const message = `${'a'.repeat(at)}${SECRET}${'b'.repeat(2_000)}`;
		expectNoPiece(toNodeApiError(node, { code: 'EWHATEVER', message }, { itemIndex: 0, secrets: [SECRET] }));
	});

	it.each([100, 300, 450])('when it comes again %d characters later, keeping the text between', (gap) => {
		const message = `${SECRET}${'a'.repeat(gap)}${SECRET}${'b'.repeat(2_000)}`;
		const { error, details } = map({ status: 401, data: { error: { code: 'Unauthorized', message } } });

		expectNoPiece(error);
		expect(details.message).toBe(`[redacted]${'a'.repeat(gap)}[redacted]${'b'.repeat(480 - gap)}…`);
	});

	it('when it is repeated throughout a huge page', () => {
		expectNoPiece(map({ status: 500, data: `${SECRET} x `.repeat(20_000) }).error);
	});

	it('when the page is binary', () => {
		expectNoPiece(map({ status: 500, data: Buffer.concat([randomBytes(290), Buffer.from(SECRET), randomBytes(10_000)]) }).error);
	});
});

describe('toNodeApiError: a success status with a body that is not a JSON object', () => {
	it.each([
		['an HTML page', '<html><body><h1>Welcome</h1><p>Sign in to continue.</p></body></html>', 'Welcome Sign in to continue.'],
		['plain text', 'hello', 'hello'],
		['a Buffer', Buffer.from('some bytes'), 'some bytes'],
		['a JSON array', [1, 2, 3], 'a JSON array of 3 entries'],
		['a number', 42, '42'],
		['a boolean', true, 'true'],
	])('keeps the real status for %s, and says what came', (_name, data, snippet) => {
		const { details, error, item } = map({ status: 200, statusText: 'OK', data, headers: {} });

		expect(details).toMatchObject({ httpCode: 200, code: 'UnexpectedResponse', message: snippet });
		expect(error.message).toBe('ACS answered 200 with a body that is not a JSON object');
		expect(error.httpCode).toBe('200');
		expect(error.description).toMatch(/may have been carried out/);
		expect(item.json.details).toMatchObject({ httpCode: 200, code: 'UnexpectedResponse' });
	});

	it.each([201, 204, 299])('keeps %d too', (status) => {
		expect(map({ status, data: 'x' }).details).toMatchObject({ httpCode: status, code: 'UnexpectedResponse' });
	});

	it('keeps the snippet short and free of secrets', () => {
		const { details, error } = map({ status: 200, data: `${'a'.repeat(290)}${SECRET}${'z'.repeat(1_000_000)}` });

		expect(String(details.message).length).toBeLessThanOrEqual(501);
		expect(everything(error)).not.toContain(SECRET.slice(0, 16));
	});
});

describe('toNodeApiError: a request that may have been carried out', () => {
	const reset = { code: 'ECONNRESET', message: 'socket hang up' };
	const timeout = { code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' };
	const unavailable = { response: { status: 503, data: { error: { code: 'ServiceUnavailable', message: 'Try later.' } } } };

	it.each([
		['a connection reset', reset, null, 'ECONNRESET'],
		['a timeout', timeout, null, 'ECONNABORTED'],
		['a 503', unavailable, 503, 'ServiceUnavailable'],
	])('after %s says so, keeps status and code, and marks the details', (_name, failure, httpCode, code) => {
		const error = toNodeApiError(node, failure, { itemIndex: 2, secrets: [], timeoutMs: 30_000, mayHaveBeenSent: true });

		expect(error.context.acsError).toMatchObject({ httpCode, code, mayHaveBeenSent: true });
		expect(error.context.itemIndex).toBe(2);
		expect(error.message).toMatch(/may or may not have carried out the request/);
		expect(error.message).toMatch(/not sent again/);
		expect(error.description).toMatch(/may or may not have been delivered/);
		expect(error.description).toMatch(/did not send it again, because repeating it is not safe/);
		expect(error.description).toMatch(/check the thread/i);
		expect(error.description).not.toMatch(/safe to retry/);
		expect(errorItem(error, 2).json.details).toMatchObject({ code, mayHaveBeenSent: true });
	});

	it.each([
		['a connection reset', reset],
		['a 503', unavailable],
	])('says nothing of the kind after %s of a request that was safe to repeat', (_name, failure) => {
		const error = toNodeApiError(node, failure, { itemIndex: 0, secrets: [] });

		expect(error.context.acsError).not.toHaveProperty('mayHaveBeenSent');
		expect(`${error.message} ${error.description}`).not.toMatch(/may or may not/);
	});
});
