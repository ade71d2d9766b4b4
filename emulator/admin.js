'use strict';

const { send, errors } = require('./respond');

const MAX_BULK = 100000;

/**
 * Appends `count` text messages to a thread at once (a benchmark's 10,000-message history in milliseconds),
 * from `senderId` (default: the thread's creator if still in it, else its first participant), numbered
 * "<content> <sequenceId>". Requests are not involved: nothing is logged or counted by the limits.
 * @returns {{ count, firstId, lastId } | { error: string, status: number }}
 */
function addBulkMessages(store, threadId, { count, senderId, senderDisplayName, content } = {}) {
	const thread = store.getThread(threadId);
	if (!thread || thread.deletedOn) return { status: 404, error: `Thread ${threadId} was not found.` };
	if (!Number.isInteger(count) || count < 1 || count > MAX_BULK) return { status: 400, error: `count must be an integer from 1 to ${MAX_BULK}.` };
	const sender = senderId ?? (thread.participants.has(thread.createdBy) ? thread.createdBy : thread.participants.keys().next().value);
	if (!thread.participants.has(sender)) return { status: 400, error: `senderId must be a participant of the thread.` };
	for (const [name, value] of Object.entries({ senderDisplayName, content })) {
		if (value !== undefined && typeof value !== 'string') return { status: 400, error: `${name} must be a string.` };
	}
	const added = store.bulkMessages(thread, { count, senderId: sender, senderDisplayName, content });
	return { count: added.length, firstId: added[0].id, lastId: added[added.length - 1].id };
}

/**
 * Test-control endpoints under /admin. They skip auth, faults and the request log, and answer only
 * loopback clients so an emulator reachable from elsewhere cannot be reconfigured remotely.
 * /admin/eventgrid/… belongs to the Event Grid's own admin routes (eventGridAdmin.js).
 */
function createAdminApi({ log, faults, rateLimit, acsLimits, resetAll, store, tokens, eventGridAdmin }) {
	function isLoopback(address = '') {
		return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
	}

	return function handleAdmin(ctx, segments) {
		if (!isLoopback(ctx.req.socket.remoteAddress)) return errors.forbidden(ctx.res, 'Admin endpoints answer loopback clients only.');
		if (segments[1] === 'eventgrid') return eventGridAdmin(ctx, segments);
		const route = `${ctx.req.method} /${segments.join('/')}`;
		const body = () => (ctx.body.length ? ctx.json() : {});
		if (ctx.req.method === 'POST' && segments.length === 4 && segments[1] === 'threads' && segments[3] === 'messages:bulk') {
			const value = body();
			if (value === undefined) return;
			const result = addBulkMessages(store, segments[2], value ?? {});
			if (result.error) return result.status === 404 ? errors.notFound(ctx.res, result.error) : errors.badRequest(ctx.res, result.error);
			return send(ctx.res, 201, result);
		}
		switch (route) {
			case 'GET /admin/requests':
				return send(ctx.res, 200, { requests: log.entries() });
			case 'DELETE /admin/requests':
				log.clear();
				return send(ctx.res, 204);
			case 'POST /admin/reset':
				resetAll();
				return send(ctx.res, 204);
			case 'GET /admin/tokens':
				return send(ctx.res, 200, { tokens: tokens.issued() });
			case 'PUT /admin/refused-tokens': {
				const value = body();
				if (value === undefined) return;
				if (typeof value?.userId !== 'string' || typeof value.on !== 'boolean') {
					return errors.badRequest(ctx.res, 'The body must be {"userId": "<raw ID>", "on": true|false}.');
				}
				store.refuseTokensOf(value.userId, value.on);
				return send(ctx.res, 204);
			}
			case 'POST /admin/rotate-key':
				return send(ctx.res, 200, { connectionString: `endpoint=${ctx.baseUrl}/;accesskey=${tokens.rotateKey()}` });
			case 'GET /admin/state':
				return send(ctx.res, 200, store.snapshot());
			case 'GET /admin/faults':
				return send(ctx.res, 200, { pending: faults.pending(), latencyMs: faults.latency(), rateLimit: rateLimit.rps() });
			case 'POST /admin/faults': {
				const fault = body();
				if (fault === undefined) return;
				const error = faults.add(fault);
				return error ? errors.badRequest(ctx.res, error) : send(ctx.res, 204);
			}
			case 'DELETE /admin/faults':
				faults.clear();
				rateLimit.reset();
				acsLimits.reset();
				return send(ctx.res, 204);
			case 'PUT /admin/latency': {
				const value = body();
				if (value === undefined) return;
				const error = faults.setLatency(value?.ms);
				return error ? errors.badRequest(ctx.res, error) : send(ctx.res, 204);
			}
			case 'PUT /admin/rate-limit': {
				const value = body();
				if (value === undefined) return;
				const error = rateLimit.set(value);
				return error ? errors.badRequest(ctx.res, error) : send(ctx.res, 204);
			}
			case 'GET /admin/limits':
				return send(ctx.res, 200, { rateLimit: rateLimit.describe(), acsLimits: acsLimits.describe() });
			case 'PUT /admin/limits': {
				const value = body();
				if (value === undefined) return;
				const error = acsLimits.set(value);
				return error ? errors.badRequest(ctx.res, error) : send(ctx.res, 204);
			}
			default:
				return errors.notFound(ctx.res, `No admin endpoint ${route}.`);
		}
	};
}

module.exports = { createAdminApi, addBulkMessages };
