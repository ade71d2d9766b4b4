/**
 * Which events of a delivery start the workflow: those of the selected types, of the selected threads (all when
 * none are given), and, when the node ignores its own identity's events, those caused by someone else. Pure.
 */
import type { EventFacts } from './items';

export interface EventFilter {
	eventTypes: ReadonlySet<string>;
	/** Empty: every thread. */
	threadIds: ReadonlySet<string>;
	/** The raw ID whose events are dropped (the ACS credential's user), if any. */
	ignoredSender?: string;
}

export function passes(filter: EventFilter, eventType: string, facts: EventFacts): boolean {
	if (!filter.eventTypes.has(eventType)) return false;
	if (filter.threadIds.size > 0 && (facts.threadId === null || !filter.threadIds.has(facts.threadId))) return false;
	return filter.ignoredSender === undefined || facts.sender !== filter.ignoredSender;
}
