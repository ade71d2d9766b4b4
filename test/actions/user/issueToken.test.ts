import type { IDataObject } from 'n8n-workflow';

import { EXPIRES_ON, everything, expectSigned, identityRoute, ISSUED, NEW_USER, runAsResource, userParameters, userPath } from './params';

const PATH = userPath(NEW_USER, '/:issueAccessToken');
const issue = (fields: Record<string, unknown> = {}) => userParameters('issueToken', { userId: NEW_USER, ...fields });

describe('User → Issue Token', () => {
	it('posts the scopes and lifetime for the user, HMAC-signed on the encoded path, and outputs the token', async () => {
		const sent = identityRoute('POST', PATH, [[200, { token: ISSUED, expiresOn: EXPIRES_ON }]]);

		const { success, error } = await runAsResource({ parameters: issue({ scopes: ['chat', 'voip'], expiresInMinutes: 120 }) });

		expect(error).toBeUndefined();
		expect(sent[0].path).toBe(`${PATH}?api-version=2023-10-01`);
		expect(sent[0].body).toBe('{"scopes":["chat","voip"],"expiresInMinutes":120}');
		expectSigned(sent[0]);
		expect(success).toEqual([
			{ json: { userId: NEW_USER, scopes: ['chat', 'voip'], token: ISSUED, expiresOn: EXPIRES_ON }, pairedItem: { item: 0 } },
		]);
	});

	it('asks for a chat token of 1440 minutes by default', async () => {
		const sent = identityRoute('POST', PATH, [[200, { token: ISSUED, expiresOn: EXPIRES_ON }]]);

		await runAsResource({ parameters: userParameters('issueToken', { userId: ` ${NEW_USER} ` }) });

		expect(JSON.parse(sent[0].body)).toEqual({ scopes: ['chat'], expiresInMinutes: 1440 });
	});

	it('issues one token per item, for each item’s user, paired in order', async () => {
		const users = [1, 2, 3].map((n) => NEW_USER.replace('00000042', `0000000${n}`));
		for (const user of users) identityRoute('POST', userPath(user, '/:issueAccessToken'), [[200, { token: `${ISSUED}${user.slice(-1)}`, expiresOn: EXPIRES_ON }]]);

		const { success } = await runAsResource({ parameters: issue({ userId: '={{ $json.user }}' }), items: users.map((user) => ({ user })) });

		expect(success.map((item) => [item.json.userId, item.pairedItem])).toEqual(users.map((user, item) => [user, { item }]));
	});

	it('sends it again after a 503: a repeat only issues another token', async () => {
		const sent = identityRoute('POST', PATH, [
			[503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } }],
			[200, { token: ISSUED, expiresOn: EXPIRES_ON }],
		]);

		const { success } = await runAsResource({ parameters: issue() });

		expect(sent).toHaveLength(2);
		expect(success[0].json.token).toBe(ISSUED);
	});

	it.each([
		['an empty user ID', { userId: '={{ "" }}' }, /^User ID in item 0 is empty/],
		['a Teams user', { userId: '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130' }, /^User ID in item 0 must be an ACS user \(8:acs:…\) of this resource, got "8:orgid:/],
		['a phone number', { userId: '4:+14255550123' }, /^User ID in item 0 must be an ACS user/],
		['a bare GUID', { userId: '00000042-0000-4000-8000-000000000000' }, /^User ID in item 0 is not a raw ID/],
		['no scope', { scopes: '={{ [] }}' }, /^Scopes in item 0 must name at least one scope/],
		['an unknown scope', { scopes: ['chat', 'admin'] }, /^Scopes in item 0 may only hold chat, chat.join, chat.join.limited, voip, voip.join, got "admin"/],
		['a lifetime under an hour', { expiresInMinutes: 30 }, /^Token Lifetime \(Minutes\) in item 0 must be a whole number from 60 to 1440, got 30/],
	])('refuses %s before sending', async (_case, fields, message) => {
		const sent = identityRoute('POST', PATH, [[200, { token: ISSUED, expiresOn: EXPIRES_ON }]]);

		const { error } = await runAsResource({ parameters: issue(fields) });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(sent).toEqual([]);
	});

	it('maps a 404 for an unknown user to an error item with its status and ACS code', async () => {
		identityRoute('POST', PATH, [[404, { error: { code: 'IdentityNotFound', message: 'The identity does not exist.' } }]]);

		const { errorOutput } = await runAsResource({ parameters: issue(), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.error).toBe('ACS answered 404 IdentityNotFound: The identity does not exist.');
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 404, code: 'IdentityNotFound' });
	});

	it('keeps the token out of the error when the answer lacks its expiry', async () => {
		identityRoute('POST', PATH, [[200, { token: ISSUED } as IDataObject]]);

		const result = await runAsResource({ parameters: issue(), onError: 'continueErrorOutput' });

		expect(result.errorOutput[0].json.error).toBe('The Identity API answered 200, but the answer has no expiresOn');
		expect(everything(result)).not.toContain(ISSUED);
	});
});
