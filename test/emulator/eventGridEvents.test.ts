import { DEMO_THREAD, OTHER_THREAD, threadPath } from './support';
import { CHAT, type EventGridEvent, liveSubscription, subscriptionBody, useEventGridEmulator, useReceiver } from './eventGridSupport';

// The chat events the emulator's chat operations cause, checked field by field against the examples of
// MicrosoftDocs azure-docs articles/event-grid/communication-services-chat-events.md (written out below, not
// taken from the emulator), with `metadata` where the data-plane spec (AzureCommunicationServices.json) adds it.

const emulator = useEventGridEmulator();
const receiver = useReceiver();

const OTHER_USER = '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_00000000-0000-4000-8000-000000000002';
const TEAMS_USER = '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130';
const acs = (rawId: string) => ({ rawId, communicationUser: { id: rawId } });

const THREAD_BASE = ['threadId', 'transactionId'];
const MESSAGE_BASE = [...THREAD_BASE, 'messageId', 'senderCommunicationIdentifier', 'senderDisplayName', 'composeTime', 'type', 'version'];
const USER_BASE = ['recipientCommunicationIdentifier'];
/** The data fields of each event type, as the docs' examples (and the spec's metadata) have them. */
const DATA_FIELDS: Record<string, string[]> = {
	ChatMessageReceivedInThread: [...MESSAGE_BASE, 'messageBody', 'metadata'],
	ChatMessageEditedInThread: [...MESSAGE_BASE, 'messageBody', 'metadata', 'editTime'],
	ChatMessageDeletedInThread: [...MESSAGE_BASE, 'deleteTime'],
	ChatMessageReceived: [...MESSAGE_BASE, ...USER_BASE, 'messageBody', 'metadata', 'senderId', 'recipientId'],
	ChatMessageEdited: [...MESSAGE_BASE, ...USER_BASE, 'messageBody', 'metadata', 'editTime', 'senderId', 'recipientId'],
	ChatMessageDeleted: [...MESSAGE_BASE, ...USER_BASE, 'deleteTime', 'senderId', 'recipientId'],
	ChatThreadCreated: [...THREAD_BASE, 'createdByCommunicationIdentifier', 'properties', 'metadata', 'participants', 'createTime', 'version'],
	ChatThreadCreatedWithUser: [...THREAD_BASE, ...USER_BASE, 'createdBy', 'createdByCommunicationIdentifier', 'properties', 'metadata', 'members', 'participants', 'createTime', 'version', 'recipientId'],
	ChatThreadPropertiesUpdated: [...THREAD_BASE, 'editedByCommunicationIdentifier', 'editTime', 'properties', 'metadata', 'createTime', 'version'],
	ChatThreadPropertiesUpdatedPerUser: [...THREAD_BASE, ...USER_BASE, 'editedBy', 'editedByCommunicationIdentifier', 'editTime', 'properties', 'metadata', 'createTime', 'version', 'recipientId'],
	ChatThreadDeleted: [...THREAD_BASE, 'deletedByCommunicationIdentifier', 'deleteTime', 'createTime', 'version'],
	ChatThreadWithUserDeleted: [...THREAD_BASE, ...USER_BASE, 'deletedBy', 'deletedByCommunicationIdentifier', 'deleteTime', 'createTime', 'version', 'recipientId'],
	ChatThreadParticipantAdded: [...THREAD_BASE, 'time', 'addedByCommunicationIdentifier', 'participantAdded', 'createTime', 'version'],
	ChatParticipantAddedToThreadWithUser: [...THREAD_BASE, ...USER_BASE, 'time', 'addedByCommunicationIdentifier', 'participantAdded', 'createTime', 'version'],
	ChatThreadParticipantRemoved: [...THREAD_BASE, 'time', 'removedByCommunicationIdentifier', 'participantRemoved', 'createTime', 'version'],
	ChatParticipantRemovedFromThreadWithUser: [...THREAD_BASE, ...USER_BASE, 'time', 'removedByCommunicationIdentifier', 'participantRemoved', 'createTime', 'version'],
};

