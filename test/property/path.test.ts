import fc from 'fast-check';
import { UnexpectedError } from 'n8n-workflow';

import { acsPath } from '../../nodes/AcsChat/transport/path';
import { anyString } from './arbitraries';

const ids = fc.oneof(anyString(), fc.constantFrom('', '.', '..', '19:a@thread.v2', '8:acs:\ud800', '%', '/'));
const refused = (id: string) => id === '' || id === '.' || id === '..' || /\p{Cs}/u.test(id);

/** The path as sent, unless acsPath refused it: the only error it may throw is its own clear refusal. */
function build(first: string, second: string): string | UnexpectedError {
	try {
		return acsPath`/chat/threads/${first}/participants/${second}/:remove`;
	} catch (error) {
		expect(error).toBeInstanceOf(UnexpectedError);
		expect((error as Error).message).toMatch(/cannot be used (as an ID )?in a request path/);
		return error as UnexpectedError;
	}
}

describe('acsPath on any string', () => {
	it('refuses exactly the empty, dot and lone-surrogate values, and nothing else throws', () => {
		fc.assert(
			fc.property(ids, ids, (first, second) => {
				const path = build(first, second);
				expect(path instanceof UnexpectedError).toBe(refused(first) || refused(second));
			}),
			{ numRuns: 3_000 },
		);
	});

	it('makes each value exactly one segment that decodes back to it, and the URL keeps the path as built', () => {
		fc.assert(
			fc.property(ids, ids, (first, second) => {
				fc.pre(!refused(first) && !refused(second));
				const path = build(first, second) as string;
				const match = /^\/chat\/threads\/([^/?#]*)\/participants\/([^/?#]*)\/:remove$/.exec(path);
				expect(match).not.toBeNull();
				for (const [segment, id] of [[match![1], first], [match![2], second]]) {
					// Only unreserved characters and well-formed percent escapes: nothing a URL parser would reinterpret.
					expect(segment).toMatch(/^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})*$/);
					expect(decodeURIComponent(segment)).toBe(id);
				}
				expect(new URL(`https://contoso.communication.azure.com${path}`).pathname).toBe(path);
			}),
			{ numRuns: 3_000 },
		);
	});
});
