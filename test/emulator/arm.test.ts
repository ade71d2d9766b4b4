import { errorBody, readJson } from './support';
import { API_VERSION, CHAT, arm, armToken, liveSubscription, subscriptionBody, subscriptionPath, useEventGridEmulator, useReceiver } from './eventGridSupport';

// ARM for event subscriptions on the emulator's ACS resource: the answers' shape, the long-running operations,
// and every refusal in ARM's {error:{code,message}} with the code Azure gives.

const emulator = useEventGridEmulator();
const receiver = useReceiver();

const path = (name?: string) => subscriptionPath(emulator, name);

describe('PUT, GET, list and DELETE', () => {
	it('PUT answers 201 Creating in ARM’s shape, with the secret header’s value and the URL’s query left out', async () => {
		const body = subscriptionBody(receiver.url('/webhook/abc/webhook?code=query-secret'), { types: [`${CHAT}ChatMessageReceivedInThread`, `${CHAT}ChatThreadCreated`] });
		body.properties.destination.properties.deliveryAttributeMappings.push({ name: 'x-plain', type: 'Static', properties: { value: 'shown', isSecret: false } });
		const response = await arm(emulator, 'PUT', path('n8n-trigger-1'), { body });

		expect(response.status).toBe(201);
		const azureAsync = new URL(response.headers.get('azure-asyncoperation')!);
		expect(azureAsync.pathname).toMatch(new RegExp(`^/subscriptions/${emulator.azure.subscriptionId}/providers/Microsoft.EventGrid/locations/global/operationsStatus/[0-9A-F-]{36}$`));
		const created = await readJson(response);
		expect(created).toEqual({
			id: `${emulator.azure.resourceId}/providers/Microsoft.EventGrid/eventSubscriptions/n8n-trigger-1`,
			name: 'n8n-trigger-1',
			type: 'Microsoft.EventGrid/eventSubscriptions',
			properties: {
				topic: emulator.azure.resourceId,
				provisioningState: 'Creating',
				destination: {
					endpointType: 'WebHook',
					properties: {
						endpointBaseUrl: receiver.url('/webhook/abc/webhook'),
						maxEventsPerBatch: 1,
						preferredBatchSizeInKilobytes: 64,
						deliveryAttributeMappings: [
							{ name: 'x-acs-webhook-secret', type: 'Static', properties: { isSecret: true } },
							{ name: 'x-plain', type: 'Static', properties: { value: 'shown', isSecret: false } },
						],
					},
				},
				filter: {
					includedEventTypes: [`${CHAT}ChatMessageReceivedInThread`, `${CHAT}ChatThreadCreated`],
					subjectBeginsWith: '',
					subjectEndsWith: '',
					isSubjectCaseSensitive: false,
					enableAdvancedFilteringOnArrays: false,
					advancedFilters: [],
				},
				labels: [],
				eventDeliverySchema: 'EventGridSchema',
				retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
			},
		});
		expect(JSON.stringify(created)).not.toMatch(/the-webhook-secret|query-secret/);

		await emulator.eventGrid.idle();
		const status = await readJson(await arm(emulator, 'GET', `${azureAsync.pathname}`));
		expect(status).toMatchObject({ status: 'Succeeded', resourceName: 'n8n-trigger-1' });
		const read = await readJson(await arm(emulator, 'GET', path('N8N-TRIGGER-1')));
		expect(read).toEqual({ ...created, properties: { ...created.properties, provisioningState: 'Succeeded' } });
	});

	it('lists the subscriptions, and getFullUrl gives the endpoint URL with its query', async () => {
		await liveSubscription(emulator, 'first', subscriptionBody(receiver.url('/one?code=abc')));
		await liveSubscription(emulator, 'second', subscriptionBody(receiver.url('/two')));

		const list = await readJson(await arm(emulator, 'GET', path()));
		expect(list.value.map((s: any) => [s.name, s.properties.destination.properties.endpointBaseUrl])).toEqual([
			['first', receiver.url('/one')],
			['second', receiver.url('/two')],
		]);
		const full = await arm(emulator, 'POST', `${path('first')}/getFullUrl`);
		expect([full.status, await readJson(full)]).toEqual([200, { endpointUrl: receiver.url('/one?code=abc') }]);
	});

	it('a second PUT replaces the subscription (201 again) and keeps it live when the endpoint stays', async () => {
		await liveSubscription(emulator, 'replaced', subscriptionBody(receiver.url()));
		receiver.received.length = 0;
		const again = await arm(emulator, 'PUT', path('replaced'), { body: subscriptionBody(receiver.url(), { types: [`${CHAT}ChatThreadDeleted`] }) });
		expect([again.status, (await readJson(again)).properties.provisioningState]).toEqual([201, 'Updating']);
		await emulator.eventGrid.idle();
		const read = await readJson(await arm(emulator, 'GET', path('replaced')));
		expect([read.properties.provisioningState, read.properties.filter.includedEventTypes]).toEqual(['Succeeded', [`${CHAT}ChatThreadDeleted`]]);
		expect(receiver.received).toHaveLength(0);
	});

	it('DELETE answers 202 and the subscription is gone; deleting a missing one is 204, as ARM', async () => {
		await liveSubscription(emulator, 'doomed', subscriptionBody(receiver.url()));
		const deleted = await arm(emulator, 'DELETE', path('doomed'));
		expect(deleted.status).toBe(202);
		expect(deleted.headers.get('location')).toContain('/operationResults/');
		const result = await arm(emulator, 'GET', new URL(deleted.headers.get('location')!).pathname);
		expect(result.status).toBe(204);

		const gone = await arm(emulator, 'GET', path('doomed'));
		expect(gone.status).toBe(404);
		expect((await errorBody(gone)).error).toEqual({
			code: 'ResourceNotFound',
			message: `The Resource 'Microsoft.EventGrid/eventSubscriptions/doomed' under resource group '${emulator.azure.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
		});
		expect((await arm(emulator, 'DELETE', path('doomed'))).status).toBe(204);
	});

	it('a reset removes every subscription', async () => {
		await liveSubscription(emulator, 'kept-until-reset', subscriptionBody(receiver.url()));
		emulator.reset();
		expect((await readJson(await arm(emulator, 'GET', path()))).value).toEqual([]);
	});
});

describe('authentication (401)', () => {
	it.each([
		['no Authorization header', null, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."],
		['a token that is not one', 'not.a.token', 'InvalidAuthenticationToken', 'The access token is invalid.'],
	])('refuses %s', async (_case, token, code, message) => {
		const response = await arm(emulator, 'GET', path(), { token });
		expect(response.status).toBe(401);
		expect((await errorBody(response)).error).toEqual({ code, message });
		expect(response.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer authorization_uri="${emulator.url}/${emulator.azure.tenantId}", error="invalid_token"`));
	});

	it('refuses an expired token and one for another audience with ARM’s codes', async () => {
		const expired = await arm(emulator, 'GET', path(), { token: emulator.azure.issueToken({ expiresOn: Date.now() - 1000 }) });
		expect(expired.status).toBe(401);
		expect((await errorBody(expired)).error.message).toMatch(/^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time/);

		const graph = await arm(emulator, 'GET', path(), { token: emulator.azure.issueToken({ audience: 'https://graph.microsoft.com' }) });
		expect((await errorBody(graph)).error.code).toBe('InvalidAuthenticationTokenAudience');
	});

	it('refuses a token signed by anyone else', async () => {
		const token = await armToken(emulator);
		const [header, claims] = token.split('.');
		const response = await arm(emulator, 'GET', path(), { token: `${header}.${claims}.${Buffer.from('forged').toString('base64url')}` });
		expect((await errorBody(response)).error.code).toBe('InvalidAuthenticationToken');
	});
});

