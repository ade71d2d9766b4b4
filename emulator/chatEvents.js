'use strict';

const crypto = require('node:crypto');
const { identifierModel } = require('./identifiers');
const { tokenUser } = require('./auth');

const PREFIX = 'Microsoft.Communication.';

/**
 * The chat events ACS publishes to Event Grid, made from the chat operations the emulator performs, in the
 * payloads of MicrosoftDocs azure-docs `articles/event-grid/communication-services-chat-events.md` and the
 * data-plane spec (`AzureCommunicationServices.json`). It watches from outside the chat code: `observe`
 * is called with a chat route before its handler runs, notes what the operation may change, and returns a
 * function to call after it, which compares and publishes the events of what did change (so a replayed create,
 * a second delete or a remove of a non-participant publish nothing). Bulk messages (admin) publish nothing.
 *
 * Thread-level events (one per change): ChatThreadCreated, ChatThreadPropertiesUpdated, ChatThreadDeleted,
 * ChatThreadParticipantAdded / Removed (one per participant), ChatMessageReceivedInThread, ChatMessageEditedInThread,
 * ChatMessageDeletedInThread. User-level events go to every ACS user in the thread but the one who acted, as the
 * docs say ("excluding the event sender"); which users count is UNVERIFIED (here: communicationUser identities;
 * on adds, the participants after the add; on removals and deletions, those before it, so the removed one hears).
 *
 * Decided here from the docs' examples, UNVERIFIED against the service: thread-level events carry the topic
 * lower-cased and user-level ones as the resource id is written (the docs show both); a message event's
 * `version` is a string in thread-level events and a number in user-level ones; `metadata` is sent even empty;
 * `type` is "Text" or "Html"; a thread's `version` is the time of the change in ms; `dataVersion` is "1.0".
 * State: none of its own (it reads the store).
 */
