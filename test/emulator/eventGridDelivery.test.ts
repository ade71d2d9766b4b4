import { DEMO_THREAD, readJson, threadPath } from './support';
import { CHAT, type Received, arm, liveSubscription, subscriptionBody, subscriptionPath, useEventGridEmulator, useReceiver } from './eventGridSupport';

// Event Grid's delivery: headers, filters, batches, the retry schedule (scaled), the answers not retried,
// time-to-live, redelivery of an event id, one-off deliveries, and the admin routes that drive them.

const emulator = useEventGridEmulator();
const receiver = useReceiver();

const RECEIVED = `${CHAT}ChatMessageReceivedInThread`;

const sendMessage = (content: string) =>
	fetch(`${emulator.url}${threadPath(DEMO_THREAD)}/messages?api-version=2025-03-15`, {
		method: 'POST',
		headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json' },
		body: JSON.stringify({ content }),
	});

/** Custom events of one type, each with its own thread id, so filters and batches can be seen. */
const custom = (count: number, type = RECEIVED) => Array.from({ length: count }, (_, i) => ({ eventType: type, subject: `thread/t${i}/sender/x`, data: { threadId: `t${i}`, n: i } }));

/** Answers the validation, then `notification` for each notification in turn (the last one repeating). */
function answers(...notification: Array<number | 'hang'>) {
	let next = 0;
	return (request: Received) => {
		if (request.headers['aeg-event-type'] === 'SubscriptionValidation') return { status: 200, body: { validationResponse: request.body[0].data.validationCode } };
		const reply = notification[Math.min(next++, notification.length - 1)];
		return reply === 'hang' ? ('hang' as const) : { status: reply };
	};
}

const attemptsOf = () => emulator.eventGrid.deliveries().filter((d) => d.eventType !== 'Microsoft.EventGrid.SubscriptionValidationEvent');

