'use strict';

const { loadSeed } = require('./seed');
const { createStore } = require('./store');
const { signToken } = require('./auth');
const { createChatContext } = require('./chatContext');
const { createChatApi } = require('./chat');
const { createMessageApi } = require('./messages');
const { createIdentityApi } = require('./identity');
const { createAdminApi, addBulkMessages } = require('./admin');
const { createFaults } = require('./faults');
const { createRateLimit } = require('./ratelimit');
const { createAcsLimits } = require('./limits');
const { createRequestLog } = require('./log');
const { createServer } = require('./server');
const { createSelfSignedCertificate } = require('./tls');
const { createEventGrid } = require('./eventGrid');
const { DEV_TENANT_ID, DEV_CLIENT_ID, DEV_CLIENT_SECRET } = require('./entra');
const { DEV_ARM_RESOURCE_ID } = require('./arm');

/** The published development key (64 bytes, like a real ACS key): "acs-chat-emulator-development-key-never-use-outside-this-repo!!!". */
const DEV_KEY = 'YWNzLWNoYXQtZW11bGF0b3ItZGV2ZWxvcG1lbnQta2V5LW5ldmVyLXVzZS1vdXRzaWRlLXRoaXMtcmVwbyEhIQ==';
/** 2100-01-01T00:00:00Z: the demo token is meant to outlive any development setup. */
const DEMO_TOKEN_EXPIRY_MS = Date.UTC(2100, 0, 1);

/**
 * The demo user's token, signed with the development key and fixed claims so its text never
 * changes for a given seed and can be written down in the README.
 */
function demoTokenFor(seed) {
	return signToken(
		{ userId: seed.demoUser.id, scopes: ['chat'], expiresOnMs: DEMO_TOKEN_EXPIRY_MS, resourceId: seed.resourceId, issuedAtMs: Date.UTC(2025, 0, 1) },
		DEV_KEY,
	);
}

/**
 * Starts an emulator on loopback.
 * @param {{ port?: number, host?: string, https?: boolean, seed?: object|string, key?: string,
 *   latencyMs?: number, rateLimit?: number|object, acsLimits?: boolean|object,
 *   removeMissingParticipant?: 204|403|404, eventGrid?: object }} [options] `eventGrid`: the Azure side's
 *   settings (emulator/README.md, "Event Grid, ARM and Entra ID")
 */