function createChatEvents({ store, resourceId, publish }) {
	const threadTopic = resourceId.toLowerCase();
	const id = (rawId) => identifierModel(rawId, false);
	const isAcsUser = (rawId) => Boolean(id(rawId).communicationUser);

	function envelope(eventType, { subject, data, userLevel }) {
		return {
			id: crypto.randomUUID(),
			topic: userLevel ? resourceId : threadTopic,
			subject,
			data,
			eventType: PREFIX + eventType,
			dataVersion: '1.0',
			metadataVersion: '1',
			eventTime: new Date().toISOString(),
		};
	}

	/** A thread-level event, and the user-level one for each recipient, all sharing the operation's transactionId. */
	function fanOut({ threadId, transactionId, recipients, thread, user }) {
		const events = [envelope(thread.type, { subject: `thread/${threadId}/${thread.subject}`, data: { ...thread.data, threadId, transactionId } })];
		if (!user) return events;
		for (const rawId of recipients) {
			events.push(
				envelope(user.type, {
					userLevel: true,
					subject: `thread/${threadId}/${user.subject}/recipient/${rawId}`,
					// The docs' participant events carry only the identifier model of the recipient; the others also its raw ID.
					data: { ...user.data, ...(user.withRecipientId === false ? {} : { recipientId: rawId }), recipientCommunicationIdentifier: id(rawId), threadId, transactionId },
				}),
			);
		}
		return events;
	}

	const transaction = () => `${crypto.randomBytes(16).toString('base64').slice(0, 22)}.1.1.1.1.${crypto.randomInt(1e9)}.1`;
	const recipientsOf = (rawIds, actor) => [...rawIds].filter((r) => r !== actor && isAcsUser(r));
	const participantView = (p) => ({
		displayName: p.displayName ?? '',
		participantCommunicationIdentifier: id(p.rawId),
		...(p.metadata && Object.keys(p.metadata).length ? { metadata: p.metadata } : {}),
	});

	function threadCreated(thread) {
		const participants = [...thread.participants.values()];
		const common = {
			createdByCommunicationIdentifier: id(thread.createdBy),
			properties: { topic: thread.topic },
			metadata: thread.metadata ?? {},
			participants: participants.map(participantView),
			createTime: thread.createdOn,
			version: Date.parse(thread.createdOn),
		};
		return fanOut({
			threadId: thread.id,
			transactionId: transaction(),
			recipients: recipientsOf(thread.participants.keys(), thread.createdBy),
			thread: { type: 'ChatThreadCreated', subject: `createdBy/${thread.createdBy}`, data: common },
			user: {
				type: 'ChatThreadCreatedWithUser',
				subject: `createdBy/${thread.createdBy}`,
				data: { createdBy: thread.createdBy, ...common, members: participants.map((p) => ({ displayName: p.displayName ?? '', memberId: p.rawId })) },
			},
		});
	}

	function propertiesUpdated(thread, actor) {
		const now = new Date();
		const common = {
			editedByCommunicationIdentifier: id(actor),
			editTime: now.toISOString(),
			properties: { topic: thread.topic },
			metadata: thread.metadata ?? {},
			createTime: thread.createdOn,
			version: now.getTime(),
		};
		return fanOut({
			threadId: thread.id,
			transactionId: transaction(),
			recipients: recipientsOf(thread.participants.keys(), actor),
			thread: { type: 'ChatThreadPropertiesUpdated', subject: `editedBy/${actor}`, data: common },
			user: { type: 'ChatThreadPropertiesUpdatedPerUser', subject: `editedBy/${actor}`, data: { editedBy: actor, ...common } },
		});
	}

	function threadDeleted(thread, actor) {
		const common = { deletedByCommunicationIdentifier: id(actor), deleteTime: thread.deletedOn, createTime: thread.createdOn, version: Date.parse(thread.deletedOn) };
		return fanOut({
			threadId: thread.id,
			transactionId: transaction(),
			recipients: recipientsOf(thread.participants.keys(), actor),
			thread: { type: 'ChatThreadDeleted', subject: `deletedBy/${actor}`, data: common },
			user: { type: 'ChatThreadWithUserDeleted', subject: `deletedBy/${actor}`, data: { deletedBy: actor, ...common } },
		});
	}

	/** `change`: 'added' or 'removed'; `recipients`: who hears of it (user level). */
	function participantChanged(thread, participant, actor, change, recipients) {
		const added = change === 'added';
		const common = {
			time: new Date().toISOString(),
			[added ? 'addedByCommunicationIdentifier' : 'removedByCommunicationIdentifier']: id(actor),
			[added ? 'participantAdded' : 'participantRemoved']: participantView(participant),
			createTime: thread.createdOn,
			version: Date.now(),
		};
		return fanOut({
			threadId: thread.id,
			transactionId: transaction(),
			recipients: recipientsOf(recipients, actor),
			thread: { type: added ? 'ChatThreadParticipantAdded' : 'ChatThreadParticipantRemoved', subject: `participant${change}/${participant.rawId}`, data: common },
			user: {
				type: added ? 'ChatParticipantAddedToThreadWithUser' : 'ChatParticipantRemovedFromThreadWithUser',
				subject: `participant${added ? 'Added' : 'Removed'}/${participant.rawId}`,
				data: common,
				withRecipientId: false,
			},
		});
	}

	/** `change`: Received, Edited or Deleted. */
	function messageEvent(thread, message, change) {
		const sender = message.senderId;
		const common = {
			messageId: message.id,
			senderCommunicationIdentifier: id(sender),
			senderDisplayName: message.senderDisplayName ?? '',
			composeTime: message.createdOn,
			type: message.type === 'html' ? 'Html' : 'Text',
			...(change === 'Edited' ? { editTime: message.editedOn } : {}),
			...(change === 'Deleted' ? { deleteTime: message.deletedOn } : { messageBody: message.content, metadata: message.metadata ?? {} }),
		};
		return fanOut({
			threadId: thread.id,
			transactionId: transaction(),
			recipients: recipientsOf(thread.participants.keys(), sender),
			thread: { type: `ChatMessage${change}InThread`, subject: `sender/${sender}`, data: { ...common, version: message.version } },
			user: { type: `ChatMessage${change}`, subject: `sender/${sender}`, data: { ...common, senderId: sender, version: Number(message.version) } },
		});
	}

	/** Per chat route: what to note before the handler runs, and the events of the difference after it. */
	const watchers = {
		'POST chat/threads': ({ actor }) => {
			const before = new Set(store.threadsFor(actor).map((t) => t.id));
			return () => store.threadsFor(actor).filter((t) => !before.has(t.id)).flatMap(threadCreated);
		},
		'PATCH chat/threads/{}': ({ thread, actor }) => () => propertiesUpdated(thread, actor),
		'DELETE chat/threads/{}': ({ thread, actor }) => {
			const wasDeleted = Boolean(thread.deletedOn);
			return () => (!wasDeleted && thread.deletedOn ? threadDeleted(thread, actor) : []);
		},
		'POST chat/threads/{}/participants/:add': ({ thread, actor }) => {
			const before = new Set(thread.participants.keys());
			return () => {
				const added = [...thread.participants.values()].filter((p) => !before.has(p.rawId));
				return added.flatMap((p) => participantChanged(thread, p, actor, 'added', thread.participants.keys()));
			};
		},
		'POST chat/threads/{}/participants/:remove': ({ thread, actor }) => {
			const before = new Map(thread.participants);
			return () => {
				const removed = [...before.values()].filter((p) => !thread.participants.has(p.rawId));
				return removed.flatMap((p) => participantChanged(thread, p, actor, 'removed', before.keys()));
			};
		},
		'POST chat/threads/{}/messages': ({ thread }) => {
			const count = thread.messages.length;
			return () => thread.messages.slice(count).filter((m) => m.senderId).flatMap((m) => messageEvent(thread, m, 'Received'));
		},
		'PATCH chat/threads/{}/messages/{}': ({ thread, message }) => {
			const version = message?.version;
			return () => (message && message.version !== version && !message.deletedOn ? messageEvent(thread, message, 'Edited') : []);
		},
		'DELETE chat/threads/{}/messages/{}': ({ thread, message }) => {
			const wasDeleted = Boolean(message?.deletedOn);
			return () => (message && !wasDeleted && message.deletedOn ? messageEvent(thread, message, 'Deleted') : []);
		},
	};

	/**
	 * @param {string} route `METHOD shape` as the server's route table names it
	 * @returns {(() => void) | undefined} to call once the handler has answered
	 */
	function observe(route, ctx, [threadId, messageId] = []) {
		const watch = watchers[route];
		if (!watch) return undefined;
		const bearer = /^Bearer (.+)$/.exec(ctx.req.headers.authorization || '');
		const actor = bearer && tokenUser(bearer[1].trim());
		const thread = threadId === undefined ? undefined : store.getThread(threadId);
		if (!actor || (threadId !== undefined && !thread)) return undefined;
		const message = messageId === undefined ? undefined : store.getMessage(thread, messageId);
		const after = watch({ actor, thread, message });
		return () => {
			if (ctx.res.statusCode >= 300) return;
			const events = after();
			if (events.length) publish(events);
		};
	}

	return { observe };
}

module.exports = { createChatEvents };
