import { DEMO_THREAD, readJson, threadPath } from './support';
import { arm, liveSubscription, subscriptionBody, subscriptionPath, useEventGridEmulator, useReceiver } from './eventGridSupport';

// The validation handshake before a subscription goes live (EventGridSchema), and what each answer leads to.

const emulator = useEventGridEmulator();
const receiver = useReceiver();

const state = async (name: string) => (await readJson(await arm(emulator, 'GET', subscriptionPath(emulator, name)))).properties.provisioningState;

async function create(name: string, endpointUrl = receiver.url()) {
	const response = await arm(emulator, 'PUT', subscriptionPath(emulator, name), { body: subscriptionBody(endpointUrl) });
	expect(response.status).toBe(201);
	return new URL(response.headers.get('azure-asyncoperation')!).pathname;
}

const sendMessage = (content: string) =>
	fetch(`${emulator.url}${threadPath(DEMO_THREAD)}/messages?api-version=2025-03-15`, {
		method: 'POST',
		headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json' },
		body: JSON.stringify({ content }),
	});

it('POSTs one SubscriptionValidationEvent to the full endpoint URL, with Event Grid’s headers and no delivery attributes', async () => {
	await create('n8n-validate', receiver.url('/webhook/x/webhook?token=abc'));
	await emulator.eventGrid.idle();

	expect(receiver.received).toHaveLength(1);
	const [request] = receiver.received;
	expect([request.method, request.path]).toEqual(['POST', '/webhook/x/webhook?token=abc']);
	expect(request.headers).toMatchObject({
		'content-type': 'application/json; charset=utf-8',
		'aeg-event-type': 'SubscriptionValidation',
		'aeg-subscription-name': 'N8N-VALIDATE',
		'aeg-delivery-count': '0',
		'aeg-data-version': '2',
		'aeg-metadata-version': '1',
	});
	expect(request.headers['x-acs-webhook-secret']).toBeUndefined();
	expect(request.body).toEqual([
		{
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			topic: emulator.azure.resourceId,
			subject: '',
			data: { validationCode: expect.stringMatching(/^[0-9A-F-]{36}$/), validationUrl: expect.any(String) },
			eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
			eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			metadataVersion: '1',
			dataVersion: '2',
		},
	]);
	const validationUrl = new URL(request.body[0].data.validationUrl);
	expect(validationUrl.origin).toBe(emulator.url);
	expect(validationUrl.pathname).toBe('/eventsubscriptions/n8n-validate/validate');
	expect(validationUrl.searchParams.get('id')).toBe(request.body[0].data.validationCode);
	expect(await state('n8n-validate')).toBe('Succeeded');
	expect(emulator.eventGrid.deliveries()).toEqual([expect.objectContaining({ eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', status: 200, outcome: 'Validated' })]);
});

it('sends the delivery attribute headers with the validation when handshakeHeaders is on', async () => {
	emulator.eventGrid.set({ handshakeHeaders: true });
	await liveSubscription(emulator, 'with-headers', subscriptionBody(receiver.url()));
	expect(receiver.received[0].headers['x-acs-webhook-secret']).toBe('the-webhook-secret');
});

it.each([
	[401, 'Http POST request failed with response code 401'],
	[500, 'Http POST request failed with response code 500'],
])('a %i answer fails the subscription at once, with the reason in its operation', async (status, reason) => {
	receiver.answerWith(() => ({ status }));
	const operation = await create('refused');
	await emulator.eventGrid.idle();
	expect(await state('refused')).toBe('Failed');
	expect(await readJson(await arm(emulator, 'GET', operation))).toMatchObject({
		status: 'Failed',
		error: { code: 'Url validation', message: `Webhook validation handshake failed for ${receiver.url()}: ${reason}. For troubleshooting, visit https://aka.ms/esvalidation.` },
	});
	const result = await arm(emulator, 'GET', operation.replace('operationsStatus', 'operationResults'));
	expect(result.status).toBe(400);
});

it('no answer within timeoutMs fails it (TimedOut), and so does an endpoint nobody listens on (SocketError)', async () => {
	emulator.eventGrid.set({ timeoutMs: 50 });
	receiver.answerWith(() => 'hang');
	await create('hangs');
	await create('nobody', 'http://127.0.0.1:9/webhook');
	await emulator.eventGrid.idle();
	expect([await state('hangs'), await state('nobody')]).toEqual(['Failed', 'Failed']);
	const errors = Object.fromEntries(emulator.eventGrid.deliveries().map((d) => [d.subscription, [d.outcome, d.error]]));
	expect(errors).toEqual({ hangs: ['Failed', 'TimedOut'], nobody: ['Failed', 'SocketError'] });
});

describe('a 2xx without the right validationResponse', () => {
	it('waits in AwaitingManualAction, delivers nothing, and goes live once the validation URL is opened', async () => {
		receiver.answerWith((request) => ({ status: 200, body: request.headers['aeg-event-type'] === 'SubscriptionValidation' ? { validationResponse: 'wrong' } : undefined }));
		await create('manual');
		while ((await state('manual')) === 'Creating') await new Promise((resolve) => setImmediate(resolve));
		expect(await state('manual')).toBe('AwaitingManualAction');

		await sendMessage('before validation');
		const { validationUrl } = receiver.received[0].body[0].data;
		const opened = await fetch(validationUrl);
		expect(opened.status).toBe(200);
		expect(await state('manual')).toBe('Succeeded');
		expect((await fetch(validationUrl)).status).toBe(400);

		await sendMessage('after validation');
		await emulator.eventGrid.idle();
		expect(receiver.events().map((e) => e.data.messageBody)).toEqual(['after validation']);
	});

	it('fails when the validation window ends first, and the URL no longer validates', async () => {
		emulator.eventGrid.set({ validationWindowMs: 20 });
		receiver.answerWith(() => ({ status: 202 }));
		await create('too-late');
		await emulator.eventGrid.idle();
		expect(await state('too-late')).toBe('Failed');
		expect((await fetch(receiver.received[0].body[0].data.validationUrl)).status).toBe(400);
	});

	it('refuses a validation URL whose token is not the one sent', async () => {
		receiver.answerWith(() => ({ status: 200 }));
		await create('forged');
		while ((await state('forged')) === 'Creating') await new Promise((resolve) => setImmediate(resolve));
		const url = new URL(receiver.received[0].body[0].data.validationUrl);
		url.searchParams.set('token', 'forged');
		expect((await fetch(url)).status).toBe(400);
		expect(await state('forged')).toBe('AwaitingManualAction');
	});
});

it('a new endpoint on a live subscription is validated again before it receives anything', async () => {
	await liveSubscription(emulator, 'moving', subscriptionBody(receiver.url('/old')));
	receiver.answerWith(() => ({ status: 500 }));
	await create('moving', receiver.url('/new'));
	await emulator.eventGrid.idle();
	expect(receiver.received.map((r) => [r.path, r.headers['aeg-event-type']])).toEqual([
		['/old', 'SubscriptionValidation'],
		['/new', 'SubscriptionValidation'],
	]);
	expect(await state('moving')).toBe('Failed');
});
