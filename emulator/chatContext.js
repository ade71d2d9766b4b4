'use strict';

const { errors, sendError } = require('./respond');
const { identifierModel } = require('./identifiers');
const { verifyToken, CHAT_SCOPES } = require('./auth');

const API_VERSIONS = ['2024-03-07', '2025-03-15'];
const DEFAULT_PAGE_SIZE = 100;
const MAX_METADATA_BYTES = 1024;

/**
 * What every chat operation shares: the checks that open it (api-version, token, thread, membership), page
 * sizes and `nextLink`s, and the response models several operations send. Each check answers the error itself
 * and returns undefined, so an operation reads as a list of `if (!x) return;`.
 *
 * Paging: every `nextLink` is an absolute URL on the emulator's own origin (the Host the client used), holding
 * the query ACS puts there (`maxPageSize`, `startTime`, `api-version`) and, where ACS pages by position, `skip`
 * (participants, read receipts) or else an opaque `syncState` cursor naming the last item returned (threads,
 * messages), so a page never repeats or skips an item because others arrived meanwhile. The SDK GETs it as-is.
 */
function createChatContext({ store, key, demoToken }) {
	/** @returns the caller, or undefined after answering 401/403 */
	function authenticate(ctx) {
		const match = /^Bearer (.+)$/.exec(ctx.req.headers.authorization || '');
		const token = match?.[1].trim();
		// The demo token is accepted by value so it stays valid whatever key the emulator runs with.
		const demo = Boolean(token) && token === demoToken;
		const result = demo
			? { userId: store.demoUserId, scopes: ['chat'], generation: 0 }
			: token
				? verifyToken(token, key)
				: { reason: 'A Bearer user access token is required.' };
		if (!result.reason && !store.hasIdentity(result.userId)) result.reason = 'The token belongs to an unknown identity.';
		if (!result.reason && result.generation < store.tokenGeneration(result.userId)) result.reason = 'The access token has been revoked.';
		if (!result.reason && !demo && store.tokensRefused(result.userId)) result.reason = 'The access token has been revoked.';
		if (result.reason) {
			errors.unauthorized(ctx.res, result.reason);
			return undefined;
		}
		if (!result.scopes.some((s) => CHAT_SCOPES.includes(s))) {
			errors.forbidden(ctx.res, 'The token has no chat scope.');
			return undefined;
		}
		return result;
	}

	/** @returns { version, caller, rich } or undefined after answering; `rich` = the 2025-03-15 models */
	function begin(ctx) {
		const version = ctx.apiVersion(API_VERSIONS);
		if (!version) return undefined;
		const caller = authenticate(ctx);
		if (!caller) return undefined;
		return { version, caller, rich: version === '2025-03-15' };
	}

	/** @returns the thread, or undefined after answering 404 (unknown or deleted) / 403 (caller not in it) */
	function memberThread(ctx, caller, threadId) {
		const thread = store.getThread(threadId);
		if (!thread || thread.deletedOn) {
			errors.notFound(ctx.res, `Thread ${threadId} was not found.`);
			return undefined;
		}
		if (!thread.participants.has(caller.userId)) {
			errors.forbidden(ctx.res);
			return undefined;
		}
		return thread;
	}

	/** begin() and memberThread() in one. @returns { version, caller, rich, thread } or undefined */
	function beginInThread(ctx, threadId) {
		const op = begin(ctx);
		if (!op) return undefined;
		const thread = memberThread(ctx, op.caller, threadId);
		return thread && { ...op, thread };
	}

	/** @returns the page size (1..max), or undefined after answering 400 */
	function pageSize(ctx, max = Infinity) {
		const raw = ctx.url.searchParams.get('maxPageSize');
		if (raw === null) return Math.min(DEFAULT_PAGE_SIZE, max);
		const n = Number(raw);
		if (Number.isInteger(n) && n >= 1 && n <= max) return n;
		errors.badRequest(ctx.res, `maxPageSize must be an integer from 1 to ${max === Infinity ? 'any size' : max}.`);
		return undefined;
	}

	/** @returns the skip count, or undefined after answering 400 */
	function skip(ctx) {
		const raw = ctx.url.searchParams.get('skip');
		const n = raw === null ? 0 : Number(raw);
		if (Number.isInteger(n) && n >= 0) return n;
		errors.badRequest(ctx.res, 'skip must be a non-negative integer.');
		return undefined;
	}

	/** @returns the startTime in ms, null when absent, or undefined after answering 400 */
	function startTime(ctx) {
		const raw = ctx.url.searchParams.get('startTime');
		if (raw === null) return null;
		const ms = Date.parse(raw);
		if (!Number.isNaN(ms)) return ms;
		errors.badRequest(ctx.res, 'startTime must be an RFC 3339 date-time.');
		return undefined;
	}

	/** @returns the decoded syncState cursor, null when absent, or undefined after answering 400 */
	function cursor(ctx) {
		const raw = ctx.url.searchParams.get('syncState');
		if (raw === null) return null;
		try {
			const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
			if (value && typeof value === 'object') return value;
		} catch {
			// Answered below.
		}
		errors.badRequest(ctx.res, 'syncState is not one this server issued.');
		return undefined;
	}

	/**
	 * The next page's URL: `position` is `{ skip }` or `{ syncState: <cursor object> }`; the request's own
	 * startTime, the page size and the api-version follow, in ACS's order.
	 */
	function nextLink(ctx, op, path, position, size) {
		const query = new URLSearchParams();
		if (position.syncState) query.set('syncState', Buffer.from(JSON.stringify(position.syncState)).toString('base64url'));
		if (position.skip !== undefined) query.set('skip', String(position.skip));
		const start = ctx.url.searchParams.get('startTime');
		if (start !== null) query.set('startTime', start);
		query.set('maxPageSize', String(size));
		query.set('api-version', op.version);
		return `${ctx.baseUrl}${path}?${query}`;
	}

	/** The thread's path as the SDK sends it, so a nextLink names the same path as the request before it. */
	function threadPath(threadId) {
		return `/chat/threads/${encodeURIComponent(threadId)}`;
	}

	/** The thread's path in a Location header, as recorded from ACS: the id's ':' is encoded, its '@' is not. */
	function locationPath(threadId) {
		return threadPath(threadId).replace(/%40/g, '@');
	}

	/** PATCH bodies must be JSON merge patches (RFC 7386), the only content type the spec lets these take. */
	function mergePatch(ctx) {
		const type = ctx.req.headers['content-type'] || '';
		if (!/^application\/merge-patch\+json\s*(;|$)/i.test(type)) {
			sendError(ctx.res, 415, 'UnsupportedMediaType', `PATCH takes application/merge-patch+json, not ${type || 'no content type'}.`);
			return undefined;
		}
		const body = ctx.body.length ? ctx.json() : {};
		if (body === undefined) return undefined;
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			errors.badRequest(ctx.res, 'The body must be a JSON object.');
			return undefined;
		}
		return body;
	}

	function participantModel(p, rich) {
		return {
			communicationIdentifier: identifierModel(p.rawId, rich),
			...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
			...(p.shareHistoryTime !== undefined ? { shareHistoryTime: p.shareHistoryTime } : {}),
			...(rich && hasEntries(p.metadata) ? { metadata: p.metadata } : {}),
		};
	}

	return { begin, beginInThread, pageSize, skip, startTime, cursor, nextLink, threadPath, locationPath, mergePatch, participantModel };
}

