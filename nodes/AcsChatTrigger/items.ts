/**
 * What one chat event becomes: the Event Grid envelope as delivered (id, topic, subject, eventType, eventTime,
 * data, dataVersion, metadataVersion), with the three fields workflows use most lifted to the top: `threadId`,
 * `messageId` (null for thread and participant events) and `sender`, the raw ID of who caused the event (null
 * when the event names nobody). Pure functions.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { actorField } from './eventTypes';

export interface ChatEvent extends IDataObject {
	id: string;
	eventType: string;
	data: IDataObject;
}

export interface EventFacts {
	threadId: string | null;
	messageId: string | null;
	sender: string | null;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** An entry of a delivery as an event, or undefined when it lacks the id or type every Event Grid event has. */
export function readEvent(value: unknown): ChatEvent | undefined {
	if (!isObject(value) || text(value.id) === null || text(value.eventType) === null) return undefined;
	return { ...value, data: isObject(value.data) ? value.data : {} } as ChatEvent;
}

export function eventFacts(event: ChatEvent): EventFacts {
	const field = actorField(event.eventType);
	const actor = field === undefined ? undefined : event.data[field];
	return {
		threadId: text(event.data.threadId),
		messageId: text(event.data.messageId),
		sender: isObject(actor) ? text(actor.rawId) : null,
	};
}

export function toItem(event: ChatEvent, facts: EventFacts): INodeExecutionData {
	return { json: { ...event, ...facts } };
}
