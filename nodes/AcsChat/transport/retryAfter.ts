import type { IDataObject } from 'n8n-workflow';

function header(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * How long the service asked us to wait, in milliseconds, read the way Azure SDKs read it:
 * `retry-after-ms` and `x-ms-retry-after-ms` first (precise), then `Retry-After` in seconds or as an HTTP date.
 */
export function retryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	if (!headers) return undefined;
	for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
		const ms = Number(header(headers, name));
		if (header(headers, name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
	}
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
