import { arm, subscriptionPath, useEventGridEmulator } from './eventGridSupport';

// The token endpoint the service-principal credential signs in at, checked against Entra ID's v2.0 contract:
// client credentials in the form (client_secret_post) or Basic auth, the answer's fields, and the AADSTS errors.

const emulator = useEventGridEmulator();

function tokenRequest(fields: Record<string, string>, options: { tenant?: string; headers?: Record<string, string> } = {}) {
	return fetch(`${emulator.url}/${options.tenant ?? emulator.azure.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		headers: options.headers,
		body: new URLSearchParams(fields),
	});
}

const good = () => ({ grant_type: 'client_credentials', client_id: emulator.azure.clientId, client_secret: emulator.azure.clientSecret, scope: 'https://management.azure.com/.default' });

async function entraError(response: Response) {
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return (await response.json()) as { error: string; error_description: string; error_codes: number[]; trace_id: string; correlation_id: string; timestamp: string };
}

describe('POST /{tenant}/oauth2/v2.0/token', () => {
	it('issues a Bearer token for client credentials that ARM accepts', async () => {
		const response = await tokenRequest(good());
		expect(response.status).toBe(200);
		const body = (await response.json()) as Record<string, unknown>;
		expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
		expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
		expect(response.headers.get('cache-control')).toBe('no-store');

		const list = await arm(emulator, 'GET', subscriptionPath(emulator), { token: body.access_token as string });
		expect(list.status).toBe(200);
	});

	it('takes the client id and secret from Basic auth too (client_secret_basic), each part form-encoded', async () => {
		const { client_id, client_secret, ...rest } = good();
		const basic = Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64');
		const response = await tokenRequest(rest, { headers: { authorization: `Basic ${basic}` } });
		expect(response.status).toBe(200);
	});

	it('accepts the tenant id in any case and ARM scopes with or without the trailing slash', async () => {
		for (const scope of ['https://management.azure.com//.default', 'https://management.core.windows.net/.default']) {
			expect((await tokenRequest({ ...good(), scope }, { tenant: emulator.azure.tenantId.toUpperCase() })).status).toBe(200);
		}
	});

	it('answers a wrong secret with 401 invalid_client AADSTS7000215, as Entra, without echoing any secret', async () => {
		const response = await tokenRequest({ ...good(), client_secret: 'not-the-secret' });
		expect(response.status).toBe(401);
		const body = await entraError(response);
		expect(body.error).toBe('invalid_client');
		expect(body.error_codes).toEqual([7000215]);
		expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\. Ensure the secret being sent in the request is the client secret value, not the client secret ID/);
		expect(body.error_description).toContain(`Trace ID: ${body.trace_id}`);
		expect(body.error_description).toContain(`Correlation ID: ${body.correlation_id}`);
		expect(JSON.stringify(body)).not.toContain('not-the-secret');
		expect(JSON.stringify(body)).not.toContain(emulator.azure.clientSecret);
	});

	it.each([
		['no secret', () => ({ ...good(), client_secret: '' }), 401, 'invalid_client', 7000218],
		['an unknown client', () => ({ ...good(), client_id: '00000000-0000-4000-8000-000000000000' }), 400, 'unauthorized_client', 700016],
		['no grant type', () => ({ ...good(), grant_type: '' }), 400, 'invalid_request', 900144],
		['another grant type', () => ({ ...good(), grant_type: 'password' }), 400, 'unsupported_grant_type', 70003],
		['a scope without /.default', () => ({ ...good(), scope: 'https://management.azure.com/user_impersonation' }), 400, 'invalid_scope', 1002012],
		['a scope for another resource', () => ({ ...good(), scope: 'https://graph.microsoft.com/.default' }), 400, 'invalid_resource', 500011],
	])('refuses %s with Entra’s error', async (_case, fields, status, error, code) => {
		const response = await tokenRequest(fields());
		expect(response.status).toBe(status);
		const body = await entraError(response);
		expect([body.error, body.error_codes]).toEqual([error, [code]]);
		expect(body.error_description.startsWith(`AADSTS${code}: `)).toBe(true);
	});

	it('refuses an unknown tenant with AADSTS90002 and a GET with AADSTS900561', async () => {
		const tenant = await entraError(await tokenRequest(good(), { tenant: 'contoso.onmicrosoft.com' }));
		expect([tenant.error, tenant.error_codes]).toEqual(['invalid_request', [90002]]);
		const get = await fetch(emulator.azure.tokenUrl);
		expect(get.status).toBe(400);
		expect((await entraError(get)).error_codes).toEqual([900561]);
	});

	it('issues tokens with the lifetime the setting gives', async () => {
		emulator.eventGrid.set({ tokenLifetimeSeconds: 120 });
		expect(await (await tokenRequest(good())).json()).toMatchObject({ expires_in: 120 });
		expect(() => emulator.eventGrid.set({ tokenLifetimeSeconds: 0 })).toThrow('tokenLifetimeSeconds must be a positive integer.');
	});

	it('keeps token requests in the request log without their client secret', async () => {
		emulator.clearRequests();
		await tokenRequest(good());
		const [entry] = emulator.requests();
		expect(entry.path).toBe(`/${emulator.azure.tenantId}/oauth2/v2.0/token`);
		expect(entry.body).toContain('client_secret=%5Bredacted%5D');
		expect(JSON.stringify(emulator.requests())).not.toContain(encodeURIComponent(emulator.azure.clientSecret));
		expect(JSON.stringify(emulator.requests())).not.toContain(emulator.azure.clientSecret);
	});
});

describe('the OpenID metadata MSAL reads first', () => {
	it('names the tenant’s token endpoint on the host it was asked on', async () => {
		const response = await fetch(`${emulator.url}/${emulator.azure.tenantId}/v2.0/.well-known/openid-configuration`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ token_endpoint: emulator.azure.tokenUrl, issuer: `${emulator.url}/${emulator.azure.tenantId}/v2.0` });
	});
});
