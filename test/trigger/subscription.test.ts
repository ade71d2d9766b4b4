import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { checkExists, create, deleteSubscription, PROVISIONING_WAIT } from '../../nodes/AcsChatTrigger/subscription';
import {
	API_VERSION,
	ARM,
	ARM_TOKEN,
	AUTOMATIC,
	CLIENT_ID,
	CLIENT_SECRET,
	createdRecord,
	hookContext,
	LOGIN,
	RESOURCE_ID,
	SUBSCRIPTION_NAME,
	SUBSCRIPTION_PATH,
	TOKEN_PATH,
	trigger,
	WEBHOOK_ID,
	WEBHOOK_URL,
} from './support';

const noWait = { sleep: async () => {}, now: () => 0 };
const RECEIVED = 'Microsoft.Communication.ChatMessageReceivedInThread';
const REMOVED = 'Microsoft.Communication.ChatThreadParticipantRemoved';
const PARAMETERS = { ...AUTOMATIC, ignoreOwnEvents: false };
const STATIC_KEY = 'node:ACS Chat Trigger';

function tokenEndpoint(accessToken = ARM_TOKEN) {
	return nock(LOGIN).post(TOKEN_PATH).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: accessToken });
}

function arm(accessToken = ARM_TOKEN) {
	return nock(ARM, { reqheaders: { authorization: `Bearer ${accessToken}` } });
}

function subscription(state: string, properties: IDataObject = {}, endpointBaseUrl = WEBHOOK_URL): IDataObject {
	return {
		id: SUBSCRIPTION_PATH,
		name: SUBSCRIPTION_NAME,
		type: 'Microsoft.EventGrid/eventSubscriptions',
		properties: {
			provisioningState: state,
			destination: {
				endpointType: 'WebHook',
				properties: {
					endpointBaseUrl,
					maxEventsPerBatch: 10,
					preferredBatchSizeInKilobytes: 64,
					deliveryAttributeMappings: [{ name: 'x-acs-webhook-secret', type: 'Static', properties: { isSecret: true } }],
				},
			},
			filter: { includedEventTypes: [RECEIVED] },
			eventDeliverySchema: 'EventGridSchema',
			retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
			...properties,
		},
	};
}

/** Everything no error or log line may show. */
function expectNoSecrets(value: unknown, ...more: string[]) {
	const text = JSON.stringify(value, Object.getOwnPropertyNames(value as object)) + String((value as Error)?.message);
	for (const secret of [CLIENT_SECRET, ARM_TOKEN, ...more]) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	const error = await promise.then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) {
		throw new Error(`expected a node error, got ${String(error)}`);
	}
	return error;
}

