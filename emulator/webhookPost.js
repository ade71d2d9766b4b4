'use strict';

const http = require('node:http');
const https = require('node:https');

/** How much of an endpoint's answer is kept: enough to read a validation response, never a whole page. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST of a JSON body to a webhook, as Event Grid sends it: no connection reuse (each request its own
 * socket, so closing the emulator leaves nothing open), a hard timeout, and an outcome rather than an
 * exception, so callers read every failure the same way.
 * @param {{ url: string, body: unknown, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal }} request
 * @returns {Promise<{ status: number, text: string } | { error: 'TimedOut' | 'SocketError' | 'Canceled', message: string }>}
 */
function postJson({ url, body, headers, timeoutMs, signal }) {
	const payload = Buffer.from(JSON.stringify(body));
	const target = new URL(url);
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		let settled = false;
		const finish = (outcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			resolve(outcome);
		};
		const req = client.request(target, {
			method: 'POST',
			agent: false,
			headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length, ...headers },
		});
		const timer = setTimeout(() => {
			finish({ error: 'TimedOut', message: `No answer within ${timeoutMs} ms.` });
			req.destroy();
		}, timeoutMs);
		const onAbort = () => {
			finish({ error: 'Canceled', message: 'The emulator stopped or was reset.' });
			req.destroy();
		};
		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort);
		req.on('response', (res) => {
			const chunks = [];
			let size = 0;
			res.on('data', (chunk) => {
				if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
				size += chunk.length;
			});
			res.on('end', () => finish({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) }));
			res.on('error', (error) => finish({ error: 'SocketError', message: error.message }));
		});
		req.on('error', (error) => finish({ error: 'SocketError', message: error.message }));
		req.end(payload);
	});
}

module.exports = { postJson };
