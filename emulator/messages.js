'use strict';

const { send, errors } = require('./respond');
const { identifierModel } = require('./identifiers');
const { validateMetadata, mergeMetadata, hasEntries } = require('./chatContext');

/** ACS's message size limit, read as 28 KiB of UTF-8 content (whether other fields count is UNVERIFIED). */
const MAX_CONTENT_BYTES = 28 * 1024;
/** List Messages pages hold at most 200; asking for more is refused here (whether ACS clamps instead is UNVERIFIED). */
const MAX_MESSAGE_PAGE = 200;
const USER_TYPES = ['text', 'html'];

/**
 * Messages, read receipts and typing notifications of a thread. Messages are listed newest first (by sequence
 * id) with a cursor on the last sequence id a page held, so messages sent while a client pages through do not
 * shift its pages. Edits give a message a new `version` and `editedOn`; a deleted message stays in the list and
 * can still be read, with `deletedOn` and no content (that ACS keeps it listed is what its clients expect; the
 * exact deleted form is UNVERIFIED). Only its sender may edit or delete a message, as the docs say; system
 * messages cannot be changed.
 */
function createMessageApi({ store, context }) {
	const { beginInThread, pageSize, skip, startTime, cursor, nextLink, threadPath, locationPath, mergePatch, participantModel } = context;

	function messageModel(m, rich) {
		const initiator = m.initiator && { initiatorCommunicationIdentifier: identifierModel(m.initiator, rich) };
		let content;
		if (m.deletedOn) content = undefined;
		else if (USER_TYPES.includes(m.type)) content = { message: m.content };
		else if (m.type === 'topicUpdated') content = { topic: m.topic, ...initiator };
		else content = { participants: m.participants.map((p) => participantModel(p, rich)), ...initiator };
		return {
			id: m.id,
			type: m.type,
			sequenceId: String(m.sequenceId),
			version: m.version,
			...(content ? { content } : {}),
			...(m.senderDisplayName !== undefined ? { senderDisplayName: m.senderDisplayName } : {}),
			createdOn: m.createdOn,
			...(m.senderId ? { senderCommunicationIdentifier: identifierModel(m.senderId, rich) } : {}),
			...(m.deletedOn ? { deletedOn: m.deletedOn } : {}),
			...(m.editedOn ? { editedOn: m.editedOn } : {}),
			...(hasEntries(m.metadata) ? { metadata: m.metadata } : {}),
		};
	}

	/** @returns the message, or undefined after answering 404 */
	function findMessage(ctx, thread, messageId) {
		const message = store.getMessage(thread, messageId);
		if (!message) errors.notFound(ctx.res, `Message ${messageId} was not found in the thread.`);
		return message;
	}

	/** @returns the message the caller may change, or undefined after answering 404/403 */
	function ownMessage(ctx, op, messageId) {
		const message = findMessage(ctx, op.thread, messageId);
		if (!message) return undefined;
		if (!USER_TYPES.includes(message.type)) {
			errors.forbidden(ctx.res, 'System messages cannot be changed.');
			return undefined;
		}
		if (message.senderId !== op.caller.userId) {
			errors.forbidden(ctx.res, 'Only the sender of a message can change it.');
			return undefined;
		}
		return message;
	}

	/** @returns an error text for message content, or undefined when it is acceptable */
	function contentError(content) {
		if (typeof content !== 'string' || content.length === 0) return 'content is required and must be a non-empty string.';
		const bytes = Buffer.byteLength(content);
		if (bytes > MAX_CONTENT_BYTES) return `content may hold at most ${MAX_CONTENT_BYTES} bytes (28 KB); it has ${bytes}.`;
		return undefined;
	}

	function sendMessage(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const body = ctx.json();
		if (body === undefined) return;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return errors.badRequest(ctx.res, 'The body must be a SendChatMessageRequest object.');
		const type = body.type ?? 'text';
		const error =
			contentError(body.content) ||
			(USER_TYPES.includes(type) ? undefined : `type must be one of ${USER_TYPES.join(', ')}.`) ||
			(body.senderDisplayName !== undefined && typeof body.senderDisplayName !== 'string' ? 'senderDisplayName must be a string.' : undefined) ||
			validateMetadata(body.metadata, 'metadata', Infinity);
		if (error) return errors.badRequest(ctx.res, error);
		const message = store.sendMessage(op.thread, {
			type,
			content: body.content,
			senderId: op.caller.userId,
			senderDisplayName: body.senderDisplayName,
			metadata: body.metadata,
		});
		send(ctx.res, 201, { id: message.id }, { Location: `${ctx.baseUrl}${locationPath(threadId)}/messages/${message.id}` });
	}

	function listMessages(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const size = pageSize(ctx, MAX_MESSAGE_PAGE);
		if (size === undefined) return;
		const since = startTime(ctx);
		if (since === undefined) return;
		const after = cursor(ctx);
		if (after === undefined) return;
		if (after && !Number.isInteger(after.seq)) return errors.badRequest(ctx.res, 'syncState is not one this server issued.');
		const { messages } = op.thread;
		// One more than a page, to know whether there is a next one.
		const found = [];
		for (let i = after ? after.seq - 2 : messages.length - 1; i >= 0 && found.length <= size; i--) {
			if (since === null || Date.parse(messages[i].createdOn) >= since) found.push(messages[i]);
		}
		const page = found.slice(0, size);
		const body = { value: page.map((m) => messageModel(m, op.rich)) };
		if (found.length > size) body.nextLink = nextLink(ctx, op, `${threadPath(threadId)}/messages`, { syncState: { seq: page[page.length - 1].sequenceId } }, size);
		send(ctx.res, 200, body);
	}

	function getMessage(ctx, threadId, messageId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const message = findMessage(ctx, op.thread, messageId);
		if (message) send(ctx.res, 200, messageModel(message, op.rich));
	}

	function updateMessage(ctx, threadId, messageId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const message = ownMessage(ctx, op, messageId);
		if (!message) return;
		if (message.deletedOn) return errors.notFound(ctx.res, `Message ${messageId} was deleted.`);
		const body = mergePatch(ctx);
		if (!body) return;
		const changes = {};
		if (body.content !== undefined) {
			const error = contentError(body.content);
			if (error) return errors.badRequest(ctx.res, error);
			changes.content = body.content;
		}
		if (body.metadata !== undefined) {
			const merged = mergeMetadata(message.metadata, body.metadata, 'metadata', Infinity);
			if (merged.error) return errors.badRequest(ctx.res, merged.error);
			changes.metadata = merged.value;
		}
		store.editMessage(message, changes);
		send(ctx.res, 204);
	}

	function deleteMessage(ctx, threadId, messageId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const message = ownMessage(ctx, op, messageId);
		if (!message) return;
		// Deleting again is a success with nothing to do, so a retried DELETE does not fail.
		if (!message.deletedOn) store.deleteMessage(message);
		send(ctx.res, 204);
	}

	function sendReadReceipt(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const body = ctx.json();
		if (body === undefined) return;
		if (typeof body?.chatMessageId !== 'string') return errors.badRequest(ctx.res, 'chatMessageId is required and must be a string.');
		const message = findMessage(ctx, op.thread, body.chatMessageId);
		if (!message) return;
		store.sendReadReceipt(op.thread, op.caller.userId, message);
		send(ctx.res, 200);
	}

	function listReadReceipts(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const size = pageSize(ctx);
		if (size === undefined) return;
		const from = skip(ctx);
		if (from === undefined) return;
		const all = [...op.thread.readReceipts.values()];
		const body = {
			value: all.slice(from, from + size).map((r) => ({
				senderCommunicationIdentifier: identifierModel(r.rawId, op.rich),
				chatMessageId: r.chatMessageId,
				readOn: r.readOn,
			})),
		};
		if (from + size < all.length) body.nextLink = nextLink(ctx, op, `${threadPath(threadId)}/readReceipts`, { skip: from + size }, size);
		send(ctx.res, 200, body);
	}

	/** Nothing is delivered anywhere (the emulator has no notification channel); the request is checked and logged. */
	function sendTypingNotification(ctx, threadId) {
		const op = beginInThread(ctx, threadId);
		if (!op) return;
		const body = ctx.body.length ? ctx.json() : {};
		if (body === undefined) return;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return errors.badRequest(ctx.res, 'The body must be a SendTypingNotificationRequest object.');
		if (body.senderDisplayName !== undefined && typeof body.senderDisplayName !== 'string') {
			return errors.badRequest(ctx.res, 'senderDisplayName must be a string.');
		}
		send(ctx.res, 200);
	}

	return { sendMessage, listMessages, getMessage, updateMessage, deleteMessage, sendReadReceipt, listReadReceipts, sendTypingNotification };
}

module.exports = { createMessageApi, MAX_CONTENT_BYTES };
