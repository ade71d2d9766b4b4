'use strict';

const http = require('node:http');
const https = require('node:https');
const { errors, sendError } = require('./respond');

/**
 * The request pipeline: admin requests go straight to their handler; everything else is logged,
 * delayed or faulted, rate limited (the one configurable limit, then ACS's per-operation limits), then
 * routed to the chat or identity operation.
 */
function createServer({ tls, log, faults, rateLimit, acsLimits, admin, chat, identity }) {
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

		const entry = log.record(req, url, body);
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

	function route(ctx, segments) {
		const { method } = ctx.req;
		const [a, b, id, d, e] = segments;
		if (a === 'chat' && b === 'threads') {
			if (segments.length === 2 && method === 'GET') return chat.listThreads(ctx);
			if (segments.length === 2 && method === 'POST') return chat.createThread(ctx);
			if (segments.length === 3 && method === 'GET') return chat.getThread(ctx, id);
			if (segments.length === 4 && d === 'participants' && method === 'GET') return chat.listParticipants(ctx, id);
			if (segments.length === 5 && d === 'participants' && e === ':remove' && method === 'POST') return chat.removeParticipant(ctx, id);
		}
		if (a === 'identities') {
			if (segments.length === 1 && method === 'POST') return identity.createIdentity(ctx);
			if (segments.length === 3 && segments[2] === ':issueAccessToken' && method === 'POST') return identity.issueAccessToken(ctx, b);
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
