'use strict';

const crypto = require('node:crypto');
const { postJson } = require('./webhookPost');
const { deliveryHeaders } = require('./eventGridHeaders');
const { matches } = require('./eventGridFilter');

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Event Grid's retry schedule (delivery-and-retry.md, 2023): the wait after each failed attempt, then every 12 hours. */
const RETRY_SCHEDULE_MS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];
/** Answers that retrying cannot fix: the event is dropped (or dead-lettered) at once. */
const NOT_RETRIED = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 413: 'PayloadTooLarge' };
/** Published events kept for redelivery: at least the last this many. */
const MAX_EVENTS = 10000;

/**
 * Event Grid's delivery to webhooks: each published event goes to every live subscription whose filter it
 * passes, in batches (maxEventsPerBatch, preferredBatchSizeInKilobytes; the events one chat operation emits
 * travel together, a single larger event alone), each batch a JSON array POSTed with `aeg-event-type:
 * Notification`. 200-204 delivers; 400, 401, 403 and 413 drop it (DeadLettered when the subscription names a
 * dead-letter destination; nothing is written anywhere); anything else, a timeout (`timeoutMs`, 30 s) or a
 * connection failure is retried on Event Grid's schedule multiplied by `retryScale`, up to the subscription's
 * maxDeliveryAttempts and, checked only when a retry is due, its event time-to-live (also scaled). Each attempt
 * goes to the subscription as it is then (a deleted one ends the delivery). Deterministic: no jitter, no
 * skipped retries, no "delayed delivery" of unhealthy endpoints.
 *
 * State: the published events (for redelivery) and, per subscription, the events waiting for the current
 * turn of the event loop to be batched; the work itself runs in `work`, the log in `log`.
 */
