import { ACCESS_KEY, connectionStringCredential } from '../../fixtures/identity';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { checked } from '../../fixtures/session';
import { EXPIRES_ON, everything, expectSigned, identityRoute, ISSUED, NEW_USER, runAsResource, userParameters } from './params';

const created = (token = true) => ({ identity: { id: NEW_USER }, ...(token ? { accessToken: { token: ISSUED, expiresOn: EXPIRES_ON } } : {}) });

describe('User → Create', () => {
	it('posts an empty, HMAC-signed request, as the SDK’s createUser does, and outputs the new user’s raw ID', async () => {
		const sent = identityRoute('POST', '/identities', [[201, created(false)]]);

		const { success, error } = await runAsResource({ parameters: userParameters('create') });

		expect(error).toBeUndefined();
		expect(success).toEqual([{ json: { userId: NEW_USER }, pairedItem: { item: 0 } }]);
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toBe('');
		expect(sent[0].headers['content-type']).toBe('application/json');
		expect(sent[0].headers.accept).toBe('application/json');
		expectSigned(sent[0]);
	});

	it('with Issue a Chat Token, asks for a chat token of the given lifetime and outputs it', async () => {
		const sent = identityRoute('POST', '/identities', [[201, created()]]);

		const { success } = await runAsResource({ parameters: userParameters('create', { issueToken: true, expiresInMinutes: 60 }) });

		expect(sent[0].body).toBe('{"createTokenWithScopes":["chat"],"expiresInMinutes":60}');
		expectSigned(sent[0]);
		expect(success).toEqual([{ json: { userId: NEW_USER, token: ISSUED, expiresOn: EXPIRES_ON }, pairedItem: { item: 0 } }]);
	});

	it('asks for the default lifetime, 1440 minutes, when none is set', async () => {
		const sent = identityRoute('POST', '/identities', [[201, created()]]);

		await runAsResource({ parameters: userParameters('create', { issueToken: true }) });

		expect(JSON.parse(sent[0].body)).toEqual({ createTokenWithScopes: ['chat'], expiresInMinutes: 1440 });
	});

	it.each([59, 1441, 90.5, '={{ "sixty" }}'])('refuses a lifetime of %p before sending', async (expiresInMinutes) => {
		const sent = identityRoute('POST', '/identities', [[201, created()]]);

		const { error } = await runAsResource({ parameters: userParameters('create', { issueToken: true, expiresInMinutes }) });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Token Lifetime \(Minutes\) in item 0 must be a whole number from 60 to 1440/);
		expect(sent).toEqual([]);
	});

	it('refuses a credential with a pasted token, naming what it needs, before sending', async () => {
		const sent = identityRoute('POST', '/identities', [[201, created()]]);

		const { error } = await runAcsChat({
			parameters: userParameters('create'),
			credential: checked({ endpoint: BASE_URL, accessToken: TEST_TOKEN }),
		});

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('The User operations in item 0 need a credential that uses a Connection String');
		expect(error?.description).toMatch(/set the credential’s Authentication to Connection String/);
		expect(sent).toEqual([]);
	});

	it('refuses a connection string it cannot read before sending', async () => {
		const sent = identityRoute('POST', '/identities', [[201, created()]]);
		const secret = `endpoint=${BASE_URL};accesskey=`;

		const result = await runAcsChat({
			parameters: userParameters('create'),
			credential: { ...connectionStringCredential().data, connectionStringSecret: secret },
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/^The credential Connection String in item 0 /);
		expect(sent).toEqual([]);
	});

	it('is not sent again after a 503, which may have created the user, and says so', async () => {
		const sent = identityRoute('POST', '/identities', [[503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }]]);

		const { error } = await runAsResource({ parameters: userParameters('create') });

		expect(sent).toHaveLength(1);
		expect(error?.message).toMatch(/ACS may or may not have carried out the request/);
		expect(error?.context.acsError).toMatchObject({ httpCode: 503, mayHaveBeenSent: true });
	});

	it('is sent again after a 429, which proves nothing was created', async () => {
		const sent = identityRoute('POST', '/identities', [
			[429, { error: { code: 'TooManyRequests', message: 'Rate limit exceeded.' } }],
			[201, created(false)],
		]);

		const { success } = await runAsResource({ parameters: userParameters('create') });

		expect(sent).toHaveLength(2);
		expect(success[0].json).toEqual({ userId: NEW_USER });
	});

	it.each([
		['lacks the token it was asked for', created(false), 'has no accessToken.token'],
		['lacks the user', { accessToken: { token: ISSUED, expiresOn: EXPIRES_ON } }, 'has no identity.id'],
		['is not JSON', `token=${ISSUED}`, 'is not a JSON object'],
	])('fails the item when the answer %s, showing none of it', async (_case, answer, what) => {
		identityRoute('POST', '/identities', [[201, answer]]);

		const result = await runAsResource({ parameters: userParameters('create', { issueToken: true }), onError: 'continueErrorOutput' });

		expect(result.errorOutput).toHaveLength(1);
		expect(result.errorOutput[0].json.error).toBe(`The Identity API answered 201, but the answer ${what}`);
		expect(result.errorOutput[0].json.details).toMatchObject({ httpCode: 201, code: 'UnexpectedResponse' });
		const text = everything(result);
		expect(text).not.toContain(ISSUED);
		expect(text).not.toContain(ISSUED.slice(-20));
		expect(text).not.toContain(ACCESS_KEY);
	});

	it('maps an Identity API error to a NodeApiError with its status and code, without the access key', async () => {
		identityRoute('POST', '/identities', [[401, { error: { code: 'Unauthorized', message: 'Signature is invalid.' } }]]);

		const result = await runAsResource({ parameters: userParameters('create') });

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('ACS answered 401 Unauthorized: Signature is invalid.');
		expect(result.error?.context.acsError).toMatchObject({ httpCode: 401, code: 'Unauthorized' });
		expect(everything(result)).not.toContain(ACCESS_KEY);
	});
});