describe('create (automatic mode)', () => {
	it('asks Entra ID for an ARM token, PUTs the subscription and waits until it is Succeeded', async () => {
		const t = trigger({ parameters: PARAMETERS });
		const tokenRequest = nock(LOGIN)
			.post(TOKEN_PATH, (body) => {
				expect(body).toEqual({
					grant_type: 'client_credentials',
					client_id: CLIENT_ID,
					client_secret: CLIENT_SECRET,
					scope: 'https://management.azure.com/.default',
				});
				return true;
			})
			.reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: ARM_TOKEN });
		let sent: IDataObject | undefined;
		const requests = arm()
			.put(SUBSCRIPTION_PATH, (body) => ((sent = body), true))
			.query(API_VERSION)
			.reply(201, subscription('Creating'))
			.get(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(200, subscription('Creating'))
			.get(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(200, subscription('Succeeded'));

		await expect(create.call(hookContext(t), noWait)).resolves.toBe(true);

		tokenRequest.done();
		requests.done();
		const record = t.nodeStaticData();
		expect(record).toMatchObject({ subscriptionName: SUBSCRIPTION_NAME, resourceId: RESOURCE_ID, endpointUrl: WEBHOOK_URL });
		expect(String(record.secret)).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(sent).toEqual({
			properties: {
				destination: {
					endpointType: 'WebHook',
					properties: {
						endpointUrl: WEBHOOK_URL,
						maxEventsPerBatch: 10,
						preferredBatchSizeInKilobytes: 64,
						deliveryAttributeMappings: [
							{ name: 'x-acs-webhook-secret', type: 'Static', properties: { value: record.secret, isSecret: true } },
						],
					},
				},
				filter: { includedEventTypes: [RECEIVED] },
				eventDeliverySchema: 'EventGridSchema',
				retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
			},
		});
		// n8n stored the token with the credential, so the next request (and activation) reuses it.
		expect(t.credentialsHelper.stored.get('sp-1')?.oauthTokenData).toMatchObject({ access_token: ARM_TOKEN });
	});

	it('gives each activation a new secret and subscribes to exactly the selected events', async () => {
		const secrets: string[] = [];
		for (let run = 0; run < 2; run++) {
			const t = trigger({ parameters: { ...PARAMETERS, events: [REMOVED, RECEIVED] } });
			tokenEndpoint();
			arm()
				.put(SUBSCRIPTION_PATH, (body) => {
					expect(body.properties.filter).toEqual({ includedEventTypes: [REMOVED, RECEIVED] });
					return true;
				})
				.query(API_VERSION)
				.reply(200, subscription('Succeeded'));
			await create.call(hookContext(t), noWait);
			secrets.push(String(t.nodeStaticData().secret));
		}
		expect(secrets[0]).not.toBe(secrets[1]);
	});

	it("the editor's test webhook gets its own subscription, on the test URL", async () => {
		const t = trigger({ parameters: PARAMETERS });
		const testUrl = `https://n8n.example.com/webhook-test/${WEBHOOK_ID}/webhook`;
		const testPath = SUBSCRIPTION_PATH.replace(SUBSCRIPTION_NAME, `n8n-test-${WEBHOOK_ID}`);
		tokenEndpoint();
		const requests = arm()
			.put(testPath, (body) => body.properties.destination.properties.endpointUrl === testUrl)
			.query(API_VERSION)
			.reply(201, subscription('Succeeded', {}, testUrl));
		await create.call(hookContext(t, 'manual'), noWait);
		requests.done();
		expect(t.nodeStaticData()).toMatchObject({ subscriptionName: `n8n-test-${WEBHOOK_ID}`, endpointUrl: testUrl });
	});

	it('refuses a Resource ID that is not an ACS resource before any request, naming the expected shape', async () => {
		const t = trigger({ parameters: { ...PARAMETERS, resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s' } });
		const tokenRequest = tokenEndpoint();
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Resource ID is not the ID of a Communication Services resource: expected \/subscriptions\/0{8}-.*\/providers\/Microsoft\.Communication\/communicationServices\/my-acs/);
		expect(error.message).toContain('Properties → Resource ID');
		expect(tokenRequest.isDone()).toBe(false);
		expect(t.nodeStaticData()).toEqual({});
	});

	it.each([
		['http://n8n.example.com/webhook', /Event Grid delivers only to https URLs, and this node's webhook URL is http:\/\/n8n\.example\.com/],
	])('refuses a webhook URL Event Grid cannot deliver to (%s) before any request', async (base, message) => {
		const t = trigger({ parameters: PARAMETERS });
		const tokenRequest = tokenEndpoint();
		const context = hookContext(t);
		Object.assign((context as unknown as { additionalData: IDataObject }).additionalData, { webhookBaseUrl: base });
		const error = await failure(create.call(context, noWait));
		expect(error.message).toMatch(message);
		expect(error.description).toContain('WEBHOOK_URL');
		expect(tokenRequest.isDone()).toBe(false);
	});

	it('accepts plain http on loopback, where the emulator delivers', async () => {
		const t = trigger({ parameters: PARAMETERS });
		const context = hookContext(t);
		Object.assign((context as unknown as { additionalData: IDataObject }).additionalData, { webhookBaseUrl: 'http://127.0.0.1:5678/webhook' });
		tokenEndpoint();
		arm()
			.put(SUBSCRIPTION_PATH, (body) => body.properties.destination.properties.endpointUrl === `http://127.0.0.1:5678/webhook/${WEBHOOK_ID}/webhook`)
			.query(API_VERSION)
			.reply(201, subscription('Succeeded'));
		await expect(create.call(context, noWait)).resolves.toBe(true);
	});

	it('403: names the role to grant on the ACS resource, keeps ARM’s code, leaks no secret, remembers nothing', async () => {
		const t = trigger({ parameters: PARAMETERS });
		tokenEndpoint();
		arm()
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(403, {
				error: {
					code: 'AuthorizationFailed',
					message: `The client '${CLIENT_ID}' with object id 'x' does not have authorization to perform action 'Microsoft.EventGrid/eventSubscriptions/write' over scope '${RESOURCE_ID}'.`,
				},
			});
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Azure Resource Manager answered 403 AuthorizationFailed when the trigger tried to create Event Grid subscription n8n-.* does not have authorization to perform action 'Microsoft\.EventGrid\/eventSubscriptions\/write'/);
		expect(error.description).toContain('"EventGrid EventSubscription Contributor"');
		expect(error.description).toContain('Access control (IAM)');
		expect((error as NodeApiError).httpCode).toBe('403');
		expect(error.context.armError).toMatchObject({ httpCode: 403, code: 'AuthorizationFailed' });
		expectNoSecrets(error);
		expect(t.nodeStaticData()).toEqual({});
	});

	it('404: says the resource ID is wrong and where to copy it from', async () => {
		const t = trigger({ parameters: PARAMETERS });
		tokenEndpoint();
		arm()
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(404, { error: { code: 'ResourceNotFound', message: `The Resource '${RESOURCE_ID}' was not found.` } });
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error.message).toMatch(/answered 404 ResourceNotFound .* was not found\.$/);
		expect(error.description).toMatch(/^No such Communication Services resource .* Copy the Resource ID from the resource's Properties page/);
	});

	it('a refused token request (wrong client secret) says so in Entra’s words, without the secret', async () => {
		const t = trigger({ parameters: PARAMETERS });
		nock(LOGIN)
			.post(TOKEN_PATH)
			.reply(401, {
				error: 'invalid_client',
				error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'.`,
			});
		const armRequests = arm().put(SUBSCRIPTION_PATH).query(API_VERSION).reply(201, {});
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error.message).toMatch(/^Entra ID refused the service principal's token request, so the trigger could not create Event Grid subscription .*: AADSTS7000215: Invalid client secret provided/);
		expect(error.description).toContain('client secret Value');
		expect(error.context.armError).toMatchObject({ httpCode: null, code: 'invalid_client' });
		expect(armRequests.isDone()).toBe(false);
		expectNoSecrets(error);
	});

	it('an expired stored token: ARM answers 401, n8n fetches a new token and the PUT goes once more', async () => {
		const t = trigger({
			parameters: PARAMETERS,
			spCredential: {
				cloud: 'azurePublic',
				tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				oauthTokenData: { token_type: 'Bearer', access_token: 'expired-token-0000' },
			},
		});
		arm('expired-token-0000')
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(401, { error: { code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier than current UTC time.' } });
		const fresh = tokenEndpoint('fresh-token-1111');
		const retried = arm('fresh-token-1111').put(SUBSCRIPTION_PATH).query(API_VERSION).reply(201, subscription('Succeeded'));
		await expect(create.call(hookContext(t), noWait)).resolves.toBe(true);
		fresh.done();
		retried.done();
		expect(t.credentialsHelper.stored.get('sp-1')?.oauthTokenData).toMatchObject({ access_token: 'fresh-token-1111' });
	});

	it('validation failed (provisioningState Failed): deletes the subscription, remembers nothing, names WEBHOOK_URL', async () => {
		const t = trigger({ parameters: PARAMETERS });
		tokenEndpoint();
		const requests = arm()
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(201, subscription('Creating'))
			.get(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(200, subscription('Failed'))
			.delete(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(200);
		const error = await failure(create.call(hookContext(t), noWait));
		requests.done();
		expect(error.message).toBe(`Event Grid could not validate this node's webhook URL ${WEBHOOK_URL} (subscription ${SUBSCRIPTION_NAME}: Failed)`);
		expect(error.description).toContain('WEBHOOK_URL');
		expect(t.nodeStaticData()).toEqual({});
	});

	it('waits a bounded time: a subscription still Creating after a minute is left to finish, and kept', async () => {
		const t = trigger({ parameters: PARAMETERS });
		let clock = 0;
		const waiting = { sleep: async (ms: number) => void (clock += ms), now: () => clock };
		let reads = 0;
		tokenEndpoint();
		arm().put(SUBSCRIPTION_PATH).query(API_VERSION).reply(201, subscription('Creating'));
		arm()
			.get(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.times(100)
			.reply(200, () => (reads++, subscription('Creating')));
		await expect(create.call(hookContext(t), waiting)).resolves.toBe(true);
		expect(reads).toBe(PROVISIONING_WAIT.maxWaitMs / PROVISIONING_WAIT.intervalMs);
		expect(clock).toBe(PROVISIONING_WAIT.maxWaitMs);
		expect(t.nodeStaticData()).toMatchObject({ subscriptionName: SUBSCRIPTION_NAME });
	});

	it('a read failing while it waits: deletes what the PUT made and remembers nothing', async () => {
		const t = trigger({ parameters: PARAMETERS });
		tokenEndpoint();
		const requests = arm()
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(201, subscription('Creating'))
			.get(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(500, { error: { code: 'InternalServerError', message: 'Try again.' } })
			.delete(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(202);
		const error = await failure(create.call(hookContext(t), noWait));
		requests.done();
		expect(error.message).toMatch(/answered 500 InternalServerError when the trigger tried to read Event Grid subscription/);
		expect(t.nodeStaticData()).toEqual({});
	});

	it('first deletes a subscription it made earlier on another resource', async () => {
		const oldResource = RESOURCE_ID.replace('contoso-chat', 'old-chat');
		const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: { ...createdRecord(), resourceId: oldResource } } });
		tokenEndpoint();
		const requests = arm()
			.delete(SUBSCRIPTION_PATH.replace(RESOURCE_ID, oldResource))
			.query(API_VERSION)
			.reply(200)
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(201, subscription('Succeeded'));
		await create.call(hookContext(t), noWait);
		requests.done();
		expect(t.nodeStaticData().resourceId).toBe(RESOURCE_ID);
	});

	it('manual mode creates nothing', async () => {
		const t = trigger({ parameters: { subscriptionMode: 'manual', webhookSecret: 'a-secret-of-24-characters', ignoreOwnEvents: false } });
		await expect(create.call(hookContext(t), noWait)).resolves.toBe(true);
		expect(t.nodeStaticData()).toEqual({});
	});
});

describe('checkExists', () => {
	const withRecord = () => trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: createdRecord() } });

	it('reuses the subscription it made: one GET, for this URL, these events, with its secret header', async () => {
		const t = withRecord();
		tokenEndpoint();
		const read = arm().get(SUBSCRIPTION_PATH).query(API_VERSION).reply(200, subscription('Succeeded'));
		await expect(checkExists.call(hookContext(t))).resolves.toBe(true);
		read.done();
		expect(t.nodeStaticData().secret).toBe(createdRecord().secret);
	});

	it.each([
		['another endpoint', subscription('Succeeded', {}, 'https://elsewhere.example.com/webhook/x/webhook')],
		['other event types', subscription('Succeeded', { filter: { includedEventTypes: [RECEIVED, REMOVED] } })],
		['no secret header', (() => {
			const s = subscription('Succeeded');
			((s.properties as IDataObject).destination as IDataObject).properties = { endpointBaseUrl: WEBHOOK_URL };
			return s;
		})()],
		['not live (Failed)', subscription('Failed')],
		['CloudEvents schema', subscription('Succeeded', { eventDeliverySchema: 'CloudEventSchemaV1_0' })],
	])('does not reuse a subscription with %s', async (_what, answer) => {
		const t = withRecord();
		tokenEndpoint();
		arm().get(SUBSCRIPTION_PATH).query(API_VERSION).reply(200, answer);
		await expect(checkExists.call(hookContext(t))).resolves.toBe(false);
	});

	it('a subscription that is gone (404) is created again', async () => {
		const t = withRecord();
		tokenEndpoint();
		arm().get(SUBSCRIPTION_PATH).query(API_VERSION).reply(404, { error: { code: 'ResourceNotFound', message: 'gone' } });
		await expect(checkExists.call(hookContext(t))).resolves.toBe(false);
	});

	it('without its secret in static data it asks ARM nothing and creates a new one', async () => {
		const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: { ...createdRecord(), secret: '' } } });
		const tokenRequest = tokenEndpoint();
		await expect(checkExists.call(hookContext(t))).resolves.toBe(false);
		expect(tokenRequest.isDone()).toBe(false);
	});

	it('a record made for another resource or URL is not reused', async () => {
		for (const record of [{ resourceId: RESOURCE_ID.replace('contoso', 'other') }, { endpointUrl: 'https://old.example.com/webhook/x/webhook' }]) {
			const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: { ...createdRecord(), ...record } } });
			await expect(checkExists.call(hookContext(t))).resolves.toBe(false);
		}
	});

	it('a 403 on the read is an error naming the role, not a silent "create it again"', async () => {
		const t = withRecord();
		tokenEndpoint();
		arm().get(SUBSCRIPTION_PATH).query(API_VERSION).reply(403, { error: { code: 'AuthorizationFailed', message: 'no read' } });
		const error = await failure(checkExists.call(hookContext(t)));
		expect(error.description).toContain('EventGrid EventSubscription Contributor');
	});

	it('manual mode: nothing to check at Azure', async () => {
		const t = trigger({ parameters: { subscriptionMode: 'manual', webhookSecret: 'a-secret-of-24-characters', ignoreOwnEvents: false } });
		await expect(checkExists.call(hookContext(t))).resolves.toBe(true);
	});

	it.each([
		[{ subscriptionMode: 'manual', webhookSecret: 'short' }, /^Secret must be at least 16 characters/],
		[{ events: [] }, /^Events is empty/],
		[{ events: ['Microsoft.Communication.CallStarted'] }, /^Events holds "Microsoft\.Communication\.CallStarted", which is not an ACS chat event type/],
		[{ threadIds: '19:a@thread.v2, 19 b' }, /^Thread IDs \(entry 2\) is not an ACS chat thread ID/],
	])('activation refuses bad settings: %p', async (parameters, message) => {
		const t = trigger({ parameters: { ...PARAMETERS, ...parameters } });
		const error = await failure(checkExists.call(hookContext(t)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
	});
});

