'use strict';

const crypto = require('node:crypto');
const { send, errors } = require('./respond');
const { parseIdentifierModel, identifierModel } = require('./identifiers');
const { validateMetadata, mergeMetadata, hasEntries } = require('./chatContext');

const MAX_BATCH = 200;
const MAX_PARTICIPANTS = 250;

/**
 * Chat thread and participant operations. Each handler returns after answering; checks run in the order a
 * client can act on: api-version (400), token (401), thread (404), membership/scope (403), body (400).
 * Participants that name an ACS user the resource does not know are reported in `invalidParticipants` of a
 * 201 while the others are added, as ACS does; the batch (200) and thread (250) limits refuse the request.
 */
function createChatApi({ store, context, removeMissingParticipant }) {
	const { begin, beginInThread, pageSize, skip, startTime, cursor, nextLink, threadPath, locationPath, mergePatch, participantModel } = context;

	function threadProperties(thread, rich) {
		return {
			id: thread.id,
			topic: thread.topic,
			createdOn: thread.createdOn,
			createdByCommunicationIdentifier: identifierModel(thread.createdBy, rich),
			...(rich && hasEntries(thread.metadata) ? { metadata: thread.metadata } : {}),
			...(rich && thread.retentionPolicy ? { retentionPolicy: thread.retentionPolicy } : {}),
		};
	}

	/** Newest activity first; a cursor names the last thread a page held, by its time and id. */
	function listThreads(ctx) {
		const op = begin(ctx);
		if (!op) return;
		const size = pageSize(ctx);
		if (size === undefined) return;
		const since = startTime(ctx);
		if (since === undefined) return;
		const after = cursor(ctx);
		if (after === undefined) return;
		const isAfter = (t) => !after || Date.parse(t.lastMessageReceivedOn) < after.t || (Date.parse(t.lastMessageReceivedOn) === after.t && t.id > after.id);
		const all = store
			.threadsFor(op.caller.userId)
			.filter((t) => (since === null || Date.parse(t.lastMessageReceivedOn) >= since) && isAfter(t));
		const page = all.slice(0, size);
		const body = {
			value: page.map((t) => ({
				id: t.id,
				topic: t.topic,
				...(t.deletedOn ? { deletedOn: t.deletedOn } : {}),
				lastMessageReceivedOn: t.lastMessageReceivedOn,
			})),
		};
		if (all.length > size) {
			const last = page[page.length - 1];
			body.nextLink = nextLink(ctx, op, '/chat/threads', { syncState: { t: Date.parse(last.lastMessageReceivedOn), id: last.id } }, size);
		}
		send(ctx.res, 200, body);
	}

	function getThread(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		send(ctx.res, 200, threadProperties(op.thread, op.rich));
	}

	function updateThread(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		if (!op.caller.scopes.includes('chat')) return errors.forbidden(ctx.res, 'Only a chat-scoped token can update threads.');
		const body = mergePatch(ctx);
		if (!body) return;
		if (body.topic !== undefined && typeof body.topic !== 'string') return errors.badRequest(ctx.res, 'topic must be a string.');
		const changes = { topic: body.topic };
		// 2024-03-07 knows only the topic; its service would ignore the rest.
		if (op.rich && body.metadata !== undefined) {
			const merged = mergeMetadata(op.thread.metadata, body.metadata, 'metadata');
			if (merged.error) return errors.badRequest(ctx.res, merged.error);
			changes.metadata = merged.value;
		}
		if (op.rich && body.retentionPolicy !== undefined) {
			const error = body.retentionPolicy === null ? undefined : validateRetentionPolicy(body.retentionPolicy);
			if (error) return errors.badRequest(ctx.res, error);
			changes.retentionPolicy = body.retentionPolicy;
		}
		store.updateThread(op.thread, changes, op.caller.userId);
		send(ctx.res, 204);
	}

	function deleteThread(ctx, threadId) {
		const op = begin(ctx);
		if (!op) return;
		const thread = store.getThread(threadId);
		if (!thread) return errors.notFound(ctx.res, `Thread ${threadId} was not found.`);
		// Deleting again is a success with nothing to do (decided here: a retried DELETE must not fail).
		if (thread.deletedOn) return send(ctx.res, 204);
		if (!thread.participants.has(op.caller.userId)) return errors.forbidden(ctx.res);
		if (!op.caller.scopes.includes('chat')) return errors.forbidden(ctx.res, 'Only a chat-scoped token can delete threads.');
		store.deleteThread(thread);
		send(ctx.res, 204);
	}

	function listParticipants(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const size = pageSize(ctx);
		if (size === undefined) return;
		const from = skip(ctx);
		if (from === undefined) return;
		const all = [...op.thread.participants.values()];
		const body = { value: all.slice(from, from + size).map((p) => participantModel(p, op.rich)) };
		if (from + size < all.length) body.nextLink = nextLink(ctx, op, `${threadPath(threadId)}/participants`, { skip: from + size }, size);
		send(ctx.res, 200, body);
	}

	/** Splits checked participants into those that can join and the `invalidParticipants` entries of the rest. */
	function sortParticipants(participants) {
		const valid = [];
		const invalid = [];
		for (const p of participants) {
			if (isAcsUser(p.rawId) && !store.hasIdentity(p.rawId)) {
				invalid.push({ code: '404', message: 'Not found', target: p.rawId });
			} else if (!valid.some((q) => q.rawId === p.rawId)) {
				valid.push(p);
			}
		}
		return { valid, invalid };
	}

	function addParticipants(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		if (!op.caller.scopes.some((s) => s === 'chat' || s === 'chat.join')) {
			return errors.forbidden(ctx.res, 'A chat.join.limited token cannot add participants.');
		}
		const body = ctx.json();
		if (body === undefined) return;
		if (!body || typeof body !== 'object' || !Array.isArray(body.participants) || body.participants.length === 0) {
			return errors.badRequest(ctx.res, 'participants is required: a non-empty array of ChatParticipant.');
		}
		const parsed = parseParticipants(body.participants, op.rich);
		if (parsed.error) return errors.badRequest(ctx.res, parsed.error);
		const { valid, invalid } = sortParticipants(parsed.participants);
		const joining = valid.filter((p) => !op.thread.participants.has(p.rawId)).length;
		// ACS answers a request over its participant limits with 400 (Azure/Communication#379 for the batch
		// limit); that the thread limit refuses the whole request the same way is UNVERIFIED.
		if (op.thread.participants.size + joining > MAX_PARTICIPANTS) {
			return errors.badRequest(ctx.res, `A thread holds at most ${MAX_PARTICIPANTS} participants; it has ${op.thread.participants.size} and this adds ${joining}.`);
		}
		store.addParticipants(op.thread, valid, op.caller.userId);
		send(ctx.res, 201, invalid.length ? { invalidParticipants: invalid } : {});
	}

	function removeParticipant(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		if (!op.caller.scopes.some((s) => s === 'chat' || s === 'chat.join')) {
			return errors.forbidden(ctx.res, 'A chat.join.limited token cannot remove participants.');
		}
		const body = ctx.json();
		if (body === undefined) return;
		const parsed = parseIdentifierModel(body);
		if (parsed.error) return errors.badRequest(ctx.res, parsed.error);
		const rawId = parsed.rawIds.find((id) => op.thread.participants.has(id));
		if (rawId) {
			store.removeParticipant(op.thread, rawId, op.caller.userId);
			return send(ctx.res, 204);
		}
		// What the service answers here is UNVERIFIED (contract §6); the emulator's choice is configurable.
		if (removeMissingParticipant === 403) return errors.forbidden(ctx.res, 'The identifier is not a participant of the thread.');
		if (removeMissingParticipant === 404) return errors.notFound(ctx.res, 'The identifier is not a participant of the thread.');
		send(ctx.res, 204);
	}

	/**
	 * `repeatability-request-id`: the same id with the same body answers the first result again without a second
	 * thread; with another body it is refused with 400, as ACS's repeatable-requests page gives for a reused id
	 * that does not match (written for Email and Rooms; for chat UNVERIFIED).
	 */
	function createThread(ctx) {
		const op = begin(ctx);
		if (!op) return;
		if (!op.caller.scopes.includes('chat')) return errors.forbidden(ctx.res, 'Only a chat-scoped token can create threads.');
		const body = ctx.json();
		if (body === undefined) return;
		const requestId = ctx.req.headers['repeatability-request-id'];
		const fingerprint = crypto.createHash('sha256').update(canonicalJson(body)).digest('base64');
		if (requestId) {
			const earlier = store.recallRequest(requestId);
			if (earlier && earlier.fingerprint !== fingerprint) {
				return errors.badRequest(ctx.res, 'The repeatability-request-id was already used with a different request.');
			}
			if (earlier) return answerCreated(ctx, op, store.getThread(earlier.threadId), earlier.invalidParticipants);
		}
		const request = validateCreate(body, op.rich);
		if (request.error) return errors.badRequest(ctx.res, request.error);

		const { valid: participants, invalid: invalidParticipants } = sortParticipants(request.participants);
		// Whether the service adds a creator who did not list themself is UNVERIFIED; adding them keeps
		// the new thread usable with the creator's own token.
		if (!participants.some((p) => p.rawId === op.caller.userId)) participants.unshift({ rawId: op.caller.userId });
		if (participants.length > MAX_PARTICIPANTS) return errors.badRequest(ctx.res, `A thread holds at most ${MAX_PARTICIPANTS} participants.`);

		const thread = store.createThread({
			topic: request.topic,
			createdBy: op.caller.userId,
			metadata: request.metadata,
			retentionPolicy: request.retentionPolicy,
			participants,
		});
		if (requestId) store.rememberRequest(requestId, { threadId: thread.id, invalidParticipants, fingerprint });
		answerCreated(ctx, op, thread, invalidParticipants);
	}

	function answerCreated(ctx, op, thread, invalidParticipants) {
		const body = { chatThread: threadProperties(thread, op.rich) };
		if (invalidParticipants.length) body.invalidParticipants = invalidParticipants;
		send(ctx.res, 201, body, { Location: `${ctx.baseUrl}${locationPath(thread.id)}` });
	}

	return { listThreads, getThread, updateThread, deleteThread, listParticipants, addParticipants, removeParticipant, createThread };
}

