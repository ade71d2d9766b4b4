import fc from 'fast-check';

import { parseConnectionString } from '../../nodes/AcsChat/transport/accessKey';

const keys = fc.uint8Array({ minLength: 16, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64'));
const space = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', ''), { maxLength: 3 }).map((parts) => parts.join(''));
const casing = (name: string) =>
	fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) =>
		[...name].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''),
	);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/);
const endpoints = fc
	.record({
		scheme: fc.constantFrom('https', 'HTTPS', 'Https'),
		labels: fc.array(label, { minLength: 1, maxLength: 4 }),
		upper: fc.boolean(),
		port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
		slash: fc.boolean(),
	})
	.map(({ scheme, labels, upper, port, slash }) => {
		const host = `${labels.join('.')}.communication.azure.com`;
		return {
			written: `${scheme}://${upper ? host.toUpperCase() : host}${port === undefined ? '' : `:${port}`}${slash ? '/' : ''}`,
			// What the node sends requests to: lower-case host, no default port, no slash.
			origin: `https://${host}${port === undefined || port === 443 ? '' : `:${port}`}`,
		};
	});

/** `name = value` with whitespace anywhere around the name, the '=' and the value. */
const part = (name: string, value: string) =>
	fc.tuple(space, casing(name), space, space, space).map(([a, written, b, c, d]) => `${a}${written}${b}=${c}${value}${d}`);

describe('parseConnectionString on generated connection strings', () => {
	const variants = fc
		.tuple(endpoints, keys)
		.chain(([endpoint, key]) =>
			fc.record({
				endpoint: fc.constant(endpoint),
				key: fc.constant(key),
				endpointPart: part('endpoint', endpoint.written),
				keyPart: part('accesskey', key),
				keyFirst: fc.boolean(),
				around: space,
				end: fc.constantFrom('', ';', '; ', ';\n'),
			}),
		);

	it('reads every valid variant to the same endpoint and key', () => {
		fc.assert(
			fc.property(variants, ({ endpoint, key, endpointPart, keyPart, keyFirst, around, end }) => {
				const input = `${around}${keyFirst ? `${keyPart};${endpointPart}` : `${endpointPart};${keyPart}`}${end}${around}`;
				expect(parseConnectionString(input)).toEqual({ endpoint: endpoint.origin, accessKey: key });
			}),
			{ numRuns: 2_000 },
		);
	});

	const corruptions: Array<fc.Arbitrary<(endpoint: string, key: string) => { input: string; leaked: string }>> = [
		fc.constant((e, k) => ({ input: `endpoint=${e};accesskey=${k.slice(1)}`, leaked: k.slice(1) })),
		fc.constant((e, k) => ({ input: `endpoint=${e};accesskey=${k}$`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=${e};accesskey=${k.replace(/[+/]|$/, '-')}`, leaked: k.replace(/[+/]|$/, '-') })),
		fc.constant((e, k) => ({ input: `endpoint=${e};${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=${e};accesskey=${k};accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=${e};accesskey=${k};secret=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=${e}?key=${k};accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=${e}#${k};accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=https://${k}@host.example;accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=ftp://${k};accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint=http://${k.replace(/[^A-Za-z0-9]/g, '')}.example;accesskey=${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `endpoint ${e} accesskey ${k}`, leaked: k })),
		fc.constant((e, k) => ({ input: `${k}`, leaked: k })),
	];

	it('never repeats the key, or a piece of it, when it refuses a string', () => {
		let refused = 0;
		fc.assert(
			fc.property(endpoints, keys, fc.oneof(...corruptions), (endpoint, key, corrupt) => {
				const { input, leaked } = corrupt(endpoint.written, key);
				let message: string;
				try {
					parseConnectionString(input);
					return;
				} catch (error) {
					message = `${(error as Error).message} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
				}
				refused++;
				const pieces = [key, leaked].flatMap((secret) =>
					Array.from({ length: secret.length - 11 }, (_, at) => secret.slice(at, at + 12)),
				);
				expect(pieces.filter((piece) => message.includes(piece))).toEqual([]);
			}),
			{ numRuns: 2_000 },
		);
		// The corruptions are refusals almost always; a run that refused nothing would have checked nothing.
		expect(refused).toBeGreaterThan(1_500);
	});
});
