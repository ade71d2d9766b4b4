'use strict';

const { send, errors } = require('./respond');

/**
 * The test-control endpoints of the emulator's Event Grid, under /admin/eventgrid (admin.js hands them over,
 * after its loopback check). Each reads its body, calls the Event Grid API (eventGrid.js) and answers; no state.
 */
function createEventGridAdmin(eventGrid) {
	return async function handleEventGridAdmin(ctx, segments) {
		const route = `${ctx.req.method} /${segments.join('/')}`;
		const body = () => (ctx.body.length ? ctx.json() : {});
		const refused = (result) => (result.status === 404 ? errors.notFound(ctx.res, result.error) : result.status === 409 ? send(ctx.res, 409, { error: { code: 'Conflict', message: result.error } }) : errors.badRequest(ctx.res, result.error));
		switch (route) {
			case 'GET /admin/eventgrid':
				return send(ctx.res, 200, { settings: eventGrid.settings(), azure: eventGrid.publicIdentity() });
			case 'PUT /admin/eventgrid/settings': {
				const value = body();
				if (value === undefined) return;
				const error = eventGrid.set(value);
				return error ? errors.badRequest(ctx.res, error) : send(ctx.res, 204);
			}
			case 'GET /admin/eventgrid/subscriptions':
				return send(ctx.res, 200, { subscriptions: eventGrid.subscriptions() });
			case 'GET /admin/eventgrid/events':
				return send(ctx.res, 200, { events: eventGrid.events() });
			case 'POST /admin/eventgrid/events': {
				const value = body();
				if (value === undefined) return;
				const result = eventGrid.publish(value?.events);
				return result.error ? refused(result) : send(ctx.res, 202, result);
			}
			case 'GET /admin/eventgrid/deliveries':
				return send(ctx.res, 200, { deliveries: eventGrid.deliveries() });
			case 'DELETE /admin/eventgrid/deliveries':
				eventGrid.clearDeliveries();
				return send(ctx.res, 204);
			case 'POST /admin/eventgrid/deliveries': {
				const value = body();
				if (value === undefined) return;
				const result = await eventGrid.deliverOnce(value ?? {});
				return result.status === null || result.body !== undefined ? send(ctx.res, 200, result) : refused(result);
			}
			case 'POST /admin/eventgrid/redeliver': {
				const value = body();
				if (value === undefined) return;
				const result = eventGrid.redeliver(value?.eventId, value?.subscription);
				return result.error ? refused(result) : send(ctx.res, 202, result);
			}
			case 'GET /admin/eventgrid/idle':
				await eventGrid.idle();
				return send(ctx.res, 204);
			case 'POST /admin/eventgrid/reset':
				eventGrid.reset();
				return send(ctx.res, 204);
			default:
				return errors.notFound(ctx.res, `No admin endpoint ${route}.`);
		}
	};
}

module.exports = { createEventGridAdmin };
