'use strict';

const crypto = require('node:crypto');
const { createEntra } = require('./entra');
const { createArm, parseResourceId, DEV_ARM_RESOURCE_ID, ROLES } = require('./arm');
const { createSubscriptions } = require('./eventGridSubscriptions');
const { createHandshake } = require('./eventGridHandshake');
const { createDelivery } = require('./eventGridDelivery');
const { createEventGridLog } = require('./eventGridLog');
const { createChatEvents } = require('./chatEvents');
const { createEventGridAdmin } = require('./eventGridAdmin');
const { createPendingWork } = require('./pendingWork');

/** Event Grid's 30 s answer budget; the retry waits are scaled down instead (retryScale). */
const DEFAULT_SETTINGS = { role: 'contributor', retryScale: 0.001, timeoutMs: 30000, validationWindowMs: 5 * 60 * 1000, handshakeHeaders: false };
/** Fixed for the emulator's life: who the principal is and which resource it manages. */
const IDENTITY_OPTIONS = ['tenantId', 'clientId', 'clientSecret', 'tokenLifetimeSeconds', 'resourceId'];

/**
 * The emulator's Azure side, put together: Entra ID (tokens), ARM (event subscriptions on the ACS resource),
 * Event Grid (handshake, delivery with retries) and the chat events that feed it. This file only wires them
 * and offers one API to the server (`handles`/`handle`, `observe`, `loggable`), the admin routes and
 * startEmulator's result. State: the settings (reset to their start values), shared by reference with the
 * handshake, the delivery and ARM, which read them on every use so a change applies at once.
 */
