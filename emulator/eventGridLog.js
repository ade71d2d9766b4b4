'use strict';

/** Enough for any test or demo session: at least the last this many entries are kept (trimmed in steps). */
const MAX_ENTRIES = 10000;

/**
 * What Event Grid sent to endpoints: one entry per event per attempt (a batch of three is three entries sharing
 * a `deliveryId`), the validation handshakes included (eventType Microsoft.EventGrid.SubscriptionValidationEvent).
 * Entries are added when an attempt is answered or given up, and never hold header values, so no secret is in it.
 * State: the entries since start or the last reset, shared by the handshake, the delivery and the admin API.
 */
function createEventGridLog() {
	let entries = [];

	/**
	 * @param {{ deliveryId: string, subscription: string, events: Array<{ id: string, eventType: string }>, attempt: number,
	 *   status: number|null, outcome: string, error?: string, sentAt: string, answeredAt: string, nextAttemptAt?: string }} attempt
	 */
	function record({ events, ...attempt }) {
		for (const event of events) entries.push({ eventId: event.id, eventType: event.eventType, ...attempt });
		if (entries.length > 2 * MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
	}

	return {
		record,
		entries: () => entries.map((e) => ({ ...e })),
		clear: () => {
			entries = [];
		},
	};
}

module.exports = { createEventGridLog };