beforeEach(() => liveSubscription(emulator, 'all-chat-events', subscriptionBody(receiver.url(), { types: null })));

function chat(method: string, path: string, body?: unknown, token = emulator.demoToken) {
	return fetch(`${emulator.url}${path}${path.includes('?') ? '&' : '?'}api-version=2025-03-15`, {
		method,
		headers: { authorization: `Bearer ${token}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

/** The events one chat call publishes, by short type name, once every delivery is over. */
async function eventsOf(call: () => Promise<Response>, status: number): Promise<Record<string, EventGridEvent[]>> {
	receiver.received.length = 0;
	expect((await call()).status).toBe(status);
	await emulator.eventGrid.idle();
	const byType: Record<string, EventGridEvent[]> = {};
	for (const event of receiver.events()) (byType[event.eventType.slice(CHAT.length)] ??= []).push(event);
	return byType;
}

function expectEnvelope(event: EventGridEvent, subject: string, { userLevel = false } = {}) {
	const short = event.eventType.slice(CHAT.length);
	expect(Object.keys(event).sort()).toEqual(['data', 'dataVersion', 'eventTime', 'eventType', 'id', 'metadataVersion', 'subject', 'topic']);
	expect(event).toMatchObject({ subject, dataVersion: '1.0', metadataVersion: '1', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
	// The docs show thread-level events with the topic lower-cased, user-level ones as the resource id is written.
	expect(event.topic).toBe(userLevel ? emulator.azure.resourceId : emulator.azure.resourceId.toLowerCase());
	expect(Object.keys(event.data).sort()).toEqual([...DATA_FIELDS[short]].sort());
}

async function createThread() {
	const events = await eventsOf(
		() => chat('POST', '/chat/threads', { topic: 'Events', metadata: { team: 'blue' }, participants: [{ communicationIdentifier: { rawId: OTHER_USER }, displayName: 'Other' }, { communicationIdentifier: { rawId: '4:+14255550123' } }] }),
		201,
	);
	return { events, threadId: events.ChatThreadCreated[0].data.threadId as string };
}

it('creating a thread publishes ChatThreadCreated and a ChatThreadCreatedWithUser for each other ACS user', async () => {
	const { events, threadId } = await createThread();
	expect(Object.keys(events).sort()).toEqual(['ChatThreadCreated', 'ChatThreadCreatedWithUser']);
	const [created] = events.ChatThreadCreated;
	expectEnvelope(created, `thread/${threadId}/createdBy/${emulator.demoUserId}`);
	const thread = emulator.state().threads.find((t) => t.id === threadId)!;
	expect(created.data).toEqual({
		createdByCommunicationIdentifier: acs(emulator.demoUserId),
		properties: { topic: 'Events' },
		metadata: { team: 'blue' },
		participants: [
			{ displayName: '', participantCommunicationIdentifier: acs(emulator.demoUserId) },
			{ displayName: 'Other', participantCommunicationIdentifier: acs(OTHER_USER) },
			{ displayName: '', participantCommunicationIdentifier: { rawId: '4:+14255550123', phoneNumber: { value: '+14255550123' } } },
		],
		createTime: thread.createdOn,
		version: Date.parse(thread.createdOn),
		threadId,
		transactionId: expect.any(String),
	});
	expect(events.ChatThreadCreatedWithUser).toHaveLength(1);
	const [withUser] = events.ChatThreadCreatedWithUser;
	expectEnvelope(withUser, `thread/${threadId}/createdBy/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });
	expect(withUser.data).toMatchObject({ createdBy: emulator.demoUserId, recipientId: OTHER_USER, recipientCommunicationIdentifier: acs(OTHER_USER), transactionId: created.data.transactionId });
	expect(withUser.data.members).toContainEqual({ displayName: 'Other', memberId: OTHER_USER });
});

