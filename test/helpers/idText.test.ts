import { describeRawIdProblem } from '../../nodes/AcsChat/helpers/identifiers';
import { describeThreadIdProblem } from '../../nodes/AcsChat/helpers/threadId';

// Each kind of character the rule refuses, by its category: whitespace, control, format (invisible) and a
// surrogate that is not half of a pair.
const REFUSED: Array<[string, string, string]> = [
	['a space', ' ', 'U+0020'],
	['a tab', '\t', 'U+0009'],
	['a no-break space', '\u00a0', 'U+00A0'],
	['a line separator', '\u2028', 'U+2028'],
	['a NUL', '\u0000', 'U+0000'],
	['a DEL', '\u007f', 'U+007F'],
	['a zero-width space', '\u200b', 'U+200B'],
	['a zero-width joiner', '\u200d', 'U+200D'],
	['a byte order mark', '\ufeff', 'U+FEFF'],
	['a soft hyphen', '\u00ad', 'U+00AD'],
	['a right-to-left override', '\u202e', 'U+202E'],
	['a lone high surrogate', '\ud800', 'U+D800'],
	['a lone low surrogate', '\udfff', 'U+DFFF'],
];

describe('one character rule for thread and participant IDs', () => {
	it.each(REFUSED)('both refuse %s with the same clause, naming it and where it is', (_name, char, label) => {
		// Sixth in both, counting the astral character before it once.
		const thread = describeThreadIdProblem(`19:\u{1F600}b${char}c@thread.v2`);
		const participant = describeRawIdProblem(`8:a\u{1F600}b${char}c`);

		expect(thread).toBeDefined();
		expect(thread).toBe(participant);
		expect(thread).toContain(`${label} at position 6`);
	});

	it.each([
		['a lone surrogate in a thread ID', () => describeThreadIdProblem('19:\ud800@thread.v2')],
		['a lone surrogate in a participant ID', () => describeRawIdProblem('8:acs:\ud800')],
	])('calls %s a broken character, not whitespace', (_name, problem) => {
		expect(problem()).toMatch(/^contains a broken character \(an unpaired UTF-16 surrogate, U\+D800 at position \d+\)$/);
	});

	it.each([
		['a thread ID', describeThreadIdProblem, '19:\u{1F600}\u{10FFFF}@thread.v2'],
		['a participant ID', describeRawIdProblem, '8:acs:\u{1F600}\u{10FFFF}_x'],
	])('accepts surrogate pairs in %s', (_name, describe, value) => {
		expect(describe(value)).toBeUndefined();
	});
});
