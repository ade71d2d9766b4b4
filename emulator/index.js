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
 *   removeMissingParticipant?: 204|403|404 }} [options]
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

	function reset() {
		store.reset();
		log.clear();
		faults.clear();
		rateLimit.reset();
		acsLimits.reset();
		identity.tokens.reset();
	}

	const tls = options.https ? createSelfSignedCertificate() : undefined;
	const server = createServer({
		tls,
		log,
		faults,
		rateLimit,
		acsLimits,
		admin: createAdminApi({ log, faults, rateLimit, acsLimits, resetAll: reset, store, tokens: identity.tokens }),
		chat: createChatApi({ store, context, removeMissingParticipant }),
		messages: createMessageApi({ store, context }),
		identity,
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
		reset,
		close() {
			server.closeAllConnections();
			return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		},
	};
}

module.exports = { startEmulator, DEV_KEY };
