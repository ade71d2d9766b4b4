'use strict';

/** Event Grid's limits on a subscription's advanced filters. */
const MAX_ADVANCED_FILTERS = 25;
const MAX_FILTER_VALUES = 25;

const STRING_OPERATORS = {
	StringIn: (actual, values) => values.some((v) => actual === v),
	StringNotIn: (actual, values) => !values.some((v) => actual === v),
	StringBeginsWith: (actual, values) => values.some((v) => actual.startsWith(v)),
	StringNotBeginsWith: (actual, values) => !values.some((v) => actual.startsWith(v)),
	StringEndsWith: (actual, values) => values.some((v) => actual.endsWith(v)),
	StringNotEndsWith: (actual, values) => !values.some((v) => actual.endsWith(v)),
	StringContains: (actual, values) => values.some((v) => actual.includes(v)),
	StringNotContains: (actual, values) => !values.some((v) => actual.includes(v)),
};
const NUMBER_LIST_OPERATORS = {
	NumberIn: (actual, values) => values.includes(actual),
	NumberNotIn: (actual, values) => !values.includes(actual),
};
const NUMBER_OPERATORS = {
	NumberGreaterThan: (actual, value) => actual > value,
	NumberGreaterThanOrEquals: (actual, value) => actual >= value,
	NumberLessThan: (actual, value) => actual < value,
	NumberLessThanOrEquals: (actual, value) => actual <= value,
};
const RANGE_OPERATORS = {
	NumberInRange: (actual, ranges) => ranges.some(([low, high]) => actual >= low && actual <= high),
	NumberNotInRange: (actual, ranges) => !ranges.some(([low, high]) => actual >= low && actual <= high),
};
const OPERATORS = [
	...Object.keys(STRING_OPERATORS),
	...Object.keys(NUMBER_LIST_OPERATORS),
	...Object.keys(NUMBER_OPERATORS),
	...Object.keys(RANGE_OPERATORS),
	'BoolEquals',
	'IsNullOrUndefined',
	'IsNotNull',
];

/**
 * A subscription's filter: which events it receives. Pure functions, no state. `check` reads the filter of a
 * PUT body and answers its normal form (or the problem); `matches` applies it: event types, subject prefix and
 * suffix, and advanced filters, all of which must hold. String comparisons ignore case, as Event Grid's do;
 * a key names an envelope field (`subject`, `eventType`, `id`, `topic`, `dataVersion`) or a path under `data`
 * (`data.threadId`). Arrays in events are not searched (enableAdvancedFilteringOnArrays is kept but not
 * applied: the emulator's chat payloads filter on plain fields).
 */
function checkFilter(filter = {}) {
	if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return { error: 'filter must be an object.' };
	const { includedEventTypes = null, subjectBeginsWith = '', subjectEndsWith = '', isSubjectCaseSensitive = false, enableAdvancedFilteringOnArrays = false } = filter;
	if (includedEventTypes !== null && !(Array.isArray(includedEventTypes) && includedEventTypes.every((t) => typeof t === 'string' && t))) {
		return { error: 'filter.includedEventTypes must be null or an array of event type names.' };
	}
	for (const [name, value] of Object.entries({ subjectBeginsWith, subjectEndsWith })) {
		if (typeof value !== 'string') return { error: `filter.${name} must be a string.` };
	}
	const advancedFilters = filter.advancedFilters ?? [];
	if (!Array.isArray(advancedFilters)) return { error: 'filter.advancedFilters must be an array.' };
	if (advancedFilters.length > MAX_ADVANCED_FILTERS) return { error: `At most ${MAX_ADVANCED_FILTERS} advanced filters are allowed.` };
	for (const [i, f] of advancedFilters.entries()) {
		const error = advancedFilterError(f);
		if (error) return { error: `filter.advancedFilters[${i}]: ${error}` };
	}
	return {
		filter: {
			includedEventTypes: includedEventTypes && [...includedEventTypes],
			subjectBeginsWith,
			subjectEndsWith,
			isSubjectCaseSensitive: Boolean(isSubjectCaseSensitive),
			enableAdvancedFilteringOnArrays: Boolean(enableAdvancedFilteringOnArrays),
			advancedFilters: advancedFilters.map((f) => ({ ...f })),
		},
	};
}

function advancedFilterError(f) {
	if (!f || typeof f !== 'object') return 'must be an object.';
	if (!OPERATORS.includes(f.operatorType)) return `operatorType must be one of ${OPERATORS.join(', ')}.`;
	if (typeof f.key !== 'string' || !f.key) return 'key is required.';
	const op = f.operatorType;
	if (op in STRING_OPERATORS || op in NUMBER_LIST_OPERATORS || op in RANGE_OPERATORS) {
		if (!Array.isArray(f.values) || f.values.length === 0 || f.values.length > MAX_FILTER_VALUES) return `values must hold 1 to ${MAX_FILTER_VALUES} entries.`;
		if (op in STRING_OPERATORS && !f.values.every((v) => typeof v === 'string')) return 'values must be strings.';
		if (op in NUMBER_LIST_OPERATORS && !f.values.every((v) => typeof v === 'number')) return 'values must be numbers.';
		if (op in RANGE_OPERATORS && !f.values.every((r) => Array.isArray(r) && r.length === 2 && r.every((n) => typeof n === 'number'))) {
			return 'values must be [low, high] pairs of numbers.';
		}
	}
	if (op in NUMBER_OPERATORS && typeof f.value !== 'number') return 'value must be a number.';
	if (op === 'BoolEquals' && typeof f.value !== 'boolean') return 'value must be a boolean.';
	return undefined;
}

/** The value at `key` in an event: an envelope field, or a dotted path under `data`. */
function valueAt(event, key) {
	const path = key.split('.');
	let value = event;
	for (const part of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = value[part];
	}
	return value;
}

function advancedMatch(event, f) {
	const actual = valueAt(event, f.key);
	const op = f.operatorType;
	if (op === 'IsNullOrUndefined') return actual === null || actual === undefined;
	if (op === 'IsNotNull') return actual !== null && actual !== undefined;
	if (op === 'BoolEquals') return actual === f.value;
	if (op in STRING_OPERATORS) {
		if (typeof actual !== 'string' && typeof actual !== 'number') return op.startsWith('StringNot');
		return STRING_OPERATORS[op](String(actual).toLowerCase(), f.values.map((v) => v.toLowerCase()));
	}
	if (typeof actual !== 'number') return op === 'NumberNotIn' || op === 'NumberNotInRange';
	if (op in NUMBER_LIST_OPERATORS) return NUMBER_LIST_OPERATORS[op](actual, f.values);
	if (op in RANGE_OPERATORS) return RANGE_OPERATORS[op](actual, f.values);
	return NUMBER_OPERATORS[op](actual, f.value);
}

function matches(event, filter) {
	if (filter.includedEventTypes && !filter.includedEventTypes.some((t) => t.toLowerCase() === event.eventType.toLowerCase())) return false;
	const fold = (s) => (filter.isSubjectCaseSensitive ? s : s.toLowerCase());
	const subject = fold(event.subject ?? '');
	if (!subject.startsWith(fold(filter.subjectBeginsWith)) || !subject.endsWith(fold(filter.subjectEndsWith))) return false;
	return filter.advancedFilters.every((f) => advancedMatch(event, f));
}

module.exports = { checkFilter, matches, valueAt };