/** Metadata is sent only when there is some, as ACS omits an unset map. */
function hasEntries(map) {
	return Boolean(map) && Object.keys(map).length > 0;
}

/** Thread and participant metadata may hold 1 KB; message metadata has no documented bound (maxBytes Infinity). */
function validateMetadata(metadata, where, maxBytes = MAX_METADATA_BYTES) {
	if (metadata === undefined) return undefined;
	if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return `${where} must be an object of strings.`;
	if (Object.values(metadata).some((v) => typeof v !== 'string')) return `${where} values must be strings.`;
	const size = Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
	if (size > maxBytes) return `${where} may hold at most ${maxBytes} bytes.`;
	return undefined;
}

/**
 * Applies a merge patch to a string map (RFC 7386: a null value removes its key).
 * @returns {{ value?: object, error?: string }} the whole new map, possibly empty
 */
function mergeMetadata(current, patch, where, maxBytes = MAX_METADATA_BYTES) {
	if (patch === null) return { value: {} };
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return { error: `${where} must be an object of strings.` };
	const merged = { ...(current ?? {}) };
	for (const [k, v] of Object.entries(patch)) {
		if (v === null) delete merged[k];
		else merged[k] = v;
	}
	const error = validateMetadata(merged, where, maxBytes);
	if (error) return { error };
	return { value: merged };
}

module.exports = { createChatContext, validateMetadata, mergeMetadata, hasEntries };
