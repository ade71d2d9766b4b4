import { randomBytes } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorItem, toNodeApiError } from '../../nodes/AcsChat/transport/errors';
import { anyString, unit } from './arbitraries';

const node: INode = { id: 'n', name: 'ACS Chat', type: 'n8n-nodes-acs-chat.acsChat', typeVersion: 1, position: [0, 0], parameters: {} };

/** The bounds the README states for one error item: characters of its JSON, and UTF-8 bytes. */
const MAX_ITEM_JSON = 40_000;
const MAX_ITEM_BYTES = 64 * 1024;

// Random per run: a long token and a short key, planted in the bodies, never to be seen again.
const TOKEN = `eyJ${randomBytes(300).toString('base64url')}`;
const KEY = randomBytes(32).toString('base64');
const SECRETS = [TOKEN, KEY];
const PIECES = SECRETS.flatMap((secret) => Array.from({ length: secret.length - 11 }, (_, at) => secret.slice(at, at + 12)));

/**
 * Runs synchronous work, stopped once jest's default test timeout (5 s) has passed: jest cannot stop a
 * synchronous test, so a quadratic regression would otherwise hang the run instead of failing it.
 */
function withinTestTimeout<T>(work: () => T): T {
	return runInNewContext('work()', { work }, { timeout: 5_000 }) as T;
}

/** Text of any kind, often with a secret in it, often long enough to cross every cut. */
const texts = fc
	.record({
		pad: fc.nat({ max: 1_200 }),
		padUnit: unit,
		before: anyString(30),
		secret: fc.option(fc.constantFrom(...SECRETS), { nil: undefined }),
		after: anyString(30),
		tail: fc.nat({ max: 3_000 }),
	})
	.map(({ pad, padUnit, before, secret, after, tail }) => padUnit.repeat(pad) + before + (secret ?? '') + after + 'x'.repeat(tail));

/**
 * ACS errors whose details and inner errors nest up to 3,000 levels (as a chain, never shared, so the JSON
 * of one stays under ~200 KB), with many siblings and junk at the top, and random texts at the top and the bottom.
 */
const acsErrors = fc
	.record({
		code: fc.option(texts, { nil: undefined }),
		message: fc.option(texts, { nil: undefined }),
		target: fc.option(texts, { nil: undefined }),
		depth: fc.nat({ max: 3_000 }),
		width: fc.nat({ max: 50 }),
		innerKey: fc.constantFrom('innererror', 'innerError'),
	})
	.map(({ code, message, target, depth, width, innerKey }) => {
		// Built as an object and, level by level, as JSON text: JSON.stringify itself gives up at this depth.
		const json = (value: unknown) => (value === undefined ? 'null' : JSON.stringify(value));
		let error: Record<string, unknown> = { code, message, target };
		let text = `{"code":${json(code)},"message":${json(message)},"target":${json(target)}}`;
		for (let level = depth; level > 0; level--) {
			if (level % 2) {
				error = { code: `L${level}`, message: 'm', details: ['junk', null, error] };
				text = `{"code":"L${level}","message":"m","details":["junk",null,${text}]}`;
			} else {
				error = { code: `L${level}`, [innerKey]: error };
				text = `{"code":"L${level}","${innerKey}":${text}}`;
			}
		}
		const sibling = { code: 'Sibling', message: message ?? 'm', target };
		const siblings = Array.from({ length: width }, () => json(sibling)).join(',');
		return {
			object: { error: { code, message, target, details: [...Array.from({ length: width }, () => sibling), 'junk'], [innerKey]: error } },
			text: `{"error":{"code":${json(code)},"message":${json(message)},"target":${json(target)},"details":[${siblings}${siblings ? ',' : ''}"junk"],"${innerKey}":${text}}}`,
		};
	});

