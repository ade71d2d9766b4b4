'use strict';

const crypto = require('node:crypto');

/** A thread's own properties, shared by the seed, the live record and the snapshot, without its participants. */
function threadProperties({ id, topic, createdOn, createdBy, metadata, retentionPolicy }) {
	return { id, topic, createdOn, createdBy, metadata, retentionPolicy };
}

/**
 * In-memory identities and threads. Participants are keyed by raw ID, the one stable name every
 * identifier kind has. Everything here is plain data so a reset can rebuild it from the seed.
 */
function createStore(seed) {
	let identities;
	let threads;
	let repeatability;
	let refusedTokens;

	function reset() {
		identities = new Map(seed.identities.map((id) => [id, { id }]));
		identities.set(seed.demoUser.id, { id: seed.demoUser.id });
		threads = new Map();
		for (const t of seed.threads) {
			threads.set(t.id, {
				...threadProperties(t),
				participants: new Map(t.participants.map((p) => [p.rawId, { ...p }])),
				// Removed users still see the thread in their list (contract §6), so remember who ever joined.
				everJoined: new Set(t.participants.map((p) => p.rawId)),
			});
		}
		repeatability = new Map();
		refusedTokens = new Set();
	}
	reset();

	return {
		reset,
		resourceId: seed.resourceId,
		demoUserId: seed.demoUser.id,

		createIdentity() {
			const id = `8:acs:${seed.resourceId}_${crypto.randomUUID()}`;
			identities.set(id, { id });
			return id;
		},
		hasIdentity: (id) => identities.has(id),
		/** A user whose every token chat refuses, as if revoked each time one is issued. */
		refuseTokensOf: (id, on) => (on ? refusedTokens.add(id) : refusedTokens.delete(id)),
		tokensRefused: (id) => refusedTokens.has(id),
		getThread: (id) => threads.get(id),

		/** Threads the user is or was in, newest first (the emulator has no messages to order by). */
		threadsFor(rawId) {
			return [...threads.values()]
				.filter((t) => t.everJoined.has(rawId))
				.sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn) || a.id.localeCompare(b.id));
		},

		createThread({ topic, createdBy, metadata, retentionPolicy, participants }) {
			const id = `19:acsV1_${crypto.randomBytes(20).toString('base64url').replace(/[-_]/g, 'x')}@thread.v2`;
			const thread = {
				id,
				topic,
				createdOn: new Date().toISOString(),
				createdBy,
				metadata,
				retentionPolicy,
				participants: new Map(participants.map((p) => [p.rawId, p])),
				everJoined: new Set(participants.map((p) => p.rawId)),
			};
			threads.set(id, thread);
			return thread;
		},

		removeParticipant(thread, rawId) {
			thread.participants.delete(rawId);
		},

		rememberRequest: (key, value) => repeatability.set(key, value),
		recallRequest: (key) => repeatability.get(key),

		snapshot() {
			return {
				identities: [...identities.keys()],
				threads: [...threads.values()].map((t) => ({
					...threadProperties(t),
					participants: [...t.participants.values()],
				})),
			};
		},
	};
}

module.exports = { createStore };
