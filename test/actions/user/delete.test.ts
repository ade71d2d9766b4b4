import { expectSigned, identityRoute, NEW_USER, runAsResource, userParameters, userPath } from './params';

const PATH = userPath(NEW_USER);

describe('User → Delete', () => {
	it('sends an HMAC-signed DELETE for the user and outputs what was deleted', async () => {
		const sent = identityRoute('DELETE', PATH, [[204]]);

		const { success, error } = await runAsResource({ parameters: userParameters('delete', { userId: NEW_USER }) });

		expect(error).toBeUndefined();
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toBe('');
		// No body at all, as the SDK sends it: no Content-Type either.
		expect(sent[0].headers['content-type']).toBeUndefined();
		expectSigned(sent[0]);
		expect(success).toEqual([{ json: { deleted: true, userId: NEW_USER }, pairedItem: { item: 0 } }]);
	});

	it('sends it again after a 503: deleting twice deletes nothing more', async () => {
		const sent = identityRoute('DELETE', PATH, [[503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }], [204]]);

		const { success } = await runAsResource({ parameters: userParameters('delete', { userId: NEW_USER }) });

		expect(sent).toHaveLength(2);
		expect(success[0].json.deleted).toBe(true);
	});

	it('refuses a user ID with whitespace inside before sending', async () => {
		const sent = identityRoute('DELETE', PATH, [[204]]);

		const { error } = await runAsResource({ parameters: userParameters('delete', { userId: '8:acs:a b' }) });

		expect(error?.message).toMatch(/^User ID in item 0 contains whitespace/);
		expect(sent).toEqual([]);
	});

	it('maps a 403 to an error item with its status and ACS code', async () => {
		identityRoute('DELETE', PATH, [[403, { error: { code: 'Forbidden', message: 'Not allowed.' } }]]);

		const { errorOutput } = await runAsResource({ parameters: userParameters('delete', { userId: NEW_USER }), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 403, code: 'Forbidden', message: 'Not allowed.' });
	});
});