it('sending, editing and deleting a message publish the thread-level and user-level message events', async () => {
	const { threadId } = await createThread();
	const sent = await eventsOf(() => chat('POST', `${threadPath(threadId)}/messages`, { content: 'Hi there', senderDisplayName: 'Demo', metadata: { k: 'v' } }), 201);
	const [received] = sent.ChatMessageReceivedInThread;
	const messageId = received.data.messageId as string;
	const message = () => emulator.state().threads.find((t) => t.id === threadId)!.messages.find((m) => m.id === messageId)!;
	expectEnvelope(received, `thread/${threadId}/sender/${emulator.demoUserId}`);
	expect(received.data).toEqual({
		messageBody: 'Hi there',
		messageId,
		metadata: { k: 'v' },
		type: 'Text',
		version: message().version,
		senderDisplayName: 'Demo',
		senderCommunicationIdentifier: acs(emulator.demoUserId),
		composeTime: message().createdOn,
		threadId,
		transactionId: expect.any(String),
	});
	expect(typeof received.data.version).toBe('string');
	const [perUser] = sent.ChatMessageReceived;
	expectEnvelope(perUser, `thread/${threadId}/sender/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });
	expect(perUser.data).toMatchObject({ senderId: emulator.demoUserId, recipientId: OTHER_USER, version: Number(message().version) });
	expect(sent.ChatMessageReceived).toHaveLength(1);

	const edited = await eventsOf(() => chat('PATCH', `${threadPath(threadId)}/messages/${messageId}`, { content: 'Hi again' }), 204);
	expectEnvelope(edited.ChatMessageEditedInThread[0], `thread/${threadId}/sender/${emulator.demoUserId}`);
	expect(edited.ChatMessageEditedInThread[0].data).toMatchObject({ messageBody: 'Hi again', editTime: message().editedOn, version: message().version, composeTime: message().createdOn });
	expectEnvelope(edited.ChatMessageEdited[0], `thread/${threadId}/sender/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });

	const deleted = await eventsOf(() => chat('DELETE', `${threadPath(threadId)}/messages/${messageId}`), 204);
	expectEnvelope(deleted.ChatMessageDeletedInThread[0], `thread/${threadId}/sender/${emulator.demoUserId}`);
	expect(deleted.ChatMessageDeletedInThread[0].data).toMatchObject({ messageId, deleteTime: message().deletedOn, version: message().version, type: 'Text' });
	expectEnvelope(deleted.ChatMessageDeleted[0], `thread/${threadId}/sender/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });

	expect(await eventsOf(() => chat('DELETE', `${threadPath(threadId)}/messages/${messageId}`), 204)).toEqual({});
});

it('an html message is of type Html', async () => {
	const sent = await eventsOf(() => chat('POST', `${threadPath(DEMO_THREAD)}/messages`, { content: '<p>hi</p>', type: 'html' }), 201);
	expect(sent.ChatMessageReceivedInThread[0].data.type).toBe('Html');
});

it('updating a thread publishes ChatThreadPropertiesUpdated with its topic and metadata', async () => {
	const { threadId } = await createThread();
	const updated = await eventsOf(() => chat('PATCH', threadPath(threadId), { topic: 'Renamed', metadata: { team: 'red' } }), 204);
	const [event] = updated.ChatThreadPropertiesUpdated;
	expectEnvelope(event, `thread/${threadId}/editedBy/${emulator.demoUserId}`);
	expect(event.data).toMatchObject({ editedByCommunicationIdentifier: acs(emulator.demoUserId), properties: { topic: 'Renamed' }, metadata: { team: 'red' } });
	expectEnvelope(updated.ChatThreadPropertiesUpdatedPerUser[0], `thread/${threadId}/editedBy/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });
	expect(updated.ChatThreadPropertiesUpdatedPerUser[0].data.editedBy).toBe(emulator.demoUserId);
});

