import type { CheckedParameter } from './parameters';

/** What every ACS chat thread ID looks like (`19:…@thread.v2`); also the resource locator's UI check. */
export const THREAD_ID_PATTERN = '^19:\\S+@thread\\.[A-Za-z0-9]+$';

const threadIdPattern = new RegExp(THREAD_ID_PATTERN);

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Why a thread ID can't be sent, as a clause to follow the parameter's name, or undefined when it can.
 * The caller trims surrounding whitespace first.
 */
export function describeThreadIdProblem(value: unknown): string | undefined {
	if (typeof value !== 'string') {
		return `must be text such as 19:…@thread.v2, got ${typeName(value)}`;
	}
	if (value === '') return 'is empty';
	if (/[\s\p{Cc}]/u.test(value)) return 'contains whitespace or control characters';
	if (!threadIdPattern.test(value)) {
		const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
		return `is not an ACS chat thread ID (expected 19:…@thread.v2, got "${shown}")`;
	}
	return undefined;
}

export const threadIdParameter: CheckedParameter = {
	name: 'threadId',
	displayName: 'Thread ID',
	describeProblem: describeThreadIdProblem,
	isLocator: true,
};
