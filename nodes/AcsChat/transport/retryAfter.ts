import type { IDataObject } from 'n8n-workflow';

function header(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** A wait the service asked for. */
export interface RequestedWait {
	ms: number;
	/**
	 * How coarse the number is: 0 for the millisecond headers; 1000 for `Retry-After`, which counts whole
	 * seconds, so the service may be ready again up to a second before it says.
	 */
	granularityMs: number;
}

/**
 * How long the service asked us to wait, read the way Azure SDKs read it: `retry-after-ms` and
 * `x-ms-retry-after-ms` first (precise), then `Retry-After` in seconds or as an HTTP date.
 */
export function requestedWait(headers: IDataObject | undefined, now = Date.now()): RequestedWait | undefined {
	if (!headers) return undefined;
	for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
		const ms = Number(header(headers, name));
		if (header(headers, name) !== undefined && Number.isFinite(ms) && ms >= 0) return { ms, granularityMs: 0 };
	}
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return seconds >= 0 ? { ms: seconds * 1000, granularityMs: 1000 } : undefined;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : { ms: Math.max(0, date - now), granularityMs: 1000 };
}

/** The wait in milliseconds alone, for messages. */
export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	return requestedWait(headers, now)?.ms;
}