function createDelivery({ subscriptions, settings, work, log }) {
	let published = [];
	let waiting = new Map();

	function publish(events) {
		published.push(...events);
		// Trimmed in steps, so a long run (the benchmark sends thousands of messages) does not copy the list each time.
		if (published.length > 2 * MAX_EVENTS) published = published.slice(-MAX_EVENTS);
		for (const record of subscriptions.live()) {
			const passing = events.filter((e) => matches(e, record.spec.filter));
			if (!passing.length) continue;
			const key = record.name.toLowerCase();
			if (!waiting.has(key)) {
				waiting.set(key, []);
				// Batched on the next turn of the event loop, as work, so idle() also waits for what is about to be sent.
				work.run(async () => {
					await new Promise((resolve) => setImmediate(resolve));
					flush(key);
				});
			}
			waiting.get(key).push(...passing);
		}
	}

	function flush(key) {
		const events = waiting.get(key);
		waiting.delete(key);
		const record = events && subscriptions.get(key);
		if (!record) return;
		for (const batch of batches(events, record.spec)) start(record.name, batch);
	}

	function batches(events, { maxEventsPerBatch, preferredBatchSizeInKilobytes }) {
		const limit = preferredBatchSizeInKilobytes * 1024;
		const result = [];
		let current = [];
		let size = 0;
		for (const event of events) {
			const bytes = Buffer.byteLength(JSON.stringify(event));
			if (current.length && (current.length === maxEventsPerBatch || size + bytes > limit)) {
				result.push(current);
				current = [];
				size = 0;
			}
			current.push(event);
			size += bytes;
		}
		if (current.length) result.push(current);
		return result;
	}

	/** One batch's delivery, from its first attempt to its end, in the background. @returns its delivery id */
	function start(name, events) {
		const deliveryId = crypto.randomUUID();
		const publishedAt = Date.now();
		work.run((signal) => deliver({ deliveryId, name, events, publishedAt, signal }));
		return deliveryId;
	}

	async function deliver({ deliveryId, name, events, publishedAt, signal }) {
		for (let attempt = 1; ; attempt++) {
			const record = subscriptions.get(name);
			const base = { deliveryId, subscription: name, events, attempt };
			const now = new Date().toISOString();
			if (!record) return log.record({ ...base, status: null, outcome: 'Dropped', reason: 'SubscriptionDeleted', sentAt: now, answeredAt: now });
			const ttlMs = record.spec.retryPolicy.eventTimeToLiveInMinutes * MINUTE * settings.retryScale;
			if (attempt > 1 && Date.now() - publishedAt > ttlMs) return log.record({ ...base, status: null, outcome: dropped(record), reason: 'TimeToLiveExceeded', sentAt: now, answeredAt: now });

			const headers = deliveryHeaders({ record, eventType: 'Notification', events, deliveryCount: attempt - 1, withAttributes: true });
			const sentAt = new Date().toISOString();
			const answer = await postJson({ url: record.spec.endpointUrl, body: events, headers, timeoutMs: settings.timeoutMs, signal });
			if (answer.error === 'Canceled') return undefined;
			const entry = { ...base, subscription: record.name, status: answer.status ?? null, sentAt, answeredAt: new Date().toISOString(), ...(answer.error ? { error: answer.error } : {}) };
			if (answer.status >= 200 && answer.status <= 204) return log.record({ ...entry, outcome: 'Delivered' });
			if (NOT_RETRIED[answer.status]) return log.record({ ...entry, outcome: dropped(record), reason: NOT_RETRIED[answer.status] });
			if (attempt >= record.spec.retryPolicy.maxDeliveryAttempts) return log.record({ ...entry, outcome: dropped(record), reason: 'MaxDeliveryAttemptsExceeded' });

			const waitMs = Math.round(RETRY_SCHEDULE_MS[Math.min(attempt, RETRY_SCHEDULE_MS.length) - 1] * settings.retryScale);
			log.record({ ...entry, outcome: 'Retrying', nextAttemptAt: new Date(Date.parse(entry.answeredAt) + waitMs).toISOString() });
			if (!(await work.sleep(waitMs, signal))) return undefined;
		}
	}

	const dropped = (record) => (record.spec.deadLetterDestination ? 'DeadLettered' : 'Dropped');

	/**
	 * Delivers a published event again, with its id, to one live subscription or to every live subscription
	 * whose filter it passes: what an endpoint sees when Event Grid repeats an event (at least once).
	 * @returns {{ deliveryIds: string[] } | { status: number, error: string }}
	 */
	function redeliver(eventId, subscription) {
		const event = [...published].reverse().find((e) => e.id === eventId);
		if (!event) return { status: 404, error: `No published event has the id ${eventId}.` };
		const live = subscriptions.live();
		const targets = subscription ? live.filter((r) => r.name.toLowerCase() === subscription.toLowerCase()) : live.filter((r) => matches(event, r.spec.filter));
		if (!targets.length) return { status: 409, error: subscription ? `The subscription ${subscription} is not live (or does not exist).` : 'No live subscription takes this event.' };
		return { deliveryIds: targets.map((r) => start(r.name, [event])) };
	}

	/**
	 * One POST to a subscription's endpoint (in any state), with the headers Event Grid would send, then the
	 * answer: for tests of what an endpoint does with a forged, unauthenticated or malformed delivery. `headers`
	 * adds or replaces headers (null removes one); `body` replaces the events as the payload. Not retried.
	 */
	async function deliverOnce({ subscription, events = [], body, headers = {}, eventType = 'Notification' }) {
		const record = subscriptions.get(subscription);
		if (!record) return { status: 404, error: `No event subscription ${subscription}.` };
		// What the log and the aeg- headers name: the events given, else the events a replacing body holds.
		const named = events.length ? events : Array.isArray(body) ? body.filter((e) => typeof e?.id === 'string') : [];
		const sent = { ...deliveryHeaders({ record, eventType, events: named, deliveryCount: 0, withAttributes: true }), ...headers };
		for (const [name, value] of Object.entries(sent)) if (value === null) delete sent[name];
		const sentAt = new Date().toISOString();
		const answer = await work.run((signal) => postJson({ url: record.spec.endpointUrl, body: body === undefined ? events : body, headers: sent, timeoutMs: settings.timeoutMs, signal }));
		const outcome = answer.status >= 200 && answer.status <= 204 ? 'Delivered' : 'Refused';
		log.record({ deliveryId: crypto.randomUUID(), subscription: record.name, events: named, attempt: 1, status: answer.status ?? null, outcome, sentAt, answeredAt: new Date().toISOString(), ...(answer.error ? { error: answer.error } : {}) });
		return answer.error ? { status: null, error: answer.error } : { status: answer.status, body: answer.text };
	}

	return {
		publish,
		redeliver,
		deliverOnce,
		events: () => published.map((e) => structuredClone(e)),
		reset() {
			published = [];
			waiting = new Map();
		},
	};
}

module.exports = { createDelivery };
