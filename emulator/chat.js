'use strict';

const { send, errors } = require('./respond');
const { parseIdentifierModel, identifierModel } = require('./identifiers');
const { verifyToken, CHAT_SCOPES } = require('./auth');

const API_VERSIONS = ['2024-03-07', '2025-03-15'];
const DEFAULT_PAGE_SIZE = 100;
const MAX_BATCH = 200;
const MAX_PARTICIPANTS = 250;
const MAX_METADATA_BYTES = 1024;

/**
 * Chat data-plane operations. Each handler returns after answering; checks run in the order a
 * client can act on: api-version (400), token (401), thread (404), membership/scope (403), body (400).
 */
function createChatApi({ store, key, demoToken, removeMissingParticipant }) {
	/** @returns the caller, or undefined after answering 401/403 */
	function authenticate(ctx) {
		const match = /^Bearer (.+)$/.exec(ctx.req.headers.authorization || '');
		const token = match?.[1].trim();
		// The demo token is accepted by value so it stays valid whatever key the emulator runs with.
		if (token && token === demoToken) return { userId: store.demoUserId, scopes: ['chat'] };
		const result = token ? verifyToken(token, key) : { reason: 'A Bearer user access token is required.' };
		if (!result.reason && !store.hasIdentity(result.userId)) result.reason = 'The token belongs to an unknown identity.';
		if (!result.reason && store.tokensRefused(result.userId)) result.reason = 'The access token has been revoked.';
		if (result.reason) {
			errors.unauthorized(ctx.res, result.reason);
			return undefined;
		}
		if (!result.scopes.some((s) => CHAT_SCOPES.includes(s))) {
			errors.forbidden(ctx.res, 'The token has no chat scope.');
			return undefined;
		}
		return result;
	}

	function begin(ctx) {
		const version = ctx.apiVersion(API_VERSIONS);
		if (!version) return undefined;
		const caller = authenticate(ctx);
		if (!caller) return undefined;
		return { version, caller, rich: version === '2025-03-15' };
	}

	/** @returns the thread, or undefined after answering 404/403 */
	function memberThread(ctx, caller, threadId) {
		const thread = store.getThread(threadId);
		if (!thread) {
			errors.notFound(ctx.res, `Thread ${threadId} was not found.`);
			return undefined;
		}
		if (!thread.participants.has(caller.userId)) {
			errors.forbidden(ctx.res);
			return undefined;
		}
		return thread;
	}

	/** @returns the page size, or undefined after answering 400 */
	function pageSize(ctx) {
		const raw = ctx.url.searchParams.get('maxPageSize');
		if (raw === null) return DEFAULT_PAGE_SIZE;
		const n = Number(raw);
		if (Number.isInteger(n) && n >= 1) return n;
		errors.badRequest(ctx.res, 'maxPageSize must be a positive integer.');
		return undefined;
	}

	function threadProperties(thread, rich) {
		return {
			id: thread.id,
			topic: thread.topic,
			createdOn: thread.createdOn,
			createdByCommunicationIdentifier: identifierModel(thread.createdBy, rich),
			...(rich && thread.metadata ? { metadata: thread.metadata } : {}),
			...(rich && thread.retentionPolicy ? { retentionPolicy: thread.retentionPolicy } : {}),
		};
	}

	function participantModel(p, rich) {
		return {
			communicationIdentifier: identifierModel(p.rawId, rich),
			...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
			...(p.shareHistoryTime !== undefined ? { shareHistoryTime: p.shareHistoryTime } : {}),
			...(rich && p.metadata ? { metadata: p.metadata } : {}),
		};
	}

	function threadUrl(ctx, threadId) {
		// Matches the recorded Location header: the id's ':' is encoded, its '@' is not.
		return `${ctx.baseUrl}/chat/threads/${encodeURIComponent(threadId).replace(/%40/g, '@')}`;
	}

	function listThreads(ctx) {
		const op = begin(ctx);
		if (!op) return;
		const size = pageSize(ctx);
		if (size === undefined) return;
		const startTime = ctx.url.searchParams.get('startTime');
		if (startTime !== null && Number.isNaN(Date.parse(startTime))) return errors.badRequest(ctx.res, 'startTime must be an RFC 3339 date-time.');
		const offset = decodeSyncState(ctx.url.searchParams.get('syncState'));
		if (offset === undefined) return errors.badRequest(ctx.res, 'syncState is not one this server issued.');
		const all = store
			.threadsFor(op.caller.userId)
			.filter((t) => startTime === null || Date.parse(t.createdOn) >= Date.parse(startTime));
		const page = all.slice(offset, offset + size).map((t) => ({ id: t.id, topic: t.topic }));
		const body = { value: page };
		if (offset + size < all.length) {
			const next = new URLSearchParams({ syncState: encodeSyncState(offset + size), maxPageSize: String(size) });
			if (startTime !== null) next.set('startTime', startTime);
			next.set('api-version', op.version);
			body.nextLink = `${ctx.baseUrl}/chat/threads?${next}`;
		}
		send(ctx.res, 200, body);
	}

	function getThread(ctx, threadId) {
		const op = begin(ctx);
		if (!op) return;
		const thread = memberThread(ctx, op.caller, threadId);
		if (!thread) return;
		send(ctx.res, 200, threadProperties(thread, op.rich));
	}

	function listParticipants(ctx, threadId) {
		const op = begin(ctx);
		if (!op) return;
		const thread = memberThread(ctx, op.caller, threadId);
		if (!thread) return;
		const size = pageSize(ctx);
		if (size === undefined) return;
		const rawSkip = ctx.url.searchParams.get('skip');
		const skip = rawSkip === null ? 0 : Number(rawSkip);
		if (!Number.isInteger(skip) || skip < 0) return errors.badRequest(ctx.res, 'skip must be a non-negative integer.');
		const all = [...thread.participants.values()];
		const body = { value: all.slice(skip, skip + size).map((p) => participantModel(p, op.rich)) };
		if (skip + size < all.length) {
			const next = new URLSearchParams({ skip: String(skip + size), maxPageSize: String(size), 'api-version': op.version });
			body.nextLink = `${threadUrl(ctx, threadId)}/participants?${next}`;
		}
		send(ctx.res, 200, body);
	}

	function removeParticipant(ctx, threadId) {
		const op = begin(ctx);
		if (!op) return;
		const thread = memberThread(ctx, op.caller, threadId);
		if (!thread) return;
		if (!op.caller.scopes.some((s) => s === 'chat' || s === 'chat.join')) {
			return errors.forbidden(ctx.res, 'A chat.join.limited token cannot remove participants.');
		}
		const body = ctx.json();
		if (body === undefined) return;
		const parsed = parseIdentifierModel(body);
		if (parsed.error) return errors.badRequest(ctx.res, parsed.error);
		const rawId = parsed.rawIds.find((id) => thread.participants.has(id));
		if (rawId) {
			store.removeParticipant(thread, rawId);
			return send(ctx.res, 204);
		}
		// What the service answers here is UNVERIFIED (contract §6); the emulator's choice is configurable.
		if (removeMissingParticipant === 403) return errors.forbidden(ctx.res, 'The identifier is not a participant of the thread.');
		if (removeMissingParticipant === 404) return errors.notFound(ctx.res, 'The identifier is not a participant of the thread.');
		send(ctx.res, 204);
	}

	function createThread(ctx) {
		const op = begin(ctx);
		if (!op) return;
		if (!op.caller.scopes.includes('chat')) return errors.forbidden(ctx.res, 'Only a chat-scoped token can create threads.');
		const body = ctx.json();
		if (body === undefined) return;
		const requestId = ctx.req.headers['repeatability-request-id'];
		if (requestId) {
			const earlier = store.recallRequest(requestId);
			if (earlier) return answerCreated(ctx, op, store.getThread(earlier.threadId), earlier.invalidParticipants);
		}
		const request = validateCreate(body, op.rich);
		if (request.error) return errors.badRequest(ctx.res, request.error);

		const participants = [];
		const invalidParticipants = [];
		for (const p of request.participants) {
			if (isAcsUser(p.rawId) && !store.hasIdentity(p.rawId)) {
				invalidParticipants.push({ code: '404', message: 'Not found', target: p.rawId });
			} else if (!participants.some((q) => q.rawId === p.rawId)) {
				participants.push(p);
			}
		}
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
		if (requestId) store.rememberRequest(requestId, { threadId: thread.id, invalidParticipants });
		answerCreated(ctx, op, thread, invalidParticipants);
	}

	function answerCreated(ctx, op, thread, invalidParticipants) {
		const body = { chatThread: threadProperties(thread, op.rich) };
		if (invalidParticipants.length) body.invalidParticipants = invalidParticipants;
		send(ctx.res, 201, body, { Location: threadUrl(ctx, thread.id) });
	}

	return { listThreads, getThread, listParticipants, removeParticipant, createThread };
}