describe('delete', () => {
	it('deletes the subscription it made and forgets it', async () => {
		const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: createdRecord() } });
		tokenEndpoint();
		const request = arm().delete(SUBSCRIPTION_PATH).query(API_VERSION).reply(200);
		await expect(deleteSubscription.call(hookContext(t))).resolves.toBe(true);
		request.done();
		expect(t.nodeStaticData()).toEqual({});
	});

	it('a subscription already gone (404) counts as deleted', async () => {
		const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: createdRecord() } });
		tokenEndpoint();
		arm().delete(SUBSCRIPTION_PATH).query(API_VERSION).reply(404, { error: { code: 'NotFound', message: 'gone' } });
		await expect(deleteSubscription.call(hookContext(t))).resolves.toBe(true);
		expect(t.nodeStaticData()).toEqual({});
	});

	it('deletes nothing it did not make (manual mode, or no record)', async () => {
		const t = trigger({ parameters: { subscriptionMode: 'manual', webhookSecret: 'a-secret-of-24-characters' } });
		const tokenRequest = tokenEndpoint();
		await expect(deleteSubscription.call(hookContext(t))).resolves.toBe(true);
		expect(tokenRequest.isDone()).toBe(false);
	});

	it('a failed delete is an error and the record stays, so deactivating again can retry', async () => {
		const t = trigger({ parameters: PARAMETERS, staticData: { [STATIC_KEY]: createdRecord() } });
		tokenEndpoint();
		arm().delete(SUBSCRIPTION_PATH).query(API_VERSION).reply(409, { error: { code: 'Conflict', message: 'busy' } });
		const error = await failure(deleteSubscription.call(hookContext(t)));
		expect(error.message).toMatch(/answered 409 Conflict when the trigger tried to delete Event Grid subscription/);
		expect(t.nodeStaticData().subscriptionName).toBe(SUBSCRIPTION_NAME);
	});
});