describe('a delivery', () => {
	it('POSTs the events as a JSON array with Event Grid’s headers and the subscription’s delivery attributes', async () => {
		const body = subscriptionBody(receiver.url('/hook?code=q'));
		body.properties.destination.properties.deliveryAttributeMappings.push({ name: 'x-thread', type: 'Dynamic', properties: { sourceField: 'data.threadId' } } as any);
		await liveSubscription(emulator, 'headers', body);
		expect((await sendMessage('hello')).status).toBe(201);
		await emulator.eventGrid.idle();

		const [notification] = receiver.notifications();
		expect([notification.method, notification.path]).toEqual(['POST', '/hook?code=q']);
		const [event] = notification.body;
		expect(notification.headers).toMatchObject({
			'content-type': 'application/json; charset=utf-8',
			'aeg-event-type': 'Notification',
			'aeg-subscription-name': 'HEADERS',
			'aeg-delivery-count': '0',
			'aeg-data-version': '1.0',
			'aeg-metadata-version': '1',
			'aeg-output-event-id': event.id,
			'x-acs-webhook-secret': 'the-webhook-secret',
			'x-thread': DEMO_THREAD,
		});
		expect(notification.body).toHaveLength(1);
		expect(emulator.eventGrid.deliveries().at(-1)).toMatchObject({ eventId: event.id, eventType: RECEIVED, subscription: 'headers', attempt: 1, status: 200, outcome: 'Delivered' });
	});

	it('does not hold up the chat answer: the message is sent while its delivery is still unanswered', async () => {
		await liveSubscription(emulator, 'slow', subscriptionBody(receiver.url()));
		receiver.answerWith(answers('hang'));
		expect((await sendMessage('fast answer')).status).toBe(201);
		while (receiver.notifications().length === 0) await new Promise((resolve) => setImmediate(resolve));
		expect(attemptsOf()).toEqual([]);
	});

	it('is made only to live subscriptions whose filter the event passes', async () => {
		await liveSubscription(emulator, 'messages', subscriptionBody(receiver.url('/messages')));
		await liveSubscription(emulator, 'threads-only', subscriptionBody(receiver.url('/threads'), { types: [`${CHAT}ChatThreadCreated`] }));
		await liveSubscription(emulator, 'thread-t1', subscriptionBody(receiver.url('/t1'), { types: null, filter: { advancedFilters: [{ operatorType: 'StringIn', key: 'data.threadId', values: ['T1'] }] } }));
		await liveSubscription(emulator, 'subject-t2', subscriptionBody(receiver.url('/t2'), { types: null, filter: { subjectBeginsWith: 'thread/t2/' } }));
		receiver.answerWith(() => ({ status: 500 }));
		await arm(emulator, 'PUT', subscriptionPath(emulator, 'not-live'), { body: subscriptionBody(receiver.url('/failed'), { types: null }) });
		await emulator.eventGrid.idle();
		receiver.answerWith(answers(200));

		emulator.eventGrid.publish(custom(3));
		await emulator.eventGrid.idle();
		const byPath = (path: string) => receiver.notifications().filter((r) => r.path === path).flatMap((r) => r.body.map((e: any) => e.data.threadId));
		expect(byPath('/messages').sort()).toEqual(['t0', 't1', 't2']);
		expect(byPath('/threads')).toEqual([]);
		expect(byPath('/t1')).toEqual(['t1']);
		expect(byPath('/t2')).toEqual(['t2']);
		expect(byPath('/failed')).toEqual([]);
	});

	it('batches the events published together, up to maxEventsPerBatch and about preferredBatchSizeInKilobytes', async () => {
		await liveSubscription(emulator, 'by-count', subscriptionBody(receiver.url('/count'), { destination: { maxEventsPerBatch: 2 } }));
		await liveSubscription(emulator, 'by-size', subscriptionBody(receiver.url('/size'), { destination: { maxEventsPerBatch: 100, preferredBatchSizeInKilobytes: 1 } }));
		const events = custom(5).map((e, i) => (i === 4 ? { ...e, data: { ...e.data, padding: 'x'.repeat(2000) } } : { ...e, data: { ...e.data, padding: 'x'.repeat(10) } }));
		emulator.eventGrid.publish(events);
		await emulator.eventGrid.idle();
		const sizes = (path: string) => receiver.notifications().filter((r) => r.path === path).map((r) => r.body.length).sort();
		expect(sizes('/count')).toEqual([1, 2, 2]);
		// About 450 bytes each: two fit in 1 KB, three do not; the 2 KB event travels alone rather than being refused.
		expect(sizes('/size')).toEqual([1, 2, 2]);
		const bySize = receiver.notifications().filter((r) => r.path === '/size');
		expect(bySize.find((r) => r.body.length === 1)!.body[0].data.n).toBe(4);
	});
});

