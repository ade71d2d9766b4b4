import { CommunicationIdentityClient } from '@azure/communication-identity';

import { runAcsChat } from '../harness/runNode';
import { userParameters } from '../actions/user/params';
import { requestRecorder, useEmulator, wire } from './support';

// The official identity SDK and the node, each doing the same user operation against the same emulator: the
// emulator's request log must show the same request (the log redacts the HMAC signature, keeping its scheme).
// The signature itself differs by the time it was made; the emulator checks it, so both were valid (status).

const emulator = useEmulator({ https: true });
const { onlyRequest } = requestRecorder(emulator);

const identity = () => new CommunicationIdentityClient(emulator.connectionString);

/** Runs one user operation with a connection-string credential and returns its output items' json. */
async function runNode(operation: string, fields: Record<string, unknown> = {}) {
	const { success, error } = await runAcsChat({
		parameters: userParameters(operation, fields),
		credential: {
			authentication: 'connectionString',
			connectionStringSecret: emulator.connectionString,
			userId: emulator.demoUserId,
			expiresInMinutes: 60,
			sessionToken: '',
		},
	});
	expect(error).toBeUndefined();
	return success.map((item) => item.json);
}

/** A user for the operations that act on one; made before the requests compared. */
async function someUser(): Promise<string> {
	return (await identity().createUser()).communicationUserId;
}

describe('the node sends what @azure/communication-identity sends for users', () => {
	it('Create User without a token (an empty body, as createUser sends it)', async () => {
		const sdk = await onlyRequest(async () => await identity().createUser());
		const node = await onlyRequest(async () => {
			const [output] = await runNode('create');
			expect(Object.keys(output)).toEqual(['userId']);
			expect(output.userId).toMatch(/^8:acs:/);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 201, body: 'null', authorization: 'HMAC-SHA256 [redacted]', contentType: 'application/json' });
	});

	it('Create User with a chat token, as createUserAndToken', async () => {
		const sdk = await onlyRequest(async () => await identity().createUserAndToken(['chat'], { tokenExpiresInMinutes: 60 }));
		const node = await onlyRequest(async () => {
			const [output] = await runNode('create', { issueToken: true, expiresInMinutes: 60 });
			expect(output).toEqual({ userId: expect.stringMatching(/^8:acs:/), token: expect.any(String), expiresOn: expect.any(String) });
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(JSON.parse(wire(node).body)).toEqual({ createTokenWithScopes: ['chat'], expiresInMinutes: 60 });
	});

	it('Issue Token with two scopes and a lifetime, as getToken', async () => {
		const user = await someUser();
		const sdk = await onlyRequest(async () => await identity().getToken({ communicationUserId: user }, ['chat', 'voip'], { tokenExpiresInMinutes: 120 }));
		const node = await onlyRequest(async () => {
			const [output] = await runNode('issueToken', { userId: user, scopes: ['chat', 'voip'], expiresInMinutes: 120 });
			expect(output).toMatchObject({ userId: user, scopes: ['chat', 'voip'], token: expect.any(String) });
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 200, path: `/identities/${encodeURIComponent(user)}/:issueAccessToken` });
	});

	it('Revoke Tokens, as revokeTokens', async () => {
		const user = await someUser();
		const sdk = await onlyRequest(async () => await identity().revokeTokens({ communicationUserId: user }));
		const node = await onlyRequest(async () => expect(await runNode('revokeTokens', { userId: user })).toEqual([{ revoked: true, userId: user }]));

		expect(wire(node)).toEqual(wire(sdk));
		expect(node.status).toBe(204);
	});

	it('Delete User, as deleteUser', async () => {
		const [first, second] = [await someUser(), await someUser()];
		const sdk = await onlyRequest(async () => await identity().deleteUser({ communicationUserId: first }));
		const node = await onlyRequest(async () => expect(await runNode('delete', { userId: second })).toEqual([{ deleted: true, userId: second }]));

		expect({ ...wire(node), path: '' }).toEqual({ ...wire(sdk), path: '' });
		expect([sdk.path, node.path]).toEqual([`/identities/${encodeURIComponent(first)}`, `/identities/${encodeURIComponent(second)}`]);
		expect(node.status).toBe(204);
	});
});