function createEventGrid({ store, options = {} }) {
	const unknown = Object.keys(options).filter((k) => !(k in DEFAULT_SETTINGS) && !IDENTITY_OPTIONS.includes(k));
	if (unknown.length) throw new Error(`Unknown eventGrid option ${unknown.join(', ')}.`);
	const resource = parseResourceId(options.resourceId ?? DEV_ARM_RESOURCE_ID);
	const initial = { ...DEFAULT_SETTINGS, ...pick(options, Object.keys(DEFAULT_SETTINGS)) };
	const settings = { ...initial };
	const invalid = check(initial);
	if (invalid) throw new Error(invalid);

	const entra = createEntra(pick(options, IDENTITY_OPTIONS));
	const initialLifetime = entra.tokenLifetime();
	const lifetimeError = entra.setTokenLifetime(initialLifetime);
	if (lifetimeError) throw new Error(lifetimeError);
	const work = createPendingWork();
	const log = createEventGridLog();
	const handshake = createHandshake({ settings, work, log });
	const subscriptions = createSubscriptions({ resourceId: resource.resourceId, handshake, work });
	const delivery = createDelivery({ subscriptions, settings, work, log });
	const arm = createArm({ resource, entra, subscriptions, settings });
	const chatEvents = createChatEvents({ store, resourceId: resource.resourceId, publish: delivery.publish });

	function set(changes) {
		if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return 'The settings must be an object.';
		const { tokenLifetimeSeconds, ...rest } = changes;
		const error = check({ ...settings, ...rest }, Object.keys(rest)) || (tokenLifetimeSeconds === undefined ? undefined : entra.setTokenLifetime(tokenLifetimeSeconds));
		if (error) return error;
		Object.assign(settings, rest);
		return undefined;
	}

	/** Fills in what a hand-written event may leave out, so tests need only give the type and data. */
	function publish(events) {
		if (!Array.isArray(events) || !events.every((e) => e && typeof e.eventType === 'string' && typeof e.data === 'object')) {
			return { status: 400, error: 'events must be an array of events, each with an eventType and data.' };
		}
		const completed = events.map((e) => ({
			id: crypto.randomUUID(),
			topic: resource.resourceId,
			subject: '',
			eventTime: new Date().toISOString(),
			dataVersion: '1.0',
			metadataVersion: '1',
			...e,
		}));
		delivery.publish(completed);
		return { events: completed };
	}

	function reset() {
		work.cancel();
		subscriptions.reset();
		handshake.reset();
		delivery.reset();
		log.clear();
		Object.assign(settings, initial);
		entra.setTokenLifetime(initialLifetime);
	}

	const isTokenRequest = (segments) => entra.handles(segments) && segments[1] === 'oauth2';

	const api = {
		settings: () => ({ ...settings, tokenLifetimeSeconds: entra.tokenLifetime() }),
		set,
		/** The subscriptions as ARM shows them, with the emulator's own view of their validation. */
		subscriptions: () => subscriptions.list().map((r) => ({ ...subscriptions.view(r), createdAt: r.createdAt, generation: r.generation })),
		events: () => delivery.events(),
		deliveries: () => log.entries(),
		clearDeliveries: () => log.clear(),
		publish,
		redeliver: (eventId, subscription) => (typeof eventId === 'string' ? delivery.redeliver(eventId, subscription) : { status: 400, error: 'eventId is required.' }),
		deliverOnce: (request) => (typeof request.subscription === 'string' ? delivery.deliverOnce(request) : Promise.resolve({ status: 400, error: 'subscription is required.' })),
		idle: () => work.idle(),
		reset,
		/** What a client needs to reach the emulator's Azure side, without the client secret. */
		publicIdentity: () => ({ tenantId: entra.identity.tenantId, clientId: entra.identity.clientId, principalObjectId: entra.identity.principalObjectId, ...resource }),
	};

	return {
		api,
		identity: { ...entra.identity, ...resource },
		/** A token as the token endpoint would issue, with any expiry or audience, for 401 tests. */
		issueArmToken: ({ expiresOn = Date.now() + 3600 * 1000, audience } = {}) => entra.sign({ expiresOnMs: new Date(expiresOn).getTime(), audience }),
		handles: (segments) => entra.handles(segments) || arm.handles(segments) || handshake.handles(segments),
		handle(ctx, segments) {
			if (entra.handles(segments)) return entra.handle(ctx, segments);
			if (arm.handles(segments)) return arm.handle(ctx, segments);
			return handshake.handleValidationUrl(ctx, segments);
		},
		/** The body the request log keeps: a token request's client secret is replaced, never recorded. */
		loggable(segments, body) {
			if (!isTokenRequest(segments) || !body.length) return body;
			const form = new URLSearchParams(body.toString('utf8'));
			for (const secret of ['client_secret', 'client_assertion']) if (form.has(secret)) form.set(secret, '[redacted]');
			return Buffer.from(form.toString());
		},
		observe: chatEvents.observe,
		admin: createEventGridAdmin(api),
		close: () => work.cancel(),
	};
}

function pick(object, keys) {
	return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}

/** @returns why the settings are invalid (only `keys` are looked at, all when not given), or undefined */
function check(s, keys = Object.keys(s)) {
	const unknown = keys.filter((k) => !(k in DEFAULT_SETTINGS));
	if (unknown.length) return `Unknown Event Grid setting ${unknown.join(', ')}; known: ${[...Object.keys(DEFAULT_SETTINGS), 'tokenLifetimeSeconds'].join(', ')}.`;
	const problems = {
		role: () => (s.role in ROLES ? undefined : `role must be one of ${Object.keys(ROLES).join(', ')}.`),
		retryScale: () => (typeof s.retryScale === 'number' && Number.isFinite(s.retryScale) && s.retryScale > 0 ? undefined : 'retryScale must be a positive number.'),
		timeoutMs: () => (Number.isInteger(s.timeoutMs) && s.timeoutMs >= 1 ? undefined : 'timeoutMs must be a positive integer.'),
		validationWindowMs: () => (Number.isInteger(s.validationWindowMs) && s.validationWindowMs >= 0 ? undefined : 'validationWindowMs must be a non-negative integer.'),
		handshakeHeaders: () => (typeof s.handshakeHeaders === 'boolean' ? undefined : 'handshakeHeaders must be true or false.'),
	};
	for (const key of keys) {
		const problem = problems[key]();
		if (problem) return problem;
	}
	return undefined;
}

module.exports = { createEventGrid };