describe('retries', () => {
	it('retries a failed delivery on Event Grid’s schedule times retryScale, counting the attempts in aeg-delivery-count', async () => {
		await liveSubscription(emulator, 'flaky', subscriptionBody(receiver.url()));
		receiver.answerWith(answers(500, 503, 200));
		await sendMessage('third time lucky');
		await emulator.eventGrid.idle();

		const attempts = attemptsOf();
		expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
			[1, 500, 'Retrying'],
			[2, 503, 'Retrying'],
			[3, 200, 'Delivered'],
		]);
		// 10 s, then 30 s, scaled by the default retryScale of 0.001.
		expect(attempts.slice(0, 2).map((a) => Date.parse(a.nextAttemptAt!) - Date.parse(a.answeredAt))).toEqual([10, 30]);
		expect(Date.parse(attempts[1].sentAt)).toBeGreaterThanOrEqual(Date.parse(attempts[0].nextAttemptAt!));
		expect(Date.parse(attempts[2].sentAt)).toBeGreaterThanOrEqual(Date.parse(attempts[1].nextAttemptAt!));
		expect(receiver.notifications().map((r) => r.headers['aeg-delivery-count'])).toEqual(['0', '1', '2']);
		expect(new Set(receiver.events().map((e) => e.id)).size).toBe(1);
	});

	it('follows the schedule (10 s, 30 s, 1 min, 5 min, …) up to maxDeliveryAttempts, then drops the event', async () => {
		emulator.eventGrid.set({ retryScale: 0.0001 });
		await liveSubscription(emulator, 'down', subscriptionBody(receiver.url(), { properties: { retryPolicy: { maxDeliveryAttempts: 6, eventTimeToLiveInMinutes: 1440 } } }));
		receiver.answerWith(answers(502));
		await sendMessage('never delivered');
		await emulator.eventGrid.idle();

		const attempts = attemptsOf();
		expect(attempts.map((a) => a.outcome)).toEqual(['Retrying', 'Retrying', 'Retrying', 'Retrying', 'Retrying', 'Dropped']);
		expect(attempts.slice(0, 5).map((a) => Date.parse(a.nextAttemptAt!) - Date.parse(a.answeredAt))).toEqual([1, 3, 6, 30, 60]);
		expect(attempts.at(-1)).toMatchObject({ attempt: 6, reason: 'MaxDeliveryAttemptsExceeded' });
	});

	it('retries a delivery that gets no answer within timeoutMs', async () => {
		emulator.eventGrid.set({ timeoutMs: 50 });
		await liveSubscription(emulator, 'timeout', subscriptionBody(receiver.url()));
		receiver.answerWith(answers('hang', 200));
		await sendMessage('late');
		await emulator.eventGrid.idle();
		expect(attemptsOf().map((a) => [a.status, a.error, a.outcome])).toEqual([
			[null, 'TimedOut', 'Retrying'],
			[200, undefined, 'Delivered'],
		]);
	});

	it.each([
		[400, 'BadRequest'],
		[401, 'Unauthorized'],
		[403, 'Forbidden'],
		[413, 'PayloadTooLarge'],
	])('does not retry a %i: the event is dropped at once', async (status, reason) => {
		await liveSubscription(emulator, 'refusing', subscriptionBody(receiver.url()));
		receiver.answerWith(answers(status));
		await sendMessage('refused');
		await emulator.eventGrid.idle();
		expect(attemptsOf().map((a) => [a.attempt, a.status, a.outcome, a.reason])).toEqual([[1, status, 'Dropped', reason]]);
		expect(receiver.notifications()).toHaveLength(1);
	});

	it('dead-letters instead when the subscription names a dead-letter destination', async () => {
		const deadLetterDestination = { endpointType: 'StorageBlob', properties: { resourceId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z', blobContainerName: 'dead' } };
		await liveSubscription(emulator, 'dead-letter', subscriptionBody(receiver.url(), { properties: { deadLetterDestination } }));
		receiver.answerWith(answers(400));
		await sendMessage('dead');
		await emulator.eventGrid.idle();
		expect(attemptsOf().map((a) => a.outcome)).toEqual(['DeadLettered']);
	});

	it('stops when the event’s time-to-live (scaled) has passed by the time a retry is due', async () => {
		emulator.eventGrid.set({ retryScale: 0.002 });
		// 1 minute x 0.002 = 120 ms; retries are due after 20, 80 and 200 ms.
		await liveSubscription(emulator, 'ttl', subscriptionBody(receiver.url(), { properties: { retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1 } } }));
		receiver.answerWith(answers(500));
		await sendMessage('expires');
		await emulator.eventGrid.idle();
		const attempts = attemptsOf();
		expect(attempts.at(-1)).toMatchObject({ outcome: 'Dropped', reason: 'TimeToLiveExceeded', status: null });
		expect(attempts.length).toBeLessThanOrEqual(4);
		expect(receiver.notifications().length).toBe(attempts.length - 1);
	});

	it('ends the retries of a subscription that was deleted meanwhile', async () => {
		emulator.eventGrid.set({ retryScale: 0.05 });
		await liveSubscription(emulator, 'deleted', subscriptionBody(receiver.url()));
		receiver.answerWith(answers(500));
		await sendMessage('orphan');
		while (receiver.notifications().length === 0) await new Promise((resolve) => setImmediate(resolve));
		expect((await arm(emulator, 'DELETE', subscriptionPath(emulator, 'deleted'))).status).toBe(202);
		await emulator.eventGrid.idle();
		expect(attemptsOf().map((a) => [a.outcome, a.reason])).toEqual([
			['Retrying', undefined],
			['Dropped', 'SubscriptionDeleted'],
		]);
		expect(receiver.notifications()).toHaveLength(1);
	});

	it('a reset cancels pending retries', async () => {
		emulator.eventGrid.set({ retryScale: 1 });
		await liveSubscription(emulator, 'waiting', subscriptionBody(receiver.url()));
		receiver.answerWith(answers(500));
		await sendMessage('waits 10 s');
		while (attemptsOf().length === 0) await new Promise((resolve) => setImmediate(resolve));
		emulator.reset();
		await emulator.eventGrid.idle();
		expect(emulator.eventGrid.deliveries()).toEqual([]);
		expect(emulator.eventGrid.settings()).toMatchObject({ retryScale: 0.001, role: 'contributor' });
	});
});

