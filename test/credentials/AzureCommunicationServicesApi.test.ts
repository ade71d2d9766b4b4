import nock from 'nock';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { getThread, THREAD, THREAD_ID, threadPath, TOKEN_CHECK } from '../fixtures/acs';
import { issued } from '../fixtures/session';
import { runAcsChat, TEST_TOKEN } from '../harness/runNode';

const credential = new AzureCommunicationServicesApi();

describe('AzureCommunicationServicesApi credential', () => {
	it('declares an endpoint and a password-typed access token', () => {
		expect(credential.name).toBe('azureCommunicationServicesApi');
		expect(credential.displayName).toBe('Azure Communication Services API');
		const fields = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(fields.endpoint.required).toBe(true);
		expect(fields.accessToken.typeOptions?.password).toBe(true);
	});

	it('checks a new token once, then sends it as a bearer header, trimmed of pasted whitespace', async () => {
		const scope = nock('https://contoso.communication.azure.com', {
			reqheaders: { authorization: `Bearer ${TEST_TOKEN}` },
		})
			.get(TOKEN_CHECK.path)
			.query(TOKEN_CHECK.query)
			.reply(200, { value: [] })
			.get(threadPath())
			.query(true)
			.reply(200, THREAD);

		const { success } = await runAcsChat({
			parameters: getThread(THREAD_ID),
			credential: { endpoint: 'https://contoso.communication.azure.com', accessToken: `${TEST_TOKEN}\n` },
		});

		expect(success[0].json).toEqual(THREAD);
		scope.done();
	});

	describe('authenticate', () => {
		const KEY = Buffer.from('test-access-key-not-real-0123456789abcdef').toString('base64');
		const USER = '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_user-1';
		const testRequest = () => ({ ...credential.test.request }) as IHttpRequestOptions;
		const connectionString = (value: string) =>
			issued({ authentication: 'connectionString', connectionStringSecret: value, userId: USER, expiresInMinutes: 60 }, TEST_TOKEN);

		it.each([
			['https://contoso.communication.azure.com', 'https://contoso.communication.azure.com'],
			[' https://contoso.communication.azure.com/ ', 'https://contoso.communication.azure.com'],
			['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
		])('sends the test request for the Endpoint %p to %p, with the pasted token', async (endpoint, baseURL) => {
			const request = await credential.authenticate({ endpoint, accessToken: ` ${TEST_TOKEN}\n` }, testRequest());

			expect(request).toMatchObject({
				baseURL,
				url: '/chat/threads',
				qs: { 'api-version': '2024-03-07', maxPageSize: 1 },
				headers: { Authorization: `Bearer ${TEST_TOKEN}` },
			});
		});

		it.each([
			`endpoint=https://contoso.communication.azure.com/;accesskey=${KEY}`,
			`endpoint = https://contoso.communication.azure.com/ ;\n accesskey = ${KEY}`,
			`\tAccessKey=${KEY};Endpoint=https://contoso.communication.azure.com;`,
		])('sends the test request for the connection string %p to its endpoint as the node reads it', async (value) => {
			const request = await credential.authenticate(connectionString(value), testRequest());

			expect(request.baseURL).toBe('https://contoso.communication.azure.com');
			expect(request.headers?.Authorization).toBe(`Bearer ${TEST_TOKEN}`);
			expect(JSON.stringify(request)).not.toContain(KEY);
		});

		it('refuses a connection string it cannot read, naming the field and never the key', async () => {
			const error = await credential
				.authenticate(
					{ authentication: 'connectionString', connectionStringSecret: `endpoint=contoso.communication.azure.com;accesskey=${KEY}`, userId: USER },
					testRequest(),
				)
				.then(() => undefined, (caught: Error) => caught);

			expect(error?.message).toMatch(/^The credential Connection String endpoint must start with https:\/\//);
			expect(String(error)).not.toContain(KEY);
		});

		it('puts the token on no request to another origin', async () => {
			const error = await credential
				.authenticate({ endpoint: 'https://contoso.communication.azure.com', accessToken: TEST_TOKEN }, {
					url: 'https://elsewhere.example.com/chat/threads',
				})
				.then(() => undefined, (caught: Error) => caught);

			expect(error?.message).toMatch(/only sent to the credential/);
		});

		it('sends no token issued for other settings (the User ID was edited after it was issued)', async () => {
			const edited = { ...connectionString(`endpoint=https://contoso.communication.azure.com;accesskey=${KEY}`), userId: `${USER}-2` };

			await expect(credential.authenticate(edited, testRequest())).rejects.toThrow(/No chat token has been issued/);
		});
	});
});
