'use strict';

const { send, errors } = require('./respond');

/**
 * Test-control endpoints under /admin. They skip auth, faults and the request log, and answer only
 * loopback clients so an emulator reachable from elsewhere cannot be reconfigured remotely.
 */
function createAdminApi({ log, faults, rateLimit, acsLimits, resetAll, store, tokens }) {
	function isLoopback(address = '') {
		return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
	}

	return function handleAdmin(ctx, segments) {
		if (!isLoopback(ctx.req.socket.remoteAddress)) return errors.forbidden(ctx.res, 'Admin endpoints answer loopback clients only.');
		const route = `${ctx.req.method} /${segments.join('/')}`;
		const body = () => (ctx.body.length ? ctx.json() : {});
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

module.exports = { createAdminApi };