/** communicationUser raw IDs are the ones an ACS resource can check against its identities. */
function isAcsUser(rawId) {
	const model = identifierModel(rawId, true);
	return Boolean(model.communicationUser) && !rawId.startsWith('8:spool:');
}

/** JSON with object keys sorted, so two bodies that differ only in key order compare equal. */
function canonicalJson(value) {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

function validateRetentionPolicy(policy) {
	if (policy === undefined) return undefined;
	if (policy?.kind === 'none') return undefined;
	if (policy?.kind === 'threadCreationDate') {
		const days = policy.deleteThreadAfterDays;
		return Number.isInteger(days) && days >= 30 && days <= 90 ? undefined : 'deleteThreadAfterDays must be an integer from 30 to 90.';
	}
	return 'retentionPolicy.kind must be threadCreationDate or none.';
}

/**
 * Checks a list of ChatParticipant (create thread, add participants), at most MAX_BATCH of them. Metadata is a
 * 2025-03-15 field and is dropped under 2024-03-07, as a service on that version would.
 * @returns {{ participants: object[] } | { error: string }}
 */
function parseParticipants(list, rich) {
	if (!Array.isArray(list)) return { error: 'participants must be an array.' };
	if (list.length > MAX_BATCH) return { error: `At most ${MAX_BATCH} participants can be added at once.` };
	const participants = [];
	for (const [i, p] of list.entries()) {
		if (!p || typeof p !== 'object') return { error: `participants[${i}] must be a ChatParticipant object.` };
		const id = parseIdentifierModel(p.communicationIdentifier);
		if (id.error) return { error: `participants[${i}].communicationIdentifier: ${id.error}` };
		if (p.displayName !== undefined && typeof p.displayName !== 'string') return { error: `participants[${i}].displayName must be a string.` };
		if (p.shareHistoryTime !== undefined && Number.isNaN(Date.parse(p.shareHistoryTime))) {
			return { error: `participants[${i}].shareHistoryTime must be a date-time.` };
		}
		const metadataError = rich && validateMetadata(p.metadata, `participants[${i}].metadata`);
		if (metadataError) return { error: metadataError };
		participants.push({
			rawId: id.rawIds[0],
			displayName: p.displayName,
			shareHistoryTime: p.shareHistoryTime,
			metadata: rich ? p.metadata : undefined,
		});
	}
	return { participants };
}

/** Checks a CreateChatThreadRequest; fields 2024-03-07 does not know are ignored under that version. */
function validateCreate(body, rich) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'The body must be a CreateChatThreadRequest object.' };
	if (typeof body.topic !== 'string') return { error: 'topic is required and must be a string.' };
	const parsed = parseParticipants(body.participants ?? [], rich);
	if (parsed.error) return parsed;
	if (!rich) return { topic: body.topic, participants: parsed.participants };
	const error = validateMetadata(body.metadata, 'metadata') || validateRetentionPolicy(body.retentionPolicy);
	if (error) return { error };
	return { topic: body.topic, participants: parsed.participants, metadata: body.metadata, retentionPolicy: body.retentionPolicy };
}

module.exports = { createChatApi };
