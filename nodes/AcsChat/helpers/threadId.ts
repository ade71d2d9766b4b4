import { describeIdCharacterProblem, quoteId, typeName } from './idText';
import type { CheckedParameter } from './parameters';

/** What every ACS chat thread ID looks like (`19:…@thread.v2`); also the resource locator's UI check. */
export const THREAD_ID_PATTERN = '^19:\\S+@thread\\.[A-Za-z0-9]+$';

const threadIdPattern = new RegExp(THREAD_ID_PATTERN);

/**
 * Why a thread ID can't be sent, as a clause to follow the parameter's name, or undefined when it can.
 * The caller trims surrounding whitespace first.
 */
export function describeThreadIdProblem(value: unknown): string | undefined {
	if (typeof value !== 'string') {
		return `must be text such as 19:…@thread.v2, got ${typeName(value)}`;
	}
	if (value === '') return 'is empty';
	const characterProblem = describeIdCharacterProblem(value);
	if (characterProblem !== undefined) return characterProblem;
	if (!threadIdPattern.test(value)) {
		return `is not an ACS chat thread ID (expected 19:…@thread.v2, got ${quoteId(value, 80)})`;
	}
	return undefined;
}

export const threadIdParameter: CheckedParameter = {
	name: 'threadId',
	displayName: 'Thread ID',
	describeProblem: describeThreadIdProblem,
	isLocator: true,
};
