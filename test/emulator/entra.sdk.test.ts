import { ClientSecretCredential } from '@azure/identity';

import { arm, subscriptionPath, useEventGridEmulator } from './eventGridSupport';

// @azure/identity (here through n8n-core; not a dependency of this package) signs in at the emulator as it would at
// login.microsoftonline.com: MSAL reads the tenant's OpenID metadata, then asks the token endpoint, over https.

const emulator = useEventGridEmulator({ https: true });

const credential = (secret = emulator.azure.clientSecret) =>
	new ClientSecretCredential(emulator.azure.tenantId, emulator.azure.clientId, secret, { authorityHost: emulator.azure.authorityHost, disableInstanceDiscovery: true });

it('ClientSecretCredential gets a token for ARM that the emulator’s ARM accepts', async () => {
	const token = await credential().getToken(emulator.azure.scope);
	expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
	expect((await arm(emulator, 'GET', subscriptionPath(emulator), { token: token.token })).status).toBe(200);
});

it('ClientSecretCredential reports Entra’s AADSTS7000215 for a wrong secret', async () => {
	await expect(credential('wrong').getToken(emulator.azure.scope)).rejects.toThrow(/AADSTS7000215/);
});
