import { randomUUID } from 'node:crypto';

import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { webhook } from '../../nodes/AcsChatTrigger/webhook';
import { ACS_USER, THREAD_ID } from '../fixtures/acs';
import { messageReceived, OTHER_THREAD, OTHER_USER, participantAdded, validationEvent } from './events';
import type { Delivery, TriggerSetup } from './support';
import { AUTOMATIC, createdRecord, notificationHeaders, trigger, webhookContext } from './support';

const SECRET = 'known-secret-0123456789abcdef';
const STATIC_KEY = 'node:ACS Chat Trigger';
const ADDED = 'Microsoft.Communication.ChatThreadParticipantAdded';
const MANUAL_SECRET = 'my-own-secret-of-some-length';

/** A trigger in automatic mode after create, in a workflow of its own (the dedup store is per workflow). */
function activated(parameters: IDataObject = {}, setup: Partial<TriggerSetup> = {}) {
	return trigger({
		parameters: { ...AUTOMATIC, ...parameters },
		staticData: { [STATIC_KEY]: createdRecord(SECRET) },
		workflowId: randomUUID(),
		...setup,
	});
}

async function deliver(t: ReturnType<typeof trigger>, delivery: Delivery, mode?: 'webhook' | 'manual') {
	const { context, response } = webhookContext(t, delivery, mode);
	const result: IWebhookResponseData = await webhook.call(context);
	return { result, response };
}

function started(result: IWebhookResponseData): IDataObject[] {
	return (result.workflowData?.[0] ?? []).map((item) => item.json);
}

