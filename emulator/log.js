'use strict';

const { tokenUser } = require('./auth');

/** Every non-admin request as received, so tests can count calls and inspect what a client sent. */
function createRequestLog() {
	let entries = [];

	function record(req, url, body) {
		const headers = { ...req.headers };
		const bearer = /^Bearer (.+)$/.exec(headers.authorization || '');
		// Keep the scheme so a test can tell Bearer from HMAC calls, never the credential itself.
		if (headers.authorization) headers.authorization = `${headers.authorization.split(' ')[0]} [redacted]`;
		const text = body.toString('utf8');
		let parsed = text || undefined;
		try {
			if (text) parsed = JSON.parse(text);
		} catch {
			// Bodies that are not JSON are kept as text.
		}
		const entry = {
			time: new Date().toISOString(),
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers,
			body: parsed,
			// Whom a Bearer request acted as (the token's claims, checked or not), so a test can tell users apart.
			tokenUser: bearer ? tokenUser(bearer[1].trim()) : undefined,
			// Filled in when the response is sent; a reset connection leaves it null.
			status: null,
			fault: undefined,
		};
		entries.push(entry);
		return entry;
	}

	return {
		record,
		entries: () => entries.map((e) => ({ ...e })),
		clear: () => {
			entries = [];
		},
	};
}

module.exports = { createRequestLog };
