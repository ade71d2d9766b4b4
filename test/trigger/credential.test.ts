import { AzureServicePrincipalOAuth2Api } from '../../credentials/AzureServicePrincipalOAuth2Api.credentials';
import { CLIENT_ID, CLIENT_SECRET, resolveCredential, TENANT_ID } from './support';

const type = new AzureServicePrincipalOAuth2Api();

function resolved(fields: Record<string, unknown>) {
	return resolveCredential(type, { tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...fields });
}

describe('Azure Service Principal credential', () => {
	it('is an OAuth2 client-credentials credential sending its secret in the form body', () => {
		expect(type.extends).toEqual(['oAuth2Api']);
		expect(resolved({})).toMatchObject({ grantType: 'clientCredentials', authentication: 'body', clientSecret: CLIENT_SECRET });
		expect(type.properties.find((p) => p.name === 'clientSecret')?.typeOptions?.password).toBe(true);
	});

	it.each([
		[undefined, 'https://login.microsoftonline.com', 'https://management.azure.com/.default'],
		['azurePublic', 'https://login.microsoftonline.com', 'https://management.azure.com/.default'],
		['azureUsGovernment', 'https://login.microsoftonline.us', 'https://management.usgovcloudapi.net/.default'],
		['azureChina', 'https://login.chinacloudapi.cn', 'https://management.chinacloudapi.cn/.default'],
	])('cloud %s: token from %s, scope %s', (cloud, authority, scope) => {
		const data = resolved(cloud === undefined ? {} : { cloud });
		expect(data.accessTokenUrl).toBe(`${authority}/${TENANT_ID}/oauth2/v2.0/token`);
		expect(data.scope).toBe(scope);
	});

	it('Custom cloud: the hosts and scope it names, trimmed and without trailing slashes', () => {
		const data = resolved({
			cloud: 'custom',
			tenantId: ` ${TENANT_ID} `,
			authorityHost: ' http://127.0.0.1:4711/// ',
			armHost: 'http://127.0.0.1:4711',
			customScope: ' https://management.azure.com/.default ',
		});
		expect(data.accessTokenUrl).toBe(`http://127.0.0.1:4711/${TENANT_ID}/oauth2/v2.0/token`);
		expect(data.scope).toBe('https://management.azure.com/.default');
	});

	it('a stored token URL or grant type (an older save, an edit) gives way to the computed ones', () => {
		const data = resolved({ cloud: 'azureChina', accessTokenUrl: 'https://evil.example/token', grantType: 'authorizationCode' });
		expect(data.accessTokenUrl).toBe(`https://login.chinacloudapi.cn/${TENANT_ID}/oauth2/v2.0/token`);
		expect(data.grantType).toBe('clientCredentials');
	});

	it('tests itself against the cloud’s ARM: listing subscriptions needs a valid token and no role', () => {
		expect(type.test.request).toMatchObject({ url: '/subscriptions', qs: { 'api-version': '2022-12-01' } });
		const baseURL = String(type.test.request.baseURL);
		// The same table as the token URL, read from $credentials in the test request.
		expect(baseURL).toContain('$credentials["cloud"] === "azureUsGovernment" ? "https://management.usgovcloudapi.net"');
		expect(baseURL).toContain('$credentials["armHost"]');
	});
});