describe('the validation handshake', () => {
	it('answers 200 {validationResponse} and starts nothing, without a secret', async () => {
		const t = activated();
		const { result, response } = await deliver(t, {
			headers: { 'aeg-event-type': 'SubscriptionValidation' },
			body: validationEvent('512d38b6-c7b8-40c8-89fe-f46f9e9622b6'),
		});
		expect(result).toEqual({ webhookResponse: { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' } });
		expect(result.workflowData).toBeUndefined();
		expect(response.status).toBeUndefined();
	});

	it('is answered while create is still running (no secret saved yet) and in manual mode', async () => {
		const setups = [
			trigger({ parameters: AUTOMATIC }),
			trigger({ parameters: { subscriptionMode: 'manual', webhookSecret: MANUAL_SECRET } }),
		];
		for (const t of setups) {
			const { result } = await deliver(t, { headers: { 'aeg-event-type': 'SubscriptionValidation' }, body: validationEvent('code-1') });
			expect(result).toEqual({ webhookResponse: { validationResponse: 'code-1' } });
		}
	});

	it('a validation header without a validation event is a 400, and nothing is echoed', async () => {
		const t = activated();
		const { result, response } = await deliver(t, {
			headers: { 'aeg-event-type': 'SubscriptionValidation' },
			body: [messageReceived('e1')],
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ status: 400, body: { error: 'Not an Event Grid subscription validation event' } });
	});
});

describe('the secret', () => {
	it.each([
		['no secret', { headers: notificationHeaders() }],
		['a wrong secret', { headers: notificationHeaders('known-secret-0123456789abcdeX') }],
		['the secret as a query parameter (automatic mode sets the header)', { headers: notificationHeaders(), query: { secret: SECRET } }],
	])('%s: 401 and nothing started', async (_what, delivery) => {
		const t = activated({ ignoreOwnEvents: false });
		const { result, response } = await deliver(t, { ...delivery, body: [messageReceived('e1')] });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toEqual({ status: 401, body: { error: 'Missing or wrong secret' } });
	});

	it('the right secret: the event becomes an item', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const { result, response } = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		expect(response.status).toBeUndefined();
		expect(started(result)).toHaveLength(1);
	});

	it('a 401 does not use up the event id: the real delivery still starts it', async () => {
		const t = activated({ ignoreOwnEvents: false });
		await deliver(t, { headers: notificationHeaders('forged-secret-0000000000000'), body: [messageReceived('e1')] });
		const { result } = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		expect(started(result)).toHaveLength(1);
	});

	it('automatic mode before create saved its secret: 503, so Event Grid retries, nothing started', async () => {
		const t = trigger({ parameters: { ...AUTOMATIC, ignoreOwnEvents: false }, workflowId: randomUUID() });
		const { result, response } = await deliver(t, { headers: notificationHeaders('anything-at-all-000000'), body: [messageReceived('e1')] });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(503);
	});

	describe('manual mode', () => {
		const manual = () =>
			trigger({
				parameters: { subscriptionMode: 'manual', webhookSecret: MANUAL_SECRET, ignoreOwnEvents: false },
				workflowId: randomUUID(),
			});

		it.each([
			['the header', { headers: notificationHeaders(MANUAL_SECRET) }],
			['the secret query parameter', { headers: notificationHeaders(), query: { secret: MANUAL_SECRET } }],
		])('accepts the secret in %s', async (_where, delivery) => {
			const { result } = await deliver(manual(), { ...delivery, body: [messageReceived('e1')] });
			expect(started(result)).toHaveLength(1);
		});

		it.each([
			['a wrong query parameter', { headers: notificationHeaders(), query: { secret: `${MANUAL_SECRET}x` } }],
			['a prefix of the secret', { headers: notificationHeaders(MANUAL_SECRET.slice(0, -1)) }],
			['a repeated query parameter', { headers: notificationHeaders(), query: { secret: [MANUAL_SECRET, MANUAL_SECRET] } }],
			['nothing', { headers: notificationHeaders() }],
		])('refuses %s with 401', async (_what, delivery) => {
			const { response } = await deliver(manual(), { ...delivery, body: [messageReceived('e1')] });
			expect(response.status).toBe(401);
		});
	});
});

describe('deliveries', () => {
	it('one item per event, one execution per delivery: the envelope with data, threadId, messageId and sender on top', async () => {
		const t = activated({ events: ['Microsoft.Communication.ChatMessageReceivedInThread', ADDED], ignoreOwnEvents: false });
		const message = messageReceived('e1');
		const added = participantAdded('e2');
		const { result } = await deliver(t, { headers: notificationHeaders(SECRET), body: [message, added] });
		expect(result.workflowData).toHaveLength(1);
		expect(started(result)).toEqual([
			{ ...message, threadId: THREAD_ID, messageId: '1613783230064', sender: OTHER_USER },
			{ ...added, threadId: THREAD_ID, messageId: null, sender: OTHER_USER },
		]);
		expect(result.webhookResponse).toBeUndefined();
	});

	it('a body that is not an array is a 400', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const { response } = await deliver(t, { headers: notificationHeaders(SECRET), body: messageReceived('e1') });
		expect(response).toEqual({ status: 400, body: { error: 'Expected a JSON array of Event Grid events' } });
	});

	it('entries without an id or event type are skipped', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const { result } = await deliver(t, {
			headers: notificationHeaders(SECRET),
			body: [null, 'text', { ...messageReceived(''), id: '' }, { ...messageReceived('e9'), eventType: 7 }, messageReceived('e1')],
		});
		expect(started(result).map((event) => event.id)).toEqual(['e1']);
	});
});