async function startEmulator(options = {}) {
	const { port = 0, host = '127.0.0.1', key = DEV_KEY, latencyMs = 0, rateLimit: rps = 0, removeMissingParticipant = 204 } = options;
	if (!Buffer.from(key, 'base64').length) throw new Error('key must be a non-empty base64 string.');
	if (![204, 403, 404].includes(removeMissingParticipant)) throw new Error('removeMissingParticipant must be 204, 403 or 404.');
	const seed = loadSeed(options.seed);
	const store = createStore(seed);
	const demoToken = demoTokenFor(seed);
	const log = createRequestLog();
	const faults = createFaults({ latencyMs });
	const rateLimit = createRateLimit(rps);
	const acsLimits = createAcsLimits({ initial: options.acsLimits, key, demoToken, demoUserId: seed.demoUser.id });
	const invalid = faults.setLatency(latencyMs) || rateLimit.set(rps) || acsLimits.set(options.acsLimits);
	if (invalid) throw new Error(invalid);
	const identity = createIdentityApi({ store, key });
	const context = createChatContext({ store, key, demoToken });
	const eventGrid = createEventGrid({ store, options: options.eventGrid });

	function reset() {
		store.reset();
		log.clear();
		faults.clear();
		rateLimit.reset();
		acsLimits.reset();
		identity.tokens.reset();
		eventGrid.api.reset();
	}

	const tls = options.https ? createSelfSignedCertificate() : undefined;
	const server = createServer({
		tls,
		log,
		faults,
		rateLimit,
		acsLimits,
		admin: createAdminApi({ log, faults, rateLimit, acsLimits, resetAll: reset, store, tokens: identity.tokens, eventGridAdmin: eventGrid.admin }),
		chat: createChatApi({ store, context, removeMissingParticipant }),
		messages: createMessageApi({ store, context }),
		identity,
		eventGrid,
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const address = server.address();
	const url = `${tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

	/** Throws instead of answering 400, since a test passing a bad fault is a bug in the test. */
	const orThrow = (error) => {
		if (error) throw new Error(error);
	};

	return {
		url,
		connectionString: `endpoint=${url}/;accesskey=${key}`,
		key,
		demoToken,
		demoUserId: seed.demoUser.id,
		certificate: tls?.cert,
		requests: () => log.entries(),
		clearRequests: () => log.clear(),
		state: () => store.snapshot(),
		/** Like POST /admin/threads/{id}/messages:bulk; throws on a bad request. @returns { count, firstId, lastId } */
		addMessages(threadId, options) {
			const result = addBulkMessages(store, threadId, options);
			orThrow(result.error);
			return result;
		},
		faults: {
			add: (fault) => orThrow(faults.add(fault)),
			latency: (ms) => orThrow(faults.setLatency(ms)),
			rateLimit: (value) => orThrow(rateLimit.set(value)),
			pending: () => faults.pending(),
			clear: () => {
				faults.clear();
				rateLimit.reset();
				acsLimits.reset();
			},
		},
		/** ACS's per-operation limits: set(true | false | { scale, window, retryAfter }); describe() */
		limits: {
			set: (value) => orThrow(acsLimits.set(value)),
			describe: () => acsLimits.describe(),
		},
		/**
		 * A token as the identity API would issue, minus its lifetime rule, so tests can hold expired
		 * or scope-limited tokens.
		 */
		issueToken({ userId = seed.demoUser.id, scopes = ['chat'], expiresOn = Date.now() + 24 * 60 * 60 * 1000 } = {}) {
			const generation = store.tokenGeneration(userId);
			return signToken({ userId, scopes, expiresOnMs: new Date(expiresOn).getTime(), resourceId: seed.resourceId, generation }, key);
		},
		/** Tokens the identity API issued since the start or the last reset: [{ userId, token }]. */
		issuedTokens: () => identity.tokens.issued(),
		/** While on, chat refuses every token of `userId` with 401, those issued later included (the demo token excepted). */
		refuseTokensOf: (userId, on = true) => store.refuseTokensOf(userId, on),
		/** Regenerates the access key (tokens already issued stay valid); returns the new connection string. */
		rotateKey: () => `endpoint=${url}/;accesskey=${identity.tokens.rotateKey()}`,
		/** The service principal, its tenant and the ACS resource, with where to reach Entra ID and ARM (both this server). */
		azure: {
			...eventGrid.identity,
			authorityHost: url,
			armHost: url,
			scope: 'https://management.azure.com/.default',
			tokenUrl: `${url}/${eventGrid.identity.tenantId}/oauth2/v2.0/token`,
			/** An ARM token as the token endpoint issues, with any expiry or audience. */
			issueToken: (options) => eventGrid.issueArmToken(options),
		},
		/** Event Grid: its subscriptions, published events and delivery log, and the controls of the admin API. */
		eventGrid: {
			subscriptions: () => eventGrid.api.subscriptions(),
			events: () => eventGrid.api.events(),
			deliveries: () => eventGrid.api.deliveries(),
			clearDeliveries: () => eventGrid.api.clearDeliveries(),
			settings: () => eventGrid.api.settings(),
			set: (settings) => orThrow(eventGrid.api.set(settings)),
			/** Publishes events as if the resource had emitted them (id, topic, time and versions filled in). @returns them */
			publish(events) {
				const result = eventGrid.api.publish(events);
				orThrow(result.error);
				return result.events;
			},
			/** Delivers a published event again, with the same id. @returns the new deliveries' ids */
			redeliver(eventId, subscription) {
				const result = eventGrid.api.redeliver(eventId, subscription);
				orThrow(result.error);
				return result.deliveryIds;
			},
			/** One POST to a subscription's endpoint, not retried: { subscription, events?, body?, headers?, eventType? } → { status, body } */
			async deliver(request) {
				const result = await eventGrid.api.deliverOnce(request);
				if (result.status !== null && result.body === undefined) throw new Error(result.error);
				return result;
			},
			/** Resolves once no handshake or delivery is running or waiting to retry. */
			idle: () => eventGrid.api.idle(),
		},
		reset,
		close() {
			eventGrid.close();
			server.closeAllConnections();
			return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		},
	};
}

module.exports = { startEmulator, DEV_KEY, DEV_TENANT_ID, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_ARM_RESOURCE_ID };
