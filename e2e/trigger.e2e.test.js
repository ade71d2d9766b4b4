'use strict';

// The ACS Chat Trigger in a real n8n (`n8n start`: webhooks need the server), subscribing itself through the
// emulator's ARM: the "ACS Chat auto-reply" workflow `npm start` also opens (support/autoReply.js) is activated
// through the REST API as the editor's Publish does; the trigger gets an ARM token from the emulator's Entra
// endpoint, PUTs its Event Grid subscription, answers the validation handshake, and from then on every message a
// customer sends through the emulator starts one execution whose Send Message replies in the thread. The cases
// check the reply, the ARM requests per activation and deactivation, a replayed event id, a wrong secret, and the
// time from a message being sent to its execution starting (median of 20, printed for the closing note).
const { startEmulator } = require('../emulator');
const wf = require('./support/workflows');
const { autoReplyWorkflow, servicePrincipalCredential, MESSAGE_RECEIVED, REPLY } = require('./support/autoReply');
const { liveN8n } = require('./support/live-n8n');
const { leakCheck } = require('./support/leaks');
const { until } = require('./host/until');

const API = 'api-version=2025-03-15';
const WORKFLOW_ID = 'acsE2eAutoReply1';
const WEBHOOK_ID = '6f1d2c1e-5b1a-4c55-9a43-5ee0a5e2e001';
const customer = wf.ids.otherUser;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('the ACS Chat Trigger in a real n8n, subscribed through the emulator’s ARM', () => {
	const leaks = leakCheck();
	let emulator;
	let live;
	let threadId;
	let customerToken;

	async function chat(method, path, token, body) {
		const response = await fetch(`${emulator.url}${path}${path.includes('?') ? '&' : '?'}${API}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	/** The customer writes into the support thread; resolves with the new message's id and when it was sent. */
	async function customerSays(content) {
		const sentAt = Date.now();
		const { id } = await chat('POST', `/chat/threads/${encodeURIComponent(threadId)}/messages`, customerToken, { content });
		return { id, sentAt };
	}

	const armRequests = () => emulator.requests().filter(({ path }) => path.startsWith('/subscriptions/') || path.includes('/oauth2/'));
	const subscriptions = () => emulator.eventGrid.subscriptions();
	const executions = () => live.session.executions(WORKFLOW_ID);
	const replies = async () =>
		(await chat('GET', `/chat/threads/${encodeURIComponent(threadId)}/messages?maxPageSize=200`, emulator.demoToken)).value.filter(
			({ type, content, senderCommunicationIdentifier }) => type === 'text' && content?.message === REPLY && senderCommunicationIdentifier?.rawId === emulator.demoUserId,
		);

	beforeAll(async () => {
		emulator = await startEmulator(wf.emulatorOptions);
		const credential = wf.connectionStringCredential({ id: 'acs', name: 'ACS emulator', emulator });
		const servicePrincipal = servicePrincipalCredential({ id: 'arm', name: 'Emulator service principal', emulator });
		const workflow = autoReplyWorkflow({
			id: WORKFLOW_ID,
			name: 'ACS Chat auto-reply',
			credential,
			servicePrincipal,
			resourceId: emulator.azure.resourceId,
			webhookId: WEBHOOK_ID,
		});
		live = await liveN8n({ credentials: [credential, servicePrincipal], workflows: [workflow] });
		leaks.plant('access key', emulator.key);
		leaks.plant('client secret', emulator.azure.clientSecret);

		const created = await chat('POST', '/chat/threads', emulator.demoToken, {
			topic: 'Support: auto-reply',
			participants: [{ communicationIdentifier: { rawId: customer, communicationUser: { id: customer } }, displayName: 'Customer' }],
		});
		threadId = created.chatThread.id;
		customerToken = emulator.issueToken({ userId: customer });
	}, 300_000);

	afterAll(async () => {
		await live?.remove();
		await emulator?.close();
	});

	let activationArm;

	it('activating subscribes through ARM: one token, one PUT, the handshake answered, the subscription Succeeded', async () => {
		emulator.clearRequests();
		await live.session.activateWorkflow(WORKFLOW_ID);
		const [subscription] = await until('the subscription to succeed', async () => {
			const all = subscriptions();
			return all.length === 1 && all[0].properties.provisioningState === 'Succeeded' && all;
		});
		// create polls until Succeeded: wait for its last read before counting.
		await new Promise((resolve) => setTimeout(resolve, 2_500));
		activationArm = armRequests().map(({ method, path }) => `${method} ${path.split('?')[0]}`);
		console.log(`ARM and Entra requests for one activation:\n${activationArm.join('\n')}`);

		expect(subscription.name).toBe(`n8n-${WEBHOOK_ID}`);
		expect(subscription.properties.filter.includedEventTypes).toEqual([MESSAGE_RECEIVED]);
		expect(subscription.properties.destination.properties.endpointBaseUrl).toMatch(new RegExp(`/webhook/${WEBHOOK_ID}/webhook$`));
		expect(activationArm.filter((line) => line.startsWith('PUT '))).toHaveLength(1);
		expect(activationArm.filter((line) => line.includes('/oauth2/'))).toHaveLength(1);
		const handshakes = emulator.eventGrid.deliveries().filter(({ eventType }) => eventType === 'Microsoft.EventGrid.SubscriptionValidationEvent');
		expect(handshakes.map(({ status }) => status)).toEqual([200]);
		expect(await executions()).toHaveLength(0);
	}, 90_000);

	it('a customer’s message starts one execution, which replies in the thread; the reply starts none', async () => {
		const { id } = await customerSays('Where is my order?');
		const [run] = await until('the execution', async () => {
			const all = await executions();
			return all.length === 1 && all[0].status === 'success' && all;
		});
		const { data } = await live.session.execution(run.id);
		const item = data.resultData.runData['ACS Chat Trigger'][0].data.main[0][0].json;
		expect(item).toMatchObject({ eventType: MESSAGE_RECEIVED, threadId, messageId: id, sender: customer });
		expect(item.data).toMatchObject({ messageBody: 'Where is my order?', threadId });

		await until('the reply', async () => (await replies()).length === 1);
		// The reply's own event is delivered too, and dropped by Ignore Own Events.
		await emulator.eventGrid.idle();
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(await executions()).toHaveLength(1);
		expect(emulator.eventGrid.deliveries().filter(({ eventType }) => eventType === MESSAGE_RECEIVED).map(({ status }) => status)).toEqual([200, 200]);
	}, 60_000);

	it('a replayed event id starts no second execution', async () => {
		const [first] = emulator.eventGrid.events().filter(({ eventType }) => eventType === MESSAGE_RECEIVED);
		const before = (await executions()).length;
		emulator.eventGrid.redeliver(first.id);
		await emulator.eventGrid.idle();
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		const redelivered = emulator.eventGrid.deliveries().filter(({ eventId }) => eventId === first.id);
		console.log(`replayed event ${first.id}: answered ${redelivered.at(-1).status}; executions ${before} → ${(await executions()).length}`);

		expect(redelivered.length).toBeGreaterThanOrEqual(2);
		expect(redelivered.at(-1).status).toBe(200);
		expect(await executions()).toHaveLength(before);
	}, 30_000);

	it('a delivery with a wrong secret, or none, is answered 401 and starts nothing', async () => {
		const before = (await executions()).length;
		const subscription = subscriptions()[0].name;
		const event = { eventType: MESSAGE_RECEIVED, subject: `thread/${threadId}/sender/${customer}`, data: { threadId, messageId: '1', messageBody: 'forged' } };
		const wrong = await emulator.eventGrid.deliver({ subscription, events: [event], headers: { 'x-acs-webhook-secret': 'not-the-secret-at-all' } });
		const none = await emulator.eventGrid.deliver({ subscription, events: [{ ...event, id: undefined }], headers: { 'x-acs-webhook-secret': '' } });
		console.log(`wrong secret: ${wrong.status} ${JSON.stringify(wrong.body)}; no secret: ${none.status}`);

		expect(wrong.status).toBe(401);
		expect(none.status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(await executions()).toHaveLength(before);
	}, 30_000);

	it('20 messages in a row: each starts its execution (time from send to start printed)', async () => {
		const before = (await executions()).length;
		const delays = [];
		for (let index = 0; index < 20; index++) {
			const { sentAt } = await customerSays(`question ${index}`);
			const run = await until(`execution ${index}`, async () => {
				const found = (await executions())[before + index];
				return found?.status === 'success' && found;
			});
			// The trigger's task starts with the execution (the list's startedAt is empty while it is new).
			const { data } = await live.session.execution(run.id);
			delays.push(data.resultData.runData['ACS Chat Trigger'][0].startTime - sentAt);
		}
		console.log(`send → execution start, 20 messages: median ${median(delays)} ms, min ${Math.min(...delays)} ms, max ${Math.max(...delays)} ms`);

		expect(await executions()).toHaveLength(before + 20);
		expect(median(delays)).toBeLessThan(5_000);
	}, 120_000);

	it('deactivating deletes the subscription through ARM', async () => {
		emulator.clearRequests();
		await live.session.deactivateWorkflow(WORKFLOW_ID);
		await until('the subscription to go', async () => subscriptions().length === 0);
		const deactivationArm = armRequests().map(({ method, path }) => `${method} ${path.split('?')[0]}`);
		console.log(`ARM and Entra requests for one deactivation:\n${deactivationArm.join('\n')}`);

		expect(deactivationArm.filter((line) => line.startsWith('DELETE '))).toHaveLength(1);
	}, 60_000);

	it('no access key or client secret in anything n8n wrote (output, answers, files, database)', async () => {
		await live.stop();
		expect(leaks.find(live.leakSources())).toEqual([]);
	});
});