/** communicationUser raw IDs are the ones an ACS resource can check against its identities. */
function isAcsUser(rawId) {
	const model = identifierModel(rawId, true);
	return Boolean(model.communicationUser) && !rawId.startsWith('8:spool:');
}

function encodeSyncState(offset) {
	return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeSyncState(value) {
	if (value === null) return 0;
	const match = /^offset:(\d+)$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
	return match ? Number(match[1]) : undefined;
}

function validateMetadata(metadata, where) {
	if (metadata === undefined) return undefined;
	if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return `${where} must be an object of strings.`;
	if (Object.values(metadata).some((v) => typeof v !== 'string')) return `${where} values must be strings.`;
	const size = Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
	if (size > MAX_METADATA_BYTES) return `${where} may hold at most ${MAX_METADATA_BYTES} bytes.`;
	return undefined;
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
 * Checks a CreateChatThreadRequest. Fields 2024-03-07 does not know are ignored under that version,
 * as a service on that version would.
 */
function validateCreate(body, rich) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'The body must be a CreateChatThreadRequest object.' };
	if (typeof body.topic !== 'string') return { error: 'topic is required and must be a string.' };
	const list = body.participants ?? [];
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
	if (!rich) return { topic: body.topic, participants };
	const error = validateMetadata(body.metadata, 'metadata') || validateRetentionPolicy(body.retentionPolicy);
	if (error) return { error };
	return { topic: body.topic, participants, metadata: body.metadata, retentionPolicy: body.retentionPolicy };
}

module.exports = { createChatApi };
