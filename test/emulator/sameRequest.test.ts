import { ChatClient } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';
import { CommunicationIdentityClient } from '@azure/communication-identity';

import { getThread, removeParticipant } from '../fixtures/acs';
import { runAcsChat } from '../harness/runNode';
import { DEMO_THREAD, demoCredential, requestRecorder, useEmulator, wire } from './support';

// The official SDK and the node, each doing the same operation against the same emulator: the emulator's
// request log must show the same request (the log redacts credentials, keeping their scheme).

const emulator = useEmulator({ https: true });
const { onlyRequest } = requestRecorder(emulator);

function chatThread(apiVersion: string) {
	return new ChatClient(emulator.url, new AzureCommunicationTokenCredential(emulator.demoToken), {
		apiVersion,
	} as object).getChatThreadClient(DEMO_THREAD);
}

const accessTokenCredential = () => demoCredential(emulator);

describe('the node sends what @azure/communication-chat sends', () => {
	it.each(['2024-03-07', '2025-03-15'])('Get Thread with api-version %s', async (apiVersion) => {
		const sdk = await onlyRequest(async () => await chatThread(apiVersion).getProperties());
		const node = await onlyRequest(async () => {
			const { success } = await runAcsChat({
				parameters: getThread(DEMO_THREAD, { apiVersion }),
				credential: accessTokenCredential(),
			});
			expect(success[0].json.id).toBe(DEMO_THREAD);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 200, authorization: 'Bearer [redacted]' });
	});

	it.each([
		['an ACS user', '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_00000000-0000-4000-8000-000000000001'],
		['a Teams user', '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130'],
	])('Remove Participant for %s', async (_kind, rawId) => {
		const participant = rawId.startsWith('8:orgid:')
			? { microsoftTeamsUserId: rawId.slice('8:orgid:'.length) }
			: { communicationUserId: rawId };
		const sdk = await onlyRequest(async () => await chatThread('2025-03-15').removeParticipant(participant));
		emulator.reset();
		const node = await onlyRequest(async () => {
			const { success } = await runAcsChat({
				parameters: removeParticipant(rawId, DEMO_THREAD),
				credential: accessTokenCredential(),
			});
			expect(success[0].json.removed).toBe(true);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 204, contentType: 'application/json' });
	});

	it('Remove Participant for a phone number differs only by the isAnonymous flag the chat SDK drops', async () => {
		const sdk = await onlyRequest(
			async () => await chatThread('2025-03-15').removeParticipant({ phoneNumber: '+14255550123' }),
		);
		emulator.reset();
		const node = await onlyRequest(
			async () => await runAcsChat({ parameters: removeParticipant('4:+14255550123', DEMO_THREAD), credential: accessTokenCredential() }),
		);

		// chat 1.6.0 serialises with a model older than @azure/communication-common 2.5.0, which the node follows.
		expect(sdk.body).toEqual({ rawId: '4:+14255550123', phoneNumber: { value: '+14255550123' } });
		expect(node.body).toEqual({ rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } });
		expect({ ...wire(node), body: '' }).toEqual({ ...wire(sdk), body: '' });
		expect(node.status).toBe(204);
	});
});

describe('the credential issues tokens as @azure/communication-identity does', () => {
	it('POST /identities/{id}/:issueAccessToken, HMAC-signed, same path, query and body', async () => {
		const userId = emulator.demoUserId;
		const sdk = await onlyRequest(
			async () =>
				await new CommunicationIdentityClient(emulator.connectionString).getToken(
					{ communicationUserId: userId },
					['chat'],
					{ tokenExpiresInMinutes: 60 },
				),
		);
		emulator.clearRequests();
		const { success } = await runAcsChat({
			parameters: getThread(DEMO_THREAD),
			credential: {
				authentication: 'connectionString',
				connectionStringSecret: emulator.connectionString,
				userId,
				expiresInMinutes: 60,
				sessionToken: '',
			},
		});
		const [mint, get] = emulator.requests();

		expect(success[0].json.id).toBe(DEMO_THREAD);
		expect(wire(mint)).toEqual(wire(sdk));
		expect(wire(mint)).toMatchObject({ status: 200, authorization: 'HMAC-SHA256 [redacted]' });
		expect(get).toMatchObject({ method: 'GET', status: 200 });
	});
});
