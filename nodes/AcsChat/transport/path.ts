import { UnexpectedError } from 'n8n-workflow';

import { hasLoneSurrogate } from '../helpers/idText';

function encodePathSegment(value: string): string {
	// URL parsing resolves `.` and `..` segments away (even as %2E), and an empty one changes the route:
	// none of them can name a resource, so they never become part of a path.
	if (value === '' || value === '.' || value === '..') {
		throw new UnexpectedError(`"${value}" cannot be used as an ID in a request path`);
	}
	// Operations check their IDs first; this keeps encodeURIComponent's bare "URI malformed" from ever surfacing.
	if (hasLoneSurrogate(value)) {
		throw new UnexpectedError(
			'An ID with a broken character (an unpaired UTF-16 surrogate) cannot be used in a request path',
		);
	}
	return encodeURIComponent(value);
}

/**
 * Builds a request path in which every interpolated value is exactly one percent-encoded segment, so an ID
 * containing `/`, `?`, `#` or `..` can never reach another route: acsPath`/chat/threads/${threadId}`.
 */
export function acsPath(literals: TemplateStringsArray, ...ids: string[]): string {
	return literals.reduce((path, literal, index) => path + encodePathSegment(ids[index - 1]) + literal);
}
