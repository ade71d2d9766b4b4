/**
 * Date-times as ACS takes them (RFC 3339 in UTC, as the SDK's `Date.toISOString()` writes them), from what an n8n
 * date-time field holds: the editor's picker stores a wall-clock time without an offset, which n8n means in the
 * workflow's time zone, not the server's; an expression may give an ISO text with an offset, a JS Date or a Luxon
 * DateTime. Pure: the caller passes the zone (`getTimezone()`) and names the parameter in its error.
 */
import { typeName } from './idText';

const OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** How far the zone's clock is ahead of UTC at that instant, in ms. */
function zoneOffsetMs(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(instant);
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant a wall-clock time names in the zone; the second guess settles times next to a DST change. */
function fromWallClock(match: RegExpExecArray, timeZone: string): number | undefined {
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = ''] = match;
	const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Number(fraction.padEnd(3, '0').slice(0, 3)));
	const check = new Date(wall);
	if (check.getUTCMonth() !== +month - 1 || check.getUTCDate() !== +day || +hour > 23 || +minute > 59 || +second > 59) {
		return undefined;
	}
	const first = wall - zoneOffsetMs(timeZone, wall);
	return wall - zoneOffsetMs(timeZone, first);
}

function isDateTimeLike(value: unknown): value is { toMillis(): number } {
	return typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function';
}

/**
 * The ISO text ACS takes for the value, or undefined when it names no valid instant. Text without an offset is
 * read in `timeZone`.
 */
export function toAcsDateTime(value: unknown, timeZone: string): string | undefined {
	let instant: number | undefined;
	if (value instanceof Date) instant = value.getTime();
	else if (isDateTimeLike(value)) instant = value.toMillis();
	else if (typeof value === 'string') {
		const text = value.trim();
		const wallClock = WALL_CLOCK.exec(text);
		if (wallClock) instant = fromWallClock(wallClock, timeZone);
		else if (OFFSET.test(text) && /^\d{4}-\d{2}-\d{2}T/i.test(text)) instant = Date.parse(text);
	}
	return instant === undefined || !Number.isFinite(instant) ? undefined : new Date(instant).toISOString();
}

/**
 * A date-time value as ACS takes it, or undefined when it is empty; `fail` turns the clause saying why it is not a
 * date-time into the error to throw (the caller knows which parameter, and where in it, the value was).
 */
export function checkedDateTime(value: unknown, timeZone: string, fail: (problem: string) => Error): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const dateTime = toAcsDateTime(value, timeZone);
	if (dateTime !== undefined) return dateTime;
	const got = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeName(value);
	throw fail(`must be a date-time such as 2025-03-15T09:30:00 or 2025-03-15T09:30:00Z (got ${got})`);
}
