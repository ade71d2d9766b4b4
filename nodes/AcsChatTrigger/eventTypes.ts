/**
 * The 16 chat event types ACS publishes to Event Grid (MicrosoftDocs azure-docs,
 * articles/event-grid/communication-services-chat-events.md). Thread-level events come once per thread;
 * user-level ones once per recipient, not to the user who caused them. `actor` is the field of `data` naming who
 * caused the event: the sender of a message, the user who created, edited or deleted a thread, who added or
 * removed a participant.
 */
export const EVENT_TYPE_PREFIX = 'Microsoft.Communication.';

type Actor =
	| 'senderCommunicationIdentifier'
	| 'createdByCommunicationIdentifier'
	| 'editedByCommunicationIdentifier'
	| 'deletedByCommunicationIdentifier'
	| 'addedByCommunicationIdentifier'
	| 'removedByCommunicationIdentifier';

interface ChatEventType {
	/** The name after the prefix, as Event Grid spells it. */
	type: string;
	name: string;
	description: string;
	actor: Actor;
}

const EVENT_TYPES: ChatEventType[] = [
	{
		type: 'ChatMessageReceivedInThread',
		name: 'Message Received in Thread',
		description: 'A message was sent to a thread (once per thread)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatMessageEditedInThread',
		name: 'Message Edited in Thread',
		description: 'A message of a thread was edited (once per thread)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatMessageDeletedInThread',
		name: 'Message Deleted in Thread',
		description: 'A message of a thread was deleted (once per thread)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatThreadCreated',
		name: 'Thread Created',
		description: 'A thread was created (once per thread)',
		actor: 'createdByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadPropertiesUpdated',
		name: 'Thread Properties Updated',
		description: "A thread's topic or metadata changed (once per thread)",
		actor: 'editedByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadDeleted',
		name: 'Thread Deleted',
		description: 'A thread was deleted (once per thread)',
		actor: 'deletedByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadParticipantAdded',
		name: 'Participant Added to Thread',
		description: 'A participant joined a thread (once per thread)',
		actor: 'addedByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadParticipantRemoved',
		name: 'Participant Removed From Thread',
		description: 'A participant left or was removed from a thread (once per thread)',
		actor: 'removedByCommunicationIdentifier',
	},
	{
		type: 'ChatMessageReceived',
		name: 'Message Received (per User)',
		description: 'A message was sent (once per recipient)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatMessageEdited',
		name: 'Message Edited (per User)',
		description: 'A message was edited (once per recipient)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatMessageDeleted',
		name: 'Message Deleted (per User)',
		description: 'A message was deleted (once per recipient)',
		actor: 'senderCommunicationIdentifier',
	},
	{
		type: 'ChatThreadCreatedWithUser',
		name: 'Thread Created (per User)',
		description: 'A thread was created with the user (once per participant)',
		actor: 'createdByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadPropertiesUpdatedPerUser',
		name: 'Thread Properties Updated (per User)',
		description: "A thread's topic or metadata changed (once per participant)",
		actor: 'editedByCommunicationIdentifier',
	},
	{
		type: 'ChatThreadWithUserDeleted',
		name: 'Thread Deleted (per User)',
		description: 'A thread the user was in was deleted (once per participant)',
		actor: 'deletedByCommunicationIdentifier',
	},
	{
		type: 'ChatParticipantAddedToThreadWithUser',
		name: 'Participant Added (per User)',
		description: 'A participant joined a thread the user is in (once per participant)',
		actor: 'addedByCommunicationIdentifier',
	},
	{
		type: 'ChatParticipantRemovedFromThreadWithUser',
		name: 'Participant Removed (per User)',
		description: 'A participant left a thread the user is in (once per participant)',
		actor: 'removedByCommunicationIdentifier',
	},
];

export const DEFAULT_EVENT_TYPE = `${EVENT_TYPE_PREFIX}ChatMessageReceivedInThread`;

/** The `events` parameter's options, sorted by name as n8n lists options; values are the full type names. */
export const eventTypeOptions = EVENT_TYPES.map(({ type, name, description }) => ({
	name,
	value: `${EVENT_TYPE_PREFIX}${type}`,
	description,
})).sort((a, b) => a.name.localeCompare(b.name));

const actors = new Map(EVENT_TYPES.map(({ type, actor }) => [`${EVENT_TYPE_PREFIX}${type}`, actor]));

export function isChatEventType(value: unknown): value is string {
	return typeof value === 'string' && actors.has(value);
}

/** The field of `data` naming who caused an event of this type; undefined for types this node does not know. */
export function actorField(eventType: string): Actor | undefined {
	return actors.get(eventType);
}