describe('the service principal, checked before any request', () => {
	const custom = (fields: IDataObject) => ({
		cloud: 'custom',
		tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
		clientId: CLIENT_ID,
		clientSecret: CLIENT_SECRET,
		authorityHost: 'http://127.0.0.1:4711',
		armHost: 'http://127.0.0.1:4711',
		customScope: 'https://management.azure.com/.default',
		...fields,
	});

	it.each([
		[{ tenantId: 'contoso/../evil' }, "The Azure Service Principal credential's Tenant ID must be the Directory (tenant) ID"],
		[{ clientId: ' ' }, "The Azure Service Principal credential's Client ID is empty"],
		[{ clientSecret: '' }, "The Azure Service Principal credential's Client Secret is empty"],
		[{ armHost: 'http://arm.example.com' }, "Resource Manager Host must use https:// (plain http is accepted only for localhost"],
		[{ armHost: 'https://arm.example.com/path' }, 'Resource Manager Host must be only scheme, host and port'],
		[{ authorityHost: '' }, 'Authority Host is empty: the Custom cloud needs it'],
		[{ authorityHost: 'login.example.com' }, 'Authority Host must be a URL starting with https://'],
		[{ cloud: 'azureGermany' }, 'Cloud is not one this node knows (azureGermany)'],
	])('refuses %p', async (fields, message) => {
		const t = trigger({ parameters: PARAMETERS, spCredential: custom(fields) });
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(message);
		expect(t.nodeStaticData()).toEqual({});
	});

	it('a Custom cloud on loopback (the emulator) gets its token and its ARM calls there', async () => {
		const t = trigger({ parameters: PARAMETERS, spCredential: custom({ authorityHost: 'http://127.0.0.1:4711/', armHost: 'http://localhost:4712' }) });
		const token = nock('http://127.0.0.1:4711').post(TOKEN_PATH).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: ARM_TOKEN });
		const put = nock('http://localhost:4712', { reqheaders: { authorization: `Bearer ${ARM_TOKEN}` } })
			.put(SUBSCRIPTION_PATH)
			.query(API_VERSION)
			.reply(201, subscription('Succeeded'));
		await expect(create.call(hookContext(t), noWait)).resolves.toBe(true);
		token.done();
		put.done();
	});

	it('ARM out of reach: says so, naming the operation, without the secrets', async () => {
		const t = trigger({ parameters: PARAMETERS });
		tokenEndpoint();
		arm().put(SUBSCRIPTION_PATH).query(API_VERSION).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const error = await failure(create.call(hookContext(t), noWait));
		expect(error.message).toMatch(/^Could not reach Azure Resource Manager to create Event Grid subscription n8n-.*: socket hang up/);
		expect(error.context.armError).toMatchObject({ httpCode: null, code: 'ECONNRESET' });
		expectNoSecrets(error);
	});
});

describe('the node class', () => {
	it('hands its webhook methods to these functions', async () => {
		const { AcsChatTrigger } = await import('../../nodes/AcsChatTrigger/AcsChatTrigger.node');
		const methods = new AcsChatTrigger().webhookMethods.default;
		const t = trigger({ parameters: { subscriptionMode: 'manual', webhookSecret: 'a-secret-of-24-characters', ignoreOwnEvents: false } });
		await expect(methods.checkExists.call(hookContext(t))).resolves.toBe(true);
		await expect(methods.create.call(hookContext(t))).resolves.toBe(true);
		await expect(methods.delete.call(hookContext(t))).resolves.toBe(true);
	});
});