const bodies = fc.oneof(
	acsErrors.map(({ object }) => object),
	acsErrors.map(({ text }) => text),
	acsErrors.map(({ text }) => Buffer.from(text)),
	fc.jsonValue({ maxDepth: 4 }),
	fc.tuple(texts, fc.array(fc.constantFrom('<p>', '</p>', '<script>', '</script>', '<style>', '<', '>', '<!--', '<a href="'), { maxLength: 50 }), anyString(10), texts).map(
		([head, tags, filler, tail]) => `<html>${head}${tags.join(filler)}${tail}</html>`,
	),
	fc.uint8Array({ maxLength: 5_000 }).map((bytes) => Buffer.from(bytes)),
	fc.tuple(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(...SECRETS)).map(([bytes, secret]) => Buffer.concat([Buffer.from(bytes), Buffer.from(secret), Buffer.from(bytes)])),
	texts,
	fc.constantFrom(undefined, null, '', ' \n', 0, true),
);

const failures = fc.oneof(
	{
		arbitrary: fc.record({
			response: fc.record({
				status: fc.integer({ min: 100, max: 599 }),
				statusText: fc.option(texts, { nil: undefined }),
				data: bodies,
				headers: fc.record({ 'ms-cv': fc.option(texts, { nil: undefined }), 'retry-after': fc.option(fc.constantFrom('1', '7', '99999999', 'soon'), { nil: undefined }) }),
			}),
		}),
		weight: 4,
	},
	{ arbitrary: fc.record({ code: fc.option(texts, { nil: undefined }), message: fc.option(texts, { nil: undefined }) }), weight: 1 },
);

const options = fc.record({
	attempts: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
	mayHaveBeenSent: fc.option(fc.boolean(), { nil: undefined }),
	timeoutMs: fc.option(fc.integer({ min: 1, max: 300_000 }), { nil: undefined }),
});

function check(failure: unknown, extra: Record<string, unknown> = {}) {
	const error = toNodeApiError(node, failure, { itemIndex: 0, secrets: SECRETS, ...extra });
	expect(error).toBeInstanceOf(NodeApiError);
	const item = JSON.stringify(errorItem(error, 0));
	expect(item.length).toBeLessThan(MAX_ITEM_JSON);
	expect(Buffer.byteLength(item)).toBeLessThan(MAX_ITEM_BYTES);
	const seen = [error.message, error.description, JSON.stringify(error.context), JSON.stringify((error as NodeApiError).messages), item].join('\n');
	expect(PIECES.filter((piece) => seen.includes(piece))).toEqual([]);
	return error;
}

describe('toNodeApiError on random answers', () => {
	it('always gives a small NodeApiError keeping the status, in which no piece of a secret survives', () => {
		fc.assert(
			fc.property(failures, options, (failure, extra) => {
				const error = check(failure, extra);
				const details = error.context.acsError as { httpCode: number | null; code: string };
				const status = (failure as { response?: { status: number } }).response?.status;
				expect(details.httpCode).toBe(status ?? null);
				expect(typeof details.code).toBe('string');
				expect(details.code).not.toBe('');
			}),
			{ numRuns: 400 },
		);
	});
});

describe('toNodeApiError does a bounded amount of work whatever the body', () => {
	const MB = 1024 * 1024;
	it.each([
		['10 MB of "<"', () => '<'.repeat(10 * MB)],
		['10 MB of "<a"', () => '<a'.repeat(5 * MB)],
		['10 MB of "<a>"', () => '<a>'.repeat(3 * MB)],
		['10 MB of "<script>"', () => '<script>'.repeat(1.25 * MB)],
		['10 MB of "<script></script"', () => '<script></script'.repeat(0.6 * MB)],
		['10 MB of "<" as a Buffer', () => Buffer.alloc(10 * MB, '<')],
		['10 MB of whitespace and then "<"', () => `${' '.repeat(10 * MB)}<`],
		['a 10 MB message in JSON', () => JSON.stringify({ error: { code: 'X', message: `<${TOKEN}`.repeat(30_000) } })],
		['1 MB of "[" (the largest JSON parsed)', () => '['.repeat(MB)],
		['10 MB of "{"', () => '{'.repeat(10 * MB)],
		['a 10 MB page full of secrets', () => `${TOKEN}<b>${KEY}</b>`.repeat(30_000)],
	])('%s', (_name, body) => {
		const data = body();
		for (const status of [200, 502]) withinTestTimeout(() => check({ response: { status, data } }));
	});
});
