import nock from 'nock';
import type { IHttpRequestOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { getThread, THREAD, THREAD_ID, threadPath, TOKEN_CHECK } from '../fixtures/acs';
import { newCredentialsHelper, runAcsChat, TEST_TOKEN } from '../harness/runNode';

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

	describe('test request', () => {
		// Resolve the test request's expressions the way n8n's credentials helper does.
		async function testRequestFor(endpoint: string) {
			const helper = newCredentialsHelper({ endpoint, accessToken: TEST_TOKEN });
			const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: {} as never });
			const node = { id: 'n', name: 'n', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
			const request = { ...credential.test.request };
			const baseURL = workflow.expression.getSimpleParameterValue(
				node,
				request.baseURL as string,
				'internal',
				{ $credentials: { endpoint, accessToken: TEST_TOKEN } },
				undefined,
				'',
			);
			return await helper.authenticate(
				{ endpoint, accessToken: TEST_TOKEN },
				'azureCommunicationServicesApi',
				{ ...request, baseURL } as IHttpRequestOptions,
				workflow,
				node,
			);
		}

		it.each([
			['https://contoso.communication.azure.com', 'https://contoso.communication.azure.com'],
			['https://contoso.communication.azure.com/', 'https://contoso.communication.azure.com'],
			[' https://contoso.communication.azure.com/some/path?x=1 ', 'https://contoso.communication.azure.com'],
			['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
		])('lists one thread of %p with the token, proving both work', async (endpoint, baseURL) => {
			const request = await testRequestFor(endpoint);

			expect(request).toMatchObject({
				baseURL,
				url: '/chat/threads',
				qs: { 'api-version': '2024-03-07', maxPageSize: 1 },
				headers: { Authorization: `Bearer ${TEST_TOKEN}` },
			});
		});
	});
});
