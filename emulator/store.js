'use strict';

const crypto = require('node:crypto');

/** A thread's own properties, shared by the seed, the live record and the snapshot, without its participants. */
function threadProperties({ id, topic, createdOn, createdBy, metadata, retentionPolicy, deletedOn }) {
	return { id, topic, createdOn, createdBy, metadata, retentionPolicy, deletedOn };
}

/**
 * In-memory identities, threads and their messages. Participants are keyed by raw ID, the one stable name every
 * identifier kind has. Everything here is plain data so a reset can rebuild it from the seed.
 *
 * Messages live in each thread in sequence order (an array, so paging newest first is a walk from the end). A
 * message id is a millisecond timestamp, as ACS's are; one clock for the whole store hands out strictly
 * increasing instants, so ids stay unique and `createdOn` ordered even when many messages share a millisecond
 * (a bulk insert runs the clock ahead of real time by one millisecond per message). A new thread gets the
 * system messages ACS writes at creation: the topic and the participants it starts with.
 */
function createStore(seed) {
	let identities;
	let threads;
	let repeatability;
	let refusedTokens;
	let lastInstant;

	/** A strictly increasing instant in ms, at least now. */
	function nextInstant() {
		lastInstant = Math.max(Date.now(), lastInstant + 1);
		return lastInstant;
	}

	function newThread({ id, topic, createdOn, createdBy, metadata, retentionPolicy, participants }) {
		const thread = {
			...threadProperties({ id, topic, createdOn, createdBy, metadata, retentionPolicy }),
			participants: new Map(participants.map((p) => [p.rawId, { ...p }])),
			// Removed users still see the thread in their list (contract §6), so remember who ever joined.
			everJoined: new Set(participants.map((p) => p.rawId)),
			messages: [],
			byId: new Map(),
			readReceipts: new Map(),
			lastMessageReceivedOn: createdOn,
		};
		// What ACS writes into a new thread is UNVERIFIED in order and exact content; clients see both kinds.
		const at = Date.parse(createdOn);
		appendMessage(thread, { type: 'topicUpdated', topic, initiator: createdBy }, at);
		appendMessage(thread, { type: 'participantAdded', participants: [...thread.participants.values()], initiator: createdBy }, at + 1);
		return thread;
	}

	/** Appends a message to a thread at instant `at` (ms), which must be later than its last message. */
	function appendMessage(thread, fields, at) {
		const message = {
			id: String(at),
			sequenceId: thread.messages.length + 1,
			version: String(at),
			createdOn: new Date(at).toISOString(),
			...fields,
		};
		thread.messages.push(message);
		thread.byId.set(message.id, message);
		thread.lastMessageReceivedOn = message.createdOn;
		return message;
	}

	function reset() {
		identities = new Map(seed.identities.map((id) => [id, { id, revocations: 0 }]));
		identities.set(seed.demoUser.id, { id: seed.demoUser.id, revocations: 0 });
		threads = new Map(seed.threads.map((t) => [t.id, newThread(t)]));
		repeatability = new Map();
		refusedTokens = new Set();
		lastInstant = 0;
	}
	reset();

	return {
		reset,
		resourceId: seed.resourceId,
		demoUserId: seed.demoUser.id,

		createIdentity() {
			const id = `8:acs:${seed.resourceId}_${crypto.randomUUID()}`;
			identities.set(id, { id, revocations: 0 });
			return id;
		},
		hasIdentity: (id) => identities.has(id),
		deleteIdentity: (id) => identities.delete(id),
		/** Revoking counts up the user's generation; tokens carry the generation they were issued in. */
		revokeTokens(id) {
			identities.get(id).revocations += 1;
		},
		tokenGeneration: (id) => identities.get(id)?.revocations ?? 0,
		/** A user whose every token chat refuses, as if revoked each time one is issued. */
		refuseTokensOf: (id, on) => (on ? refusedTokens.add(id) : refusedTokens.delete(id)),
		tokensRefused: (id) => refusedTokens.has(id),
		getThread: (id) => threads.get(id),

		/** Threads the user is or was in, deleted ones included, newest activity first. */
		threadsFor(rawId) {
			return [...threads.values()]
				.filter((t) => t.everJoined.has(rawId))
				.sort((a, b) => Date.parse(b.lastMessageReceivedOn) - Date.parse(a.lastMessageReceivedOn) || a.id.localeCompare(b.id));
		},

		createThread({ topic, createdBy, metadata, retentionPolicy, participants }) {
			const id = `19:acsV1_${crypto.randomBytes(20).toString('base64url').replace(/[-_]/g, 'x')}@thread.v2`;
			// Two instants: the creation messages need one each.
			const createdOn = new Date(nextInstant()).toISOString();
			nextInstant();
			const thread = newThread({ id, topic, createdOn, createdBy, metadata, retentionPolicy, participants });
			threads.set(id, thread);
			return thread;
		},

		deleteThread(thread) {
			thread.deletedOn = new Date(nextInstant()).toISOString();
		},

		/** Applies an already checked update; a topic, even an unchanged one, is announced as ACS does. */
		updateThread(thread, { topic, metadata, retentionPolicy }, initiator) {
			if (metadata !== undefined) thread.metadata = metadata;
			if (retentionPolicy !== undefined) thread.retentionPolicy = retentionPolicy ?? undefined;
			if (topic !== undefined) {
				thread.topic = topic;
				appendMessage(thread, { type: 'topicUpdated', topic, initiator }, nextInstant());
			}
		},

		/** Adds or updates participants; announces the ones that were not in the thread. */
		addParticipants(thread, participants, initiator) {
			const added = [];
			for (const p of participants) {
				const existing = thread.participants.get(p.rawId);
				if (existing) {
					Object.assign(existing, Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
					continue;
				}
				thread.participants.set(p.rawId, { ...p });
				thread.everJoined.add(p.rawId);
				added.push(p);
			}
			if (added.length) appendMessage(thread, { type: 'participantAdded', participants: added, initiator }, nextInstant());
		},

		removeParticipant(thread, rawId, initiator) {
			const removed = thread.participants.get(rawId);
			thread.participants.delete(rawId);
			appendMessage(thread, { type: 'participantRemoved', participants: [removed], initiator }, nextInstant());
		},

		/** A text or html message; fields: type, content, senderId, senderDisplayName, metadata. */
		sendMessage: (thread, fields) => appendMessage(thread, fields, nextInstant()),

		/** `count` text messages from `senderId`, numbered from the thread's next sequence id, fast. */
		bulkMessages(thread, { count, senderId, senderDisplayName, content = 'Message' }) {
			const first = thread.messages.length + 1;
			for (let i = 0; i < count; i++) {
				appendMessage(thread, { type: 'text', content: `${content} ${first + i}`, senderId, senderDisplayName }, nextInstant());
			}
			return thread.messages.slice(first - 1);
		},

		getMessage: (thread, id) => thread.byId.get(id),

		editMessage(message, { content, metadata }) {
			const at = nextInstant();
			if (content !== undefined) message.content = content;
			if (metadata !== undefined) message.metadata = metadata;
			message.version = String(at);
			message.editedOn = new Date(at).toISOString();
		},

		deleteMessage(message) {
			const at = nextInstant();
			message.deletedOn = new Date(at).toISOString();
			message.version = String(at);
		},

		/** One receipt per reader, for the latest message they read (an older one does not move it back). */
		sendReadReceipt(thread, rawId, message) {
			const current = thread.readReceipts.get(rawId);
			if (current && current.sequenceId > message.sequenceId) return;
			thread.readReceipts.set(rawId, { rawId, chatMessageId: message.id, sequenceId: message.sequenceId, readOn: new Date(nextInstant()).toISOString() });
		},

		rememberRequest: (key, value) => repeatability.set(key, value),
		recallRequest: (key) => repeatability.get(key),

		snapshot() {
			return {
				identities: [...identities.keys()],
				threads: [...threads.values()].map((t) => ({
					...threadProperties(t),
					lastMessageReceivedOn: t.lastMessageReceivedOn,
					participants: [...t.participants.values()],
					messages: t.messages.map((m) => ({ ...m })),
					readReceipts: [...t.readReceipts.values()].map((r) => ({ ...r })),
				})),
			};
		},
	};
}

module.exports = { createStore };
