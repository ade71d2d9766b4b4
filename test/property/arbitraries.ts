import fc from 'fast-check';

/**
 * Text units the property tests build strings from: any UTF-16 code unit (so lone surrogates too), any code
 * point, and, weighted up, the characters parsers and encoders trip over.
 */
const TRICKY = [
	'/', '?', '#', '%', '%2F', '%zz', '.', '..', ':', ';', '=', '@', '&', '+', ' ', '\t', '\n', '\r', '\u0000',
	'\u007f', '\u00a0', '\u00ad', '\u200b', '\u202e', '\u2028', '\ufeff', '\ud800', '\udfff', '\u{1F600}', '€',
	'"', "'", '\\', '<', '>', '_', '-', '~',
];

export const unit: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.constantFrom(...TRICKY), weight: 3 },
	{ arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), weight: 2 },
	{ arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
	{ arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 4 },
);

/** Any JavaScript string, lone surrogates included. */
export const anyString = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit, maxLength });