describe('filtering', () => {
	it('drops event types that were not selected (a portal subscription may send more)', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const { result } = await deliver(t, { headers: notificationHeaders(SECRET), body: [participantAdded('e1'), messageReceived('e2')] });
		expect(started(result).map((event) => event.id)).toEqual(['e2']);
	});

	it('keeps only the listed threads', async () => {
		const t = activated({ threadIds: ` ${OTHER_THREAD},\n`, ignoreOwnEvents: false });
		const { result } = await deliver(t, {
			headers: notificationHeaders(SECRET),
			body: [messageReceived('e1'), messageReceived('e2', { threadId: OTHER_THREAD })],
		});
		expect(started(result).map((event) => event.threadId)).toEqual([OTHER_THREAD]);
	});

	it("drops what the ACS credential's own user caused (its reply), with a connection-string credential", async () => {
		const t = activated({ events: ['Microsoft.Communication.ChatMessageReceivedInThread', ADDED], ignoreOwnEvents: true });
		const { result } = await deliver(t, {
			headers: notificationHeaders(SECRET),
			body: [messageReceived('e1', { sender: ACS_USER }), participantAdded('e2', { addedBy: ACS_USER }), messageReceived('e3')],
		});
		expect(started(result).map((event) => event.id)).toEqual(['e3']);
	});

	it('with a pasted access token, the user is the one the token names', async () => {
		const claims = Buffer.from(JSON.stringify({ skypeid: ACS_USER.slice(2), scp: 1792 })).toString('base64url');
		const acsCredential = { endpoint: 'https://contoso.communication.azure.com', accessToken: `eyJhbGciOiJSUzI1NiJ9.${claims}.sig` };
		const t = activated({ ignoreOwnEvents: true }, { acsCredential });
		const { result } = await deliver(t, {
			headers: notificationHeaders(SECRET),
			body: [messageReceived('e1', { sender: ACS_USER }), messageReceived('e2')],
		});
		expect(started(result).map((event) => event.id)).toEqual(['e2']);
	});

	it('an access token that names no user is a clear error (Event Grid retries the delivery once it is fixed)', async () => {
		const acsCredential = { endpoint: 'https://contoso.communication.azure.com', accessToken: 'not-a-jwt-token-value' };
		const t = activated({ ignoreOwnEvents: true }, { acsCredential });
		await expect(deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] })).rejects.toThrow(
			"The acting ACS user is unknown: the credential's access token does not name its user",
		);
	});

	it('everything filtered out: 200 and nothing started', async () => {
		const t = activated({ threadIds: OTHER_THREAD });
		const { result, response } = await deliver(t, {
			headers: notificationHeaders(SECRET),
			body: [messageReceived('e1'), messageReceived('e2', { sender: ACS_USER, threadId: OTHER_THREAD })],
		});
		expect(result).toEqual({ webhookResponse: { received: 2, started: 0 } });
		expect(response.status).toBeUndefined();
	});

	it('the ACS credential is not needed when own events are kept', async () => {
		const t = activated({ ignoreOwnEvents: false }, { acsCredential: {} });
		const { result } = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1', { sender: ACS_USER })] });
		expect(started(result)).toHaveLength(1);
	});
});

describe('duplicates', () => {
	it('the same event id delivered again starts no second execution', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const first = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		const again = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1'), messageReceived('e2')] });
		const third = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		expect(started(first.result).map((e) => e.id)).toEqual(['e1']);
		expect(started(again.result).map((e) => e.id)).toEqual(['e2']);
		expect(third.result).toEqual({ webhookResponse: { received: 1, started: 0 } });
	});

	it('an id twice in one batch is one item', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const { result } = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1'), messageReceived('e1')] });
		expect(started(result)).toHaveLength(1);
	});

	it('two deliveries of one id arriving together start it once', async () => {
		const t = activated({ ignoreOwnEvents: true });
		const results = await Promise.all(
			[1, 2, 3].map(async () => await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] })),
		);
		expect(results.map(({ result }) => started(result).length).sort()).toEqual([0, 0, 1]);
	});

	it('the test webhook and the production one each start the event (both subscriptions get the same id)', async () => {
		const t = activated({ ignoreOwnEvents: false });
		const production = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] }, 'webhook');
		const test = await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] }, 'manual');
		expect([started(production.result).length, started(test.result).length]).toEqual([1, 1]);
	});

	it('another trigger node is not affected', async () => {
		const one = activated({ ignoreOwnEvents: false });
		const other = activated({ ignoreOwnEvents: false });
		await deliver(one, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		const { result } = await deliver(other, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		expect(started(result)).toHaveLength(1);
	});

	it('filtered-out events do not use up their id (the filter may change)', async () => {
		const workflowId = randomUUID();
		const before = activated({ ignoreOwnEvents: false }, { workflowId });
		await deliver(before, { headers: notificationHeaders(SECRET), body: [participantAdded('e1')] });
		const after = activated({ events: [ADDED], ignoreOwnEvents: false }, { workflowId });
		const { result } = await deliver(after, { headers: notificationHeaders(SECRET), body: [participantAdded('e1')] });
		expect(started(result)).toHaveLength(1);
	});
});

describe('webhook() writes no static data', () => {
	it('leaves the record as create saved it, whatever it answers', async () => {
		const t = activated({ ignoreOwnEvents: false });
		await deliver(t, { headers: notificationHeaders(SECRET), body: [messageReceived('e1')] });
		await deliver(t, { headers: notificationHeaders('wrong-secret-00000000000'), body: [messageReceived('e2')] });
		await deliver(t, { headers: { 'aeg-event-type': 'SubscriptionValidation' }, body: validationEvent('c') });
		expect(t.nodeStaticData()).toEqual(createdRecord(SECRET));
		expect((t.workflow.staticData as IDataObject).__dataChanged).not.toBe(true);
	});
});