describe('refusals after authentication', () => {
	it('needs a supported api-version (400)', async () => {
		const missing = await arm(emulator, 'GET', path(), { apiVersion: null });
		expect([missing.status, (await errorBody(missing)).error.code]).toEqual([400, 'MissingApiVersionParameter']);
		const old = await arm(emulator, 'GET', path(), { apiVersion: '2018-01-01' });
		expect(old.status).toBe(400);
		expect((await errorBody(old)).error).toMatchObject({ code: 'NoRegisteredProviderFound', message: expect.stringContaining(`'2022-06-15, ${API_VERSION}'`) });
	});

	it('answers 404 naming the first part of a resource id that is not the emulator’s', async () => {
		const [, , sub, , group] = emulator.azure.resourceId.split('/');
		const cases: Array<[string, string]> = [
			[emulator.azure.resourceId.replace(sub, '00000000-0000-4000-8000-000000000000'), 'SubscriptionNotFound'],
			[emulator.azure.resourceId.replace(`resourceGroups/${group}`, 'resourceGroups/other-group'), 'ResourceGroupNotFound'],
			[emulator.azure.resourceId.replace(/communicationServices\/.*$/, 'communicationServices/other-acs'), 'ResourceNotFound'],
		];
		for (const [resourceId, code] of cases) {
			const response = await arm(emulator, 'GET', `${resourceId}/providers/Microsoft.EventGrid/eventSubscriptions`);
			expect([response.status, (await errorBody(response)).error.code]).toEqual([404, code]);
		}
		const casing = await arm(emulator, 'GET', path().toLowerCase());
		expect(casing.status).toBe(200);
	});

	it('answers 403 AuthorizationFailed naming the missing action when the principal has no role', async () => {
		emulator.eventGrid.set({ role: 'none' });
		const put = await arm(emulator, 'PUT', path('no-role'), { body: subscriptionBody(receiver.url()) });
		expect(put.status).toBe(403);
		expect((await errorBody(put)).error).toEqual({
			code: 'AuthorizationFailed',
			message:
				`The client '${emulator.azure.clientId}' with object id '${emulator.azure.principalObjectId}' does not have authorization to perform action ` +
				`'Microsoft.EventGrid/eventSubscriptions/write' over scope '${path('no-role')}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
		});
		const get = await arm(emulator, 'GET', path('no-role'));
		expect((await errorBody(get)).error.message).toContain("'Microsoft.EventGrid/eventSubscriptions/read'");
		expect(receiver.received).toHaveLength(0);
	});

	it('a reader may read and list, not write or delete', async () => {
		await liveSubscription(emulator, 'read-only', subscriptionBody(receiver.url()));
		emulator.eventGrid.set({ role: 'reader' });
		expect((await arm(emulator, 'GET', path('read-only'))).status).toBe(200);
		expect((await arm(emulator, 'GET', path())).status).toBe(200);
		const deleted = await arm(emulator, 'DELETE', path('read-only'));
		expect((await errorBody(deleted)).error.message).toContain("'Microsoft.EventGrid/eventSubscriptions/delete'");
		expect((await arm(emulator, 'POST', `${path('read-only')}/getFullUrl`)).status).toBe(403);
	});

	it.each(['ab', 'a'.repeat(65), 'under_score', 'dot.ted'])('refuses the subscription name %s (400)', async (name) => {
		const response = await arm(emulator, 'PUT', path(name), { body: subscriptionBody(receiver.url()) });
		expect(response.status).toBe(400);
		expect((await errorBody(response)).error.message).toContain('3 to 64 characters long and contain only letters, digits and hyphens');
	});

	it.each([
		['CloudEvents', { properties: { eventDeliverySchema: 'CloudEventSchemaV1_0' } }, /OPTIONS handshake.*n8n answers itself/],
		['another destination type', { destination: {}, endpointType: 'EventHub' }, /endpointType 'EventHub' is not supported/],
		['plain http to another host', { url: 'http://example.com/webhook' }, /must use https/],
		['a relative URL', { url: '/webhook' }, /absolute URL/],
		['more than 5000 events per batch', { destination: { maxEventsPerBatch: 5001 } }, /maxEventsPerBatch must be an integer from 1 to 5000/],
		['a batch preference over 1024 KB', { destination: { preferredBatchSizeInKilobytes: 1025 } }, /preferredBatchSizeInKilobytes/],
		['31 delivery attempts', { properties: { retryPolicy: { maxDeliveryAttempts: 31 } } }, /maxDeliveryAttempts must be an integer from 1 to 30/],
		['an aeg- header', { destination: { deliveryAttributeMappings: [{ name: 'aeg-x', type: 'Static', properties: { value: 'v' } }] } }, /must not start with aeg-/],
		['11 delivery headers', { destination: { deliveryAttributeMappings: Array.from({ length: 11 }, (_, i) => ({ name: `x-${i}`, type: 'Static', properties: { value: 'v' } })) } }, /At most 10/],
		['an unknown filter operator', { filter: { advancedFilters: [{ operatorType: 'StringLike', key: 'data.threadId', values: ['x'] }] } }, /operatorType must be one of/],
		['an expiration in the past', { properties: { expirationTimeUtc: '2020-01-01T00:00:00Z' } }, /expirationTimeUtc must be in the future/],
	])('refuses %s (400 InvalidRequest)', async (_case, change: any, message) => {
		const body: any = subscriptionBody(change.url ?? receiver.url(), { destination: change.destination, properties: change.properties, filter: change.filter });
		if (change.endpointType) body.properties.destination.endpointType = change.endpointType;
		const response = await arm(emulator, 'PUT', path('refused'), { body });
		expect(response.status).toBe(400);
		const { error } = await errorBody(response);
		expect(error.code).toBe('InvalidRequest');
		expect(error.message).toMatch(message);
		expect((await arm(emulator, 'GET', path('refused'))).status).toBe(404);
	});

	it('refuses a body that is not JSON (400 InvalidRequestContent) and methods ARM does not take here (405)', async () => {
		const response = await fetch(`${emulator.url}${path('bad-json')}?api-version=${API_VERSION}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${await armToken(emulator)}`, 'content-type': 'application/json' },
			body: '{',
		});
		expect([response.status, (await errorBody(response)).error.code]).toEqual([400, 'InvalidRequestContent']);
		const patch = await arm(emulator, 'PATCH', path('bad-json'), { body: {} });
		expect([patch.status, (await errorBody(patch)).error.code]).toEqual([405, 'HttpMethodNotSupported']);
	});
});

describe('GET /subscriptions (what the credential test calls)', () => {
	it('lists the emulator’s subscription while the principal holds a role, and none without', async () => {
		const list = await arm(emulator, 'GET', '/subscriptions', { apiVersion: '2022-12-01' });
		expect(list.status).toBe(200);
		expect((await readJson(list)).value).toEqual([expect.objectContaining({ subscriptionId: emulator.azure.subscriptionId, tenantId: emulator.azure.tenantId, state: 'Enabled' })]);
		emulator.eventGrid.set({ role: 'none' });
		expect(await readJson(await arm(emulator, 'GET', '/subscriptions', { apiVersion: '2022-12-01' }))).toEqual({ value: [], count: { type: 'Total', value: 0 } });
		expect((await arm(emulator, 'GET', '/subscriptions', { token: null, apiVersion: '2022-12-01' })).status).toBe(401);
	});
});
