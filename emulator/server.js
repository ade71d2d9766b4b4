'use strict';

const http = require('node:http');
const https = require('node:https');
const { errors, sendError } = require('./respond');

/**
 * The request pipeline: admin requests go straight to their handler; everything else is logged,
 * delayed or faulted, rate limited (the one configurable limit, then ACS's per-operation limits), then
 * routed to Entra ID, ARM or Event Grid's validation URL (`eventGrid`), or to the chat or identity operation
 * by the table below; `eventGrid` watches each chat operation to publish the events it causes.
 */
function createServer({ tls, log, faults, rateLimit, acsLimits, admin, chat, messages, identity, eventGrid }) {
	async function handle(req, res) {
		const body = await readBody(req);
		const url = new URL(req.url, 'http://emulator.invalid');
		const segments = splitPath(url.pathname);
		const ctx = {
			req,
			res,
			url,
			body,
			baseUrl: `${tls ? 'https' : 'http'}://${req.headers.host}`,
			json: () => parseJson(res, body),
			apiVersion: (supported) => apiVersion(res, url, supported),
		};
		if (segments === undefined) return errors.badRequest(res, 'The path is not validly percent-encoded.');
		if (segments[0] === 'admin') return admin(ctx, segments);

		const entry = log.record(req, url, eventGrid.loggable(segments, body));
		res.on('finish', () => {
			entry.status = res.statusCode;
		});
		entry.fault = await faults.apply(req, res);
		if (entry.fault) return;
		const refusal = rateLimit.take() ?? acsLimits.take(req, segments);
		if (refusal) {
			entry.limit = refusal.limit;
			return sendError(res, 429, 'TooManyRequests', refusal.message, refusal.headers);
		}
		route(ctx, segments);
	}

	/** `METHOD shape` → handler; in a shape, `{}` stands for a path id (thread, message, identity). */
	const routes = new Map([
		['GET chat/threads', chat.listThreads],
		['POST chat/threads', chat.createThread],
		['GET chat/threads/{}', chat.getThread],
		['PATCH chat/threads/{}', chat.updateThread],
		['DELETE chat/threads/{}', chat.deleteThread],
		['GET chat/threads/{}/participants', chat.listParticipants],
		['POST chat/threads/{}/participants/:add', chat.addParticipants],
		['POST chat/threads/{}/participants/:remove', chat.removeParticipant],
		['POST chat/threads/{}/messages', messages.sendMessage],
		['GET chat/threads/{}/messages', messages.listMessages],
		['GET chat/threads/{}/messages/{}', messages.getMessage],
		['PATCH chat/threads/{}/messages/{}', messages.updateMessage],
		['DELETE chat/threads/{}/messages/{}', messages.deleteMessage],
		['POST chat/threads/{}/readReceipts', messages.sendReadReceipt],
		['GET chat/threads/{}/readReceipts', messages.listReadReceipts],
		['POST chat/threads/{}/typing', messages.sendTypingNotification],
		['POST identities', identity.createIdentity],
		['DELETE identities/{}', identity.deleteIdentity],
		['POST identities/{}/:issueAccessToken', identity.issueAccessToken],
		['POST identities/{}/:revokeAccessTokens', identity.revokeAccessTokens],
	]);

	function route(ctx, segments) {
		if (eventGrid.handles(segments)) return eventGrid.handle(ctx, segments);
		const { method } = ctx.req;
		// Ids sit at fixed places: chat/threads/{thread}/…, …/messages/{message}, identities/{identity}/….
		const idAt = segments[0] === 'chat' ? (segments[3] === 'messages' ? [2, 4] : [2]) : [1];
		const shape = segments.map((s, i) => (idAt.includes(i) ? '{}' : s)).join('/');
		const handler = routes.get(`${method} ${shape}`);
		if (handler) {
			const ids = idAt.filter((i) => i < segments.length).map((i) => segments[i]);
			const published = eventGrid.observe(`${method} ${shape}`, ctx, ids);
			handler(ctx, ...ids);
			return published?.();
		}
		errors.notFound(ctx.res, `The emulator does not implement ${method} ${ctx.url.pathname}.`);
	}

	const listener = (req, res) =>
		handle(req, res).catch((error) => {
			if (!res.headersSent) sendError(res, 500, 'InternalServerError', `Emulator error: ${error.message}`);
			else res.destroy(error);
		});
	return tls ? https.createServer(tls, listener) : http.createServer(listener);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Each segment is percent-decoded on its own, so an encoded '/' inside a thread id stays in that id. */
function splitPath(pathname) {
	try {
		return pathname.split('/').filter(Boolean).map(decodeURIComponent);
	} catch {
		return undefined;
	}
}

/** @returns the parsed body, or undefined after answering 400 */
function parseJson(res, body) {
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		errors.badRequest(res, 'The request body is not valid JSON.');
		return undefined;
	}
}

/** @returns the requested api-version, or undefined after answering 400 */
function apiVersion(res, url, supported) {
	const version = url.searchParams.get('api-version');
	if (!version) {
		sendError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
		return undefined;
	}
	if (!supported.includes(version)) {
		sendError(res, 400, 'UnsupportedApiVersion', `The api-version '${version}' is not supported. Supported versions: ${supported.join(', ')}.`);
		return undefined;
	}
	return version;
}

module.exports = { createServer };
