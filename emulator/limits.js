'use strict';

const { createLimiter, retryHeaders, RETRY_AFTER_UNITS } = require('./ratelimit');
const { verifyToken } = require('./auth');

/**
 * ACS Chat's documented rate limits (MicrosoftDocs service-limits.md, "Chat"), one entry per row of that table:
 * the operations that share the row's budget and its limits, each counted per acting user, per thread, or per
 * user in a thread. Two numbers in the docs ("10 / 30") are a limit per 10 s and one per minute.
 */
const ACS_CHAT_LIMITS = [
	{ name: 'create or delete thread', routes: ['POST threads', 'DELETE thread'], limits: [{ count: 10, seconds: 10, per: 'user' }] },
	{ name: 'update thread', routes: ['PATCH thread'], limits: [{ count: 5, seconds: 10, per: 'thread' }] },
	{ name: 'get or list threads', routes: ['GET threads', 'GET thread'], limits: [{ count: 50, seconds: 10, per: 'user' }] },
	{
		name: 'add or remove participants',
		routes: ['POST participants/:add', 'POST participants/:remove'],
		limits: [
			{ count: 10, seconds: 10, per: 'thread' },
			{ count: 30, seconds: 60, per: 'thread' },
		],
	},
	{
		name: 'list participants',
		routes: ['GET participants'],
		limits: [
			{ count: 10, seconds: 10, per: 'user in thread' },
			{ count: 250, seconds: 10, per: 'thread' },
		],
	},
	{
		name: 'get message',
		routes: ['GET message'],
		limits: [
			{ count: 50, seconds: 10, per: 'user in thread' },
			{ count: 250, seconds: 10, per: 'thread' },
		],
	},
	{
		name: 'list messages',
		routes: ['GET messages'],
		limits: [
			{ count: 50, seconds: 10, per: 'user in thread' },
			{ count: 200, seconds: 60, per: 'user in thread' },
			{ count: 250, seconds: 10, per: 'thread' },
			{ count: 400, seconds: 60, per: 'thread' },
		],
	},
	{
		name: 'send, update or delete message',
		routes: ['POST messages', 'PATCH message', 'DELETE message'],
		limits: [
			{ count: 10, seconds: 10, per: 'thread' },
			{ count: 30, seconds: 60, per: 'thread' },
		],
	},
	{
		name: 'send read receipt',
		routes: ['POST readReceipts'],
		limits: [
			{ count: 10, seconds: 10, per: 'user in thread' },
			{ count: 30, seconds: 60, per: 'user in thread' },
		],
	},
	{
		name: 'get read receipts',
		routes: ['GET readReceipts'],
		limits: [
			{ count: 5, seconds: 10, per: 'user in thread' },
			{ count: 100, seconds: 10, per: 'thread' },
		],
	},
	{
		name: 'typing notification',
		routes: ['POST typing'],
		limits: [
			{ count: 5, seconds: 10, per: 'user in thread' },
			{ count: 15, seconds: 60, per: 'user in thread' },
			{ count: 10, seconds: 10, per: 'thread' },
			{ count: 30, seconds: 60, per: 'thread' },
		],
	},
];

const WINDOWS = ['fixed', 'sliding'];

/** "GET thread", "POST participants/:remove" …, and the thread, for a chat path; undefined for anything else. */
function routeOf(method, segments) {
	const [chat, threads, threadId, collection, member] = segments;
	if (chat !== 'chat' || threads !== 'threads' || segments.length > 5) return undefined;
	if (segments.length === 2) return { route: `${method} threads` };
	if (segments.length === 3) return { route: `${method} thread`, threadId };
	if (collection === 'participants') return { route: segments.length === 4 ? `${method} participants` : `${method} participants/${member}`, threadId };
	if (collection === 'messages') return { route: segments.length === 4 ? `${method} messages` : `${method} message`, threadId };
	if ((collection === 'readReceipts' || collection === 'typing') && segments.length === 4) return { route: `${method} ${collection}`, threadId };
	return undefined;
}

const rowOf = new Map(ACS_CHAT_LIMITS.flatMap((row, index) => row.routes.map((route) => [route, index])));

/**
 * @returns {{ config?: { scale: number, window: 'fixed'|'sliding', retryAfter: 'seconds'|'ms' }, error?: string }}
 *   config undefined turns the limits off
 */
