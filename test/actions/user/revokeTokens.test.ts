import { expectSigned, identityRoute, NEW_USER, runAsResource, userParameters, userPath } from './params';

const PATH = userPath(NEW_USER, '/:revokeAccessTokens');

describe('User → Revoke Tokens', () => {
	it('posts an empty, HMAC-signed request for the user and outputs what was revoked', async () => {
		const sent = identityRoute('POST', PATH, [[204]]);

		const { success, error } = await runAsResource({ parameters: userParameters('revokeTokens', { userId: NEW_USER }) });

		expect(error).toBeUndefined();
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toBe('');
		// No body at all, as the SDK sends it: no Content-Type either.
		expect(sent[0].headers['content-type']).toBeUndefined();
		expectSigned(sent[0]);
		expect(success).toEqual([{ json: { revoked: true, userId: NEW_USER }, pairedItem: { item: 0 } }]);
	});

	it('sends it again after a 503: revoking twice revokes nothing more', async () => {
		const sent = identityRoute('POST', PATH, [[503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }], [204]]);

		const { success } = await runAsResource({ parameters: userParameters('revokeTokens', { userId: NEW_USER }) });

		expect(sent).toHaveLength(2);
		expect(success[0].json.revoked).toBe(true);
	});

	it('refuses a user ID that is not an ACS user before sending', async () => {
		const sent = identityRoute('POST', PATH, [[204]]);

		const { error } = await runAsResource({ parameters: userParameters('revokeTokens', { userId: '28:orgid:app' }) });

		expect(error?.message).toMatch(/^User ID in item 0 must be an ACS user/);
		expect(sent).toEqual([]);
	});

	it('maps a 404 to a NodeApiError with its status and ACS code', async () => {
		identityRoute('POST', PATH, [[404, { error: { code: 'IdentityNotFound', message: 'The identity does not exist.' } }]]);

		const { error } = await runAsResource({ parameters: userParameters('revokeTokens', { userId: NEW_USER }) });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.context.acsError).toMatchObject({ httpCode: 404, code: 'IdentityNotFound' });
	});
});