describe('redelivery and one-off deliveries', () => {
	it('delivers a published event again with the same id (what a trigger must not run twice)', async () => {
		await liveSubscription(emulator, 'again', subscriptionBody(receiver.url()));
		await sendMessage('once');
		await emulator.eventGrid.idle();
		const [event] = receiver.events();

		const deliveryIds = emulator.eventGrid.redeliver(event.id);
		await emulator.eventGrid.idle();
		expect(deliveryIds).toHaveLength(1);
		expect(receiver.events()).toEqual([event, event]);
		const delivered = attemptsOf().filter((a) => a.eventId === event.id);
		expect(delivered.map((a) => a.outcome)).toEqual(['Delivered', 'Delivered']);
		expect(delivered[1].deliveryId).toBe(deliveryIds[0]);

		expect(() => emulator.eventGrid.redeliver('no-such-event')).toThrow('No published event has the id no-such-event.');
		expect(() => emulator.eventGrid.redeliver(event.id, 'unknown')).toThrow('The subscription unknown is not live');
	});

	it('POSTs once with the headers changed as asked, and gives back the endpoint’s answer', async () => {
		await liveSubscription(emulator, 'forged', subscriptionBody(receiver.url()));
		receiver.answerWith((request) => (request.headers['x-acs-webhook-secret'] === 'the-webhook-secret' ? { status: 200, body: { ok: true } } : { status: 401 }));
		const [event] = emulator.eventGrid.publish(custom(1));
		await emulator.eventGrid.idle();
		receiver.received.length = 0;

		const unauthenticated = await emulator.eventGrid.deliver({ subscription: 'forged', events: [event], headers: { 'x-acs-webhook-secret': null } });
		const wrong = await emulator.eventGrid.deliver({ subscription: 'forged', events: [event], headers: { 'x-acs-webhook-secret': 'guess' } });
		const right = await emulator.eventGrid.deliver({ subscription: 'forged', body: [event] });
		expect([unauthenticated.status, wrong.status, right]).toEqual([401, 401, { status: 200, body: '{"ok":true}' }]);
		expect(receiver.received[0].headers['x-acs-webhook-secret']).toBeUndefined();
		expect(receiver.received[0].headers['aeg-event-type']).toBe('Notification');
		expect(attemptsOf().slice(-3).map((a) => a.outcome)).toEqual(['Refused', 'Refused', 'Delivered']);
		await expect(emulator.eventGrid.deliver({ subscription: 'missing' })).rejects.toThrow('No event subscription missing.');
	});
});

