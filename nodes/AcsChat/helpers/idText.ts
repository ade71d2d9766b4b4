/**
 * What thread IDs and participant raw IDs share: the one character rule every ID the node sends follows,
 * and how a rejected value is shown back in a message.
 *
 * Refused: whitespace, control characters and invisible format characters (zero-width space, BOM, soft
 * hyphen, bidi controls …), typical leftovers of copy and paste that the service would take as part of the
 * ID; and a UTF-16 surrogate that is not half of a pair, which is not text at all and cannot be
 * percent-encoded into a request path.
 */
const REFUSED = /[\s\p{Cc}\p{Cf}\p{Cs}]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `value` holds a surrogate that is not half of a pair, which no URL or UTF-8 text can carry. */
export function hasLoneSurrogate(value: string): boolean {
	return LONE_SURROGATE.test(value);
}

function codePointLabel(char: string): string {
	const codePoint = char.codePointAt(0) ?? 0;
	return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `value` can't be an ID because of a character in it, as a clause to follow the parameter's name. */
export function describeIdCharacterProblem(value: string): string | undefined {
	const bad = REFUSED.exec(value);
	if (bad === null) return undefined;
	// Positions count characters as a reader sees them, not UTF-16 units.
	const where = `${codePointLabel(bad[0])} at position ${Array.from(value.slice(0, bad.index)).length + 1}`;
	return hasLoneSurrogate(bad[0])
		? `contains a broken character (an unpaired UTF-16 surrogate, ${where})`
		: `contains whitespace or an invisible character (${where})`;
}

/** An ID as a message shows it: quoted, and cut after `max` characters (never inside a surrogate pair). */
export function quoteId(value: string, max: number): string {
	const chars = Array.from(value);
	return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join('')}…` : value);
}

/** The type of a value that should have been text, as a message names it ("got a number"). */
export function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing (undefined)';
	if (Array.isArray(value)) return 'an array';
	const type = typeof value;
	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
