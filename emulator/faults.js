'use strict';

const { STATUS_CODES } = require('node:http');
const { sendError } = require('./respond');

const KINDS = ['throttle', 'unavailable', 'reset', 'html'];

/**
 * Queued one-shot faults (each answers the next request that reaches it) plus a standing latency.
 * A queue, not flags, so a test can script "two 429s, then a 503, then success" in order.
 */
function createFaults({ latencyMs = 0 } = {}) {
	const queue = [];
	const initialLatency = latencyMs;
	let latency = latencyMs;

	/**
	 * @param {{ kind: 'throttle'|'unavailable'|'reset'|'html', count?: number, retryAfter?: number,
	 *   retryAfterMs?: number, status?: number }} fault
	 * @returns {string|undefined} why the fault is invalid
	 */
	function add(fault) {
		if (!fault || !KINDS.includes(fault.kind)) return `kind must be one of ${KINDS.join(', ')}.`;
		const count = fault.count ?? 1;
		if (!Number.isInteger(count) || count < 1) return 'count must be a positive integer.';
		for (const field of ['retryAfter', 'retryAfterMs']) {
			if (fault[field] !== undefined && !(Number.isInteger(fault[field]) && fault[field] >= 0)) return `${field} must be a non-negative integer.`;
		}
		if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) {
			return 'status must be an HTTP error status.';
		}
		const { kind, retryAfter, retryAfterMs, status } = fault;
		for (let i = 0; i < count; i++) queue.push({ kind, retryAfter, retryAfterMs, status });
		return undefined;
	}

	function setLatency(ms) {
		if (!Number.isInteger(ms) || ms < 0) return 'latency must be a non-negative integer of milliseconds.';
		latency = ms;
		return undefined;
	}

	/** Delays, then answers with the next queued fault. @returns the kind of fault that answered, if any */
	async function apply(req, res) {
		if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
		const fault = queue.shift();
		if (!fault) return undefined;
		if (fault.kind === 'reset') {
			req.socket.resetAndDestroy();
		} else if (fault.kind === 'html') {
			const status = fault.status ?? 502;
			const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
			const page = `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body><h1>${title}</h1><p>The upstream server did not answer. (emulated proxy error)</p></body></html>\n`;
			res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
			res.end(page);
		} else if (fault.kind === 'throttle') {
			sendError(res, 429, 'TooManyRequests', 'Rate limit exceeded.', retryHeaders(fault, 1));
		} else {
			sendError(res, 503, 'ServiceUnavailable', 'The server is currently unable to handle the request.', retryHeaders(fault));
		}
		return fault.kind;
	}

	return {
		add,
		setLatency,
		apply,
		pending: () => queue.map((f) => ({ ...f })),
		latency: () => latency,
		clear() {
			queue.length = 0;
			latency = initialLatency;
		},
	};
}

/** Without an explicit value a 429 still says when to retry, since the SDK retries 429 only then. */
function retryHeaders(fault, defaultSeconds) {
	const headers = {};
	const seconds = fault.retryAfter ?? (fault.retryAfterMs === undefined ? defaultSeconds : undefined);
	if (seconds !== undefined) headers['Retry-After'] = String(seconds);
	if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
	return headers;
}

module.exports = { createFaults };