describe('admin routes', () => {
	const admin = (method: string, path: string, body?: unknown) => fetch(`${emulator.url}/admin/eventgrid${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

	it('show the settings and identity (no client secret), subscriptions, events and the delivery log', async () => {
		await liveSubscription(emulator, 'admin-view', subscriptionBody(receiver.url()));
		await sendMessage('seen');
		expect((await admin('GET', '/idle')).status).toBe(204);

		const overview = await readJson(await admin('GET', ''));
		expect(overview.settings).toEqual({ role: 'contributor', retryScale: 0.001, timeoutMs: 30000, validationWindowMs: 300000, handshakeHeaders: false, tokenLifetimeSeconds: 3599 });
		expect(overview.azure).toMatchObject({ tenantId: emulator.azure.tenantId, clientId: emulator.azure.clientId, resourceId: emulator.azure.resourceId });
		expect(JSON.stringify(overview)).not.toContain(emulator.azure.clientSecret);
		const { subscriptions } = await readJson(await admin('GET', '/subscriptions'));
		expect(subscriptions.map((s: any) => [s.name, s.properties.provisioningState])).toEqual([['admin-view', 'Succeeded']]);
		expect(JSON.stringify(subscriptions)).not.toContain('the-webhook-secret');
		const { events } = await readJson(await admin('GET', '/events'));
		expect(events.map((e: any) => e.data.messageBody)).toEqual(['seen']);
		const { deliveries } = await readJson(await admin('GET', '/deliveries'));
		expect(deliveries.map((d: any) => d.outcome)).toEqual(['Validated', 'Delivered']);
		expect(JSON.stringify(deliveries)).not.toContain('the-webhook-secret');
		expect((await admin('DELETE', '/deliveries')).status).toBe(204);
		expect(emulator.eventGrid.deliveries()).toEqual([]);
	});

	it('publish events, redeliver, deliver once, change settings and reset', async () => {
		await liveSubscription(emulator, 'admin-drive', subscriptionBody(receiver.url()));
		const published = await admin('POST', '/events', { events: custom(1) });
		expect(published.status).toBe(202);
		const [event] = (await readJson(published)).events;
		expect(event).toMatchObject({ id: expect.any(String), topic: emulator.azure.resourceId, dataVersion: '1.0', metadataVersion: '1', eventType: RECEIVED });
		expect((await admin('POST', '/redeliver', { eventId: event.id })).status).toBe(202);
		await admin('GET', '/idle');
		expect(receiver.events().map((e) => e.id)).toEqual([event.id, event.id]);

		const once = await admin('POST', '/deliveries', { subscription: 'admin-drive', body: [event], eventType: 'SubscriptionValidation' });
		expect(await readJson(once)).toEqual({ status: 200, body: expect.any(String) });
		expect((await admin('POST', '/redeliver', { eventId: 'nope' })).status).toBe(404);
		expect((await admin('POST', '/deliveries', { subscription: 'nope' })).status).toBe(404);
		expect((await admin('POST', '/events', { events: [{ data: {} }] })).status).toBe(400);

		expect((await admin('PUT', '/settings', { role: 'none', retryScale: 0.5 })).status).toBe(204);
		expect(emulator.eventGrid.settings()).toMatchObject({ role: 'none', retryScale: 0.5 });
		const bad = await admin('PUT', '/settings', { role: 'owner' });
		expect([bad.status, (await readJson(bad)).error.message]).toEqual([400, 'role must be one of contributor, reader, none.']);
		expect((await admin('PUT', '/settings', { retryscale: 1 })).status).toBe(400);

		expect((await admin('POST', '/reset')).status).toBe(204);
		expect(emulator.eventGrid.subscriptions()).toEqual([]);
		expect(emulator.eventGrid.settings()).toMatchObject({ role: 'contributor', retryScale: 0.001 });
		expect((await admin('GET', '/unknown')).status).toBe(404);
	});
});