function limitsConfig(value) {
	if (value === undefined || value === null || value === false) return {};
	if (value === true) return { config: { scale: 1, window: 'fixed', retryAfter: 'seconds' } };
	if (typeof value !== 'object') return { error: 'acsLimits must be true, false or { scale, window, retryAfter }.' };
	const { scale = 1, window = 'fixed', retryAfter = 'seconds' } = value;
	if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) return { error: 'acsLimits.scale must be a positive number.' };
	if (!WINDOWS.includes(window)) return { error: `acsLimits.window must be one of ${WINDOWS.join(', ')}.` };
	if (!RETRY_AFTER_UNITS.includes(retryAfter)) return { error: `acsLimits.retryAfter must be one of ${RETRY_AFTER_UNITS.join(', ')}.` };
	return { config: { scale, window, retryAfter } };
}

/**
 * Enforces ACS_CHAT_LIMITS when turned on (off by default). Keeps one limiter per limit and key (user, thread,
 * or both), made on first use and dropped on reset or a new setting. `scale` divides every window for test
 * speed: at scale 10, 50 per 10 s becomes 50 per 1 s. The acting user is the one a valid token names; a request
 * without one is not counted, since the operation refuses it with 401.
 */
function createAcsLimits({ initial, key, demoToken, demoUserId }) {
	let config;
	let limiters = new Map();

	/** @returns {string|undefined} why the value is invalid */
	function set(value) {
		const parsed = limitsConfig(value);
		if (parsed.error) return parsed.error;
		config = parsed.config;
		limiters = new Map();
		return undefined;
	}
	set(initial);

	function callerOf(req) {
		const token = /^Bearer (.+)$/.exec(req.headers.authorization || '')?.[1].trim();
		if (!token) return undefined;
		if (token === demoToken) return demoUserId;
		return verifyToken(token, key).userId;
	}

	const windowMsOf = (limit) => (limit.seconds * 1000) / config.scale;

	function limiterFor(rowIndex, limitIndex, limit, user, threadId) {
		const scope = limit.per === 'user' ? user : limit.per === 'thread' ? threadId : `${user} ${threadId}`;
		const id = `${rowIndex}/${limitIndex}/${scope}`;
		let limiter = limiters.get(id);
		if (!limiter) limiters.set(id, (limiter = createLimiter({ shape: config.window, limit: limit.count, windowMs: windowMsOf(limit) })));
		return limiter;
	}

	/** @returns undefined when the request may pass (and counts it), else the refusal to answer with and its exact wait */
	function take(req, segments, now = Date.now()) {
		if (!config) return undefined;
		const found = routeOf(req.method, segments);
		const rowIndex = found && rowOf.get(found.route);
		if (rowIndex === undefined) return undefined;
		const user = callerOf(req);
		if (!user) return undefined;
		const row = ACS_CHAT_LIMITS[rowIndex];
		const limiters = row.limits.map((limit, limitIndex) => limiterFor(rowIndex, limitIndex, limit, user, found.threadId));
		const waits = limiters.map((limiter) => limiter.waitMs(now));
		const waitMs = Math.max(...waits);
		if (waitMs > 0) {
			const binding = row.limits[waits.indexOf(waitMs)];
			return {
				limit: row.name,
				message: `Too many requests: ${row.name} allows ${binding.count} per ${binding.seconds} s per ${binding.per}${config.scale === 1 ? '' : ` (here per ${windowMsOf(binding) / 1000} s, scaled by ${config.scale})`}.`,
				waitMs,
				headers: retryHeaders(waitMs, config.retryAfter),
			};
		}
		for (const limiter of limiters) limiter.admit(now);
		return undefined;
	}

	return {
		set,
		take,
		/** The settings and the table with each window as enforced, or { enabled: false }. */
		describe: () =>
			config
				? {
						enabled: true,
						...config,
						rows: ACS_CHAT_LIMITS.map((row) => ({ ...row, limits: row.limits.map((limit) => ({ ...limit, windowMs: windowMsOf(limit) })) })),
					}
				: { enabled: false },
		reset: () => set(initial),
	};
}

module.exports = { createAcsLimits, ACS_CHAT_LIMITS, routeOf };
