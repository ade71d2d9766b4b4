/**
 * Text taken from a failed request (an ACS message, a proxy's page, a network error) made fit to show: short,
 * readable and free of secrets, in time linear in what is shown, however long or hostile the input.
 *
 * Secrets are replaced before the cut, never after: cut first, and a secret straddling the cut is no longer
 * whole where redaction looks for it, so its head stays in the clear. Only the head of an input is read: enough
 * to fill the output even when every replacement is shorter than the secret it replaces, plus one secret more,
 * so that every secret starting inside what is used is seen whole. No state.
 */

const REDACTED = '[redacted]';

/** The first `max` characters of `value` with every secret replaced, and whether anything was left out. */
function redactedHead(value: string, secrets: readonly string[], max: number): { text: string; cut: boolean } {
	const found = [...new Set(secrets)].filter((secret) => secret !== '');
	const longest = found.reduce((length, secret) => Math.max(length, secret.length), 0);
	// The output holds at most `max` characters of plain text and max / REDACTED.length replacements, each of
	// which uses up at most `longest` characters of input; a secret starting inside what is used ends at most
	// `longest` further on. So this much input is all that can matter, and every secret in it is seen whole.
	const window = value.slice(0, max + (Math.floor(max / REDACTED.length) + 1) * longest);
	// Where each secret next occurs; searched again only once passed, so each is searched for once per character.
	const next = found.map((secret) => window.indexOf(secret));
	let text = '';
	let at = 0;
	while (at < window.length && text.length < max) {
		let hit = -1;
		for (let index = 0; index < found.length; index++) {
			if (next[index] >= 0 && next[index] < at) next[index] = window.indexOf(found[index], at);
			const start = next[index];
			if (start >= 0 && (hit < 0 || start < next[hit] || (start === next[hit] && found[index].length > found[hit].length))) {
				hit = index;
			}
		}
		const plainEnd = Math.min(hit < 0 ? window.length : next[hit], at + max - text.length);
		text += window.slice(at, plainEnd);
		at = plainEnd;
		if (hit < 0 || at < next[hit] || text.length + REDACTED.length > max) break;
		text += REDACTED;
		at += found[hit].length;
	}
	return { text, cut: at < value.length };
}

/**
 * Control characters become spaces and lone surrogates (a cut can split a pair) U+FFFD: a line stays one
 * line, and JSON never needs more than two characters for one of these.
 */
function printable(value: string): string {
	return value.replace(/\p{Cc}/gu, ' ').replace(/\p{Cs}/gu, '\uFFFD');
}

/** At most `max` characters of `value` (and `…` when more there was), with no secret and no piece of one. */
export function clip(value: string, secrets: readonly string[], max: number): string {
	const { text, cut } = redactedHead(value, secrets, max);
	return printable(cut ? `${text}…` : text);
}

/** Tags whose content is not text a reader would want to see. */
const SKIPPED_CONTENT = new Set(['script', 'style']);

/**
 * The readable text of an HTML (or any) page in one pass: tags become spaces, script and style blocks go
 * with their content, an unterminated tag ends the text. Every character is looked at a bounded number of
 * times, so a page of nothing but `<` costs no more than any other page.
 */
function stripMarkup(page: string): string {
	const parts: string[] = [];
	let at = 0;
	while (at < page.length) {
		const open = page.indexOf('<', at);
		if (open < 0) {
			parts.push(page.slice(at));
			break;
		}
		parts.push(page.slice(at, open));
		// `<` before anything but a letter, `/`, `!` or `?` is text, as in HTML itself (`a < b`).
		if (!/[A-Za-z/!?]/.test(page.charAt(open + 1))) {
			parts.push('<');
			at = open + 1;
			continue;
		}
		const close = page.indexOf('>', open + 1);
		if (close < 0) break;
		parts.push(' ');
		at = close + 1;
		const name = /^[A-Za-z]+/.exec(page.slice(open + 1, Math.min(close, open + 8)))?.[0].toLowerCase();
		if (name !== undefined && SKIPPED_CONTENT.has(name)) {
			const end = new RegExp(`</${name}`, 'gi');
			end.lastIndex = at;
			const match = end.exec(page);
			if (!match) break;
			at = match.index;
		}
	}
	return parts.join('').replace(/\s+/g, ' ').trim();
}

/** How much of a page is read for its text: far more than is shown, since markup takes most of a page. */
const PAGE_READ = 64 * 1024;

/** A short readable piece of a page that is not an ACS error (a proxy's or gateway's), without secrets. */
export function pageSnippet(page: string, secrets: readonly string[], max: number): string {
	return clip(stripMarkup(redactedHead(page, secrets, PAGE_READ).text), secrets, max);
}