it('adding and removing a participant publish one event per participant, and the user-level ones', async () => {
	const { threadId } = await createThread();
	const added = await eventsOf(() => chat('POST', `${threadPath(threadId)}/participants/:add`, { participants: [{ communicationIdentifier: { rawId: TEAMS_USER }, displayName: 'Teams', metadata: { role: 'agent' } }] }), 201);
	const [event] = added.ChatThreadParticipantAdded;
	expectEnvelope(event, `thread/${threadId}/participantadded/${TEAMS_USER}`);
	expect(event.data.participantAdded).toEqual({
		displayName: 'Teams',
		participantCommunicationIdentifier: { rawId: TEAMS_USER, microsoftTeamsUser: { userId: TEAMS_USER.slice('8:orgid:'.length), isAnonymous: false, cloud: 'public' } },
		metadata: { role: 'agent' },
	});
	expect(event.data.addedByCommunicationIdentifier).toEqual(acs(emulator.demoUserId));
	expect(added.ChatParticipantAddedToThreadWithUser.map((e) => e.subject)).toEqual([`thread/${threadId}/participantAdded/${TEAMS_USER}/recipient/${OTHER_USER}`]);
	expectEnvelope(added.ChatParticipantAddedToThreadWithUser[0], added.ChatParticipantAddedToThreadWithUser[0].subject, { userLevel: true });

	expect(await eventsOf(() => chat('POST', `${threadPath(threadId)}/participants/:add`, { participants: [{ communicationIdentifier: { rawId: TEAMS_USER } }] }), 201)).toEqual({});

	const removed = await eventsOf(() => chat('POST', `${threadPath(threadId)}/participants/:remove`, { rawId: OTHER_USER }), 204);
	expectEnvelope(removed.ChatThreadParticipantRemoved[0], `thread/${threadId}/participantremoved/${OTHER_USER}`);
	expect(removed.ChatThreadParticipantRemoved[0].data).toMatchObject({ removedByCommunicationIdentifier: acs(emulator.demoUserId), participantRemoved: { displayName: 'Other', participantCommunicationIdentifier: acs(OTHER_USER) } });
	// The removed user is told too: the recipients are the participants before the removal.
	expect(removed.ChatParticipantRemovedFromThreadWithUser.map((e) => e.data.recipientCommunicationIdentifier)).toEqual([acs(OTHER_USER)]);
	expect(await eventsOf(() => chat('POST', `${threadPath(threadId)}/participants/:remove`, { rawId: OTHER_USER }), 204)).toEqual({});
});

it('deleting a thread publishes ChatThreadDeleted once', async () => {
	const { threadId } = await createThread();
	const deleted = await eventsOf(() => chat('DELETE', threadPath(threadId)), 204);
	const thread = emulator.state().threads.find((t) => t.id === threadId)!;
	expectEnvelope(deleted.ChatThreadDeleted[0], `thread/${threadId}/deletedBy/${emulator.demoUserId}`);
	expect(deleted.ChatThreadDeleted[0].data).toMatchObject({ deletedByCommunicationIdentifier: acs(emulator.demoUserId), deleteTime: thread.deletedOn, createTime: thread.createdOn });
	expectEnvelope(deleted.ChatThreadWithUserDeleted[0], `thread/${threadId}/deletedBy/${emulator.demoUserId}/recipient/${OTHER_USER}`, { userLevel: true });
	expect(await eventsOf(() => chat('DELETE', threadPath(threadId)), 204)).toEqual({});
});

it('publishes nothing for refused operations, a replayed create, reads, or bulk messages', async () => {
	const body = { topic: 'Once', participants: [] };
	const replay = () => fetch(`${emulator.url}/chat/threads?api-version=2025-03-15`, { method: 'POST', headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json', 'repeatability-request-id': 'same-request' }, body: JSON.stringify(body) });
	expect(Object.keys(await eventsOf(replay, 201))).toEqual(['ChatThreadCreated']);
	expect(await eventsOf(replay, 201)).toEqual({});
	expect(await eventsOf(() => chat('POST', `${threadPath(OTHER_THREAD)}/messages`, { content: 'not a member' }), 403)).toEqual({});
	expect(await eventsOf(() => chat('POST', `${threadPath(DEMO_THREAD)}/messages`, { content: 'no token' }, 'invalid'), 401)).toEqual({});
	expect(await eventsOf(() => chat('GET', `${threadPath(DEMO_THREAD)}/messages`), 200)).toEqual({});
	emulator.addMessages(DEMO_THREAD, { count: 3 });
	await emulator.eventGrid.idle();
	expect(receiver.events()).toEqual([]);
});
