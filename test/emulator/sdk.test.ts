import { ChatClient, type ChatParticipant } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential, type CommunicationIdentifier } from '@azure/communication-common';
import { CommunicationIdentityClient } from '@azure/communication-identity';
import { DEMO_THREAD, OTHER_THREAD, useEmulator } from './support';

// The official SDKs are the judge here: if the emulator's wire format drifted from the service's,
// their (de)serialisers or auth policies would fail these calls.

const emulator = useEmulator({ https: true });

function chatClient(token: string, apiVersion?: string): ChatClient {
	// ChatClientOptions does not declare apiVersion, but the generated client honours it.
	return new ChatClient(emulator.url, new AzureCommunicationTokenCredential(token), { apiVersion } as object);
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
	try {
		await promise;
		return undefined;
	} catch (error) {
		return (error as { statusCode?: number }).statusCode;
	}
}

describe('identity through @azure/communication-identity (HMAC-signed)', () => {
	it('creates a user with a token whose expiry the SDK reads', async () => {
		const identity = new CommunicationIdentityClient(emulator.connectionString);
		const before = Date.now();
		const { user, token, expiresOn } = await identity.createUserAndToken(['chat'], { tokenExpiresInMinutes: 60 });

		expect(user.communicationUserId).toMatch(/^8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_[0-9a-f-]{36}$/);
		expect(token.split('.')).toHaveLength(3);
		expect(expiresOn.getTime()).toBeGreaterThanOrEqual(before + 59 * 60_000);
		expect(expiresOn.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
		const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
		expect(claims.exp * 1000).toBe(expiresOn.getTime());
		expect(`8:${claims.skypeid}`).toBe(user.communicationUserId);
		expect(emulator.state().identities).toContain(user.communicationUserId);
	});

	it('issues a token for an existing user with the 24-hour default lifetime', async () => {
		const identity = new CommunicationIdentityClient(emulator.connectionString);
		const user = await identity.createUser();
		const { token, expiresOn } = await identity.getToken(user, ['chat', 'voip']);

		expect(expiresOn.getTime()).toBeGreaterThan(Date.now() + 1439 * 60_000);
		const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
		expect(claims.acsScope).toBe('chat,voip');
		const [create, issue] = emulator.requests().filter((r) => r.method === 'POST');
		expect(create.headers.authorization).toBe('HMAC-SHA256 [redacted]');
		expect(issue.path).toBe(`/identities/${encodeURIComponent(user.communicationUserId)}/:issueAccessToken`);
		expect(issue.body).toEqual({ scopes: ['chat', 'voip'] });
	});

	it('rejects a connection string with the wrong key with 401', async () => {
		const wrongKey = Buffer.from('not the emulator key').toString('base64');
		const identity = new CommunicationIdentityClient(`endpoint=${emulator.url}/;accesskey=${wrongKey}`);
		expect(await statusOf(identity.createUser())).toBe(401);
	});
});

describe('chat through @azure/communication-chat', () => {
	it('reads the seeded demo thread with the demo token', async () => {
		const properties = await chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD).getProperties();

		expect(properties).toMatchObject({
			id: DEMO_THREAD,
			topic: 'Emulator demo thread',
			createdBy: { kind: 'communicationUser', communicationUserId: emulator.demoUserId },
			metadata: { team: 'support' },
			retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 90 },
		});
		expect(properties.createdOn).toEqual(new Date('2025-07-01T09:00:00Z'));
	});

	it('omits 2025-03-15-only fields when the client asks for 2024-03-07', async () => {
		const properties = await chatClient(emulator.demoToken, '2024-03-07').getChatThreadClient(DEMO_THREAD).getProperties();

		expect(properties.topic).toBe('Emulator demo thread');
		expect(properties.metadata).toBeUndefined();
		expect(properties.retentionPolicy).toBeUndefined();
		expect(emulator.requests()[0].query['api-version']).toBe('2024-03-07');
	});

	it('lists participants page by page with their identifier kinds', async () => {
		const thread = chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD);
		const pages: ChatParticipant[][] = [];
		for await (const page of thread.listParticipants({ maxPageSize: 2 }).byPage()) pages.push(page);

		expect(pages.map((p) => p.length)).toEqual([2, 1]);
		expect(pages.flat().map((p) => [p.id, p.displayName])).toEqual([
			[{ kind: 'communicationUser', communicationUserId: emulator.demoUserId }, 'Demo User'],
			[{ kind: 'phoneNumber', phoneNumber: '+14255550123', rawId: '4:+14255550123', isAnonymous: false }, 'Phone Caller'],
			[
				{ kind: 'microsoftTeamsUser', microsoftTeamsUserId: '45ab2481-1c1c-4005-be24-0ffb879b1130', rawId: '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130', cloud: 'public', isAnonymous: false },
				'Teams Colleague',
			],
		]);
		expect(emulator.requests().map((r) => r.query)).toEqual([
			{ 'api-version': '2025-03-15', maxPageSize: '2' },
			{ 'api-version': '2025-03-15', maxPageSize: '2', skip: '2' },
		]);
	});

	it('creates threads (201, idempotent by repeatability-request-id) and lists them page by page', async () => {
		const identity = new CommunicationIdentityClient(emulator.connectionString);
		const { user, token } = await identity.createUserAndToken(['chat']);
		const client = chatClient(token);

		const created = await client.createChatThread(
			{ topic: 'Support case 42' },
			{
				participants: [{ id: { phoneNumber: '+14255550199' }, displayName: 'Caller' }],
				metadata: { case: '42' },
				retentionPolicy: { kind: 'none' },
				idempotencyToken: 'case-42',
			},
		);
		const again = await client.createChatThread(
			{ topic: 'Support case 42' },
			{
				participants: [{ id: { phoneNumber: '+14255550199' }, displayName: 'Caller' }],
				metadata: { case: '42' },
				retentionPolicy: { kind: 'none' },
				idempotencyToken: 'case-42',
			},
		);
		await client.createChatThread({ topic: 'Second' });
		await client.createChatThread({ topic: 'Third' });

		expect(created.chatThread).toMatchObject({
			topic: 'Support case 42',
			createdBy: { kind: 'communicationUser', communicationUserId: user.communicationUserId },
			metadata: { case: '42' },
			retentionPolicy: { kind: 'none' },
		});
		expect(created.chatThread!.id).toMatch(/^19:acsV1_[A-Za-z0-9]+@thread\.v2$/);
		expect(again.chatThread!.id).toBe(created.chatThread!.id);

		const pages: string[][] = [];
		for await (const page of client.listChatThreads({ maxPageSize: 2 }).byPage()) pages.push(page.map((t) => t.topic));
		expect(pages.map((p) => p.length)).toEqual([2, 1]);
		expect(pages.flat().sort()).toEqual(['Second', 'Support case 42', 'Third']);

		const members = [];
		for await (const p of client.getChatThreadClient(created.chatThread!.id).listParticipants()) members.push(p.id);
		expect(members).toEqual([
			{ kind: 'communicationUser', communicationUserId: user.communicationUserId },
			{ kind: 'phoneNumber', phoneNumber: '+14255550199', rawId: '4:+14255550199', isAnonymous: false },
		]);
	});

	it('reports ACS users unknown to the resource as invalid participants, still with 201', async () => {
		const created = await chatClient(emulator.demoToken).createChatThread(
			{ topic: 'With a stranger' },
			{ participants: [{ id: { communicationUserId: '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_unknown' } }] },
		);

		expect(created.invalidParticipants).toEqual([
			{ code: '404', message: 'Not found', target: '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_unknown' },
		]);
	});

	it('removes participants of each identifier kind', async () => {
		const thread = chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD);
		const phone: CommunicationIdentifier = { phoneNumber: '+14255550123' };
		const teams: CommunicationIdentifier = { microsoftTeamsUserId: '45ab2481-1c1c-4005-be24-0ffb879b1130' };

		await thread.removeParticipant(phone);
		await thread.removeParticipant(teams);

		const left = emulator.state().threads.find((t) => t.id === DEMO_THREAD)!.participants.map((p) => p.rawId);
		expect(left).toEqual([emulator.demoUserId]);
		expect(emulator.requests().map((r) => [r.body, r.status])).toEqual([
			[{ rawId: '4:+14255550123', phoneNumber: { value: '+14255550123' } }, 204],
			[{ rawId: '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130', microsoftTeamsUser: { userId: '45ab2481-1c1c-4005-be24-0ffb879b1130', isAnonymous: false, cloud: 'public' } }, 204],
		]);
	});

	it('answers removing a non-participant with 204 by default', async () => {
		const thread = chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD);
		await expect(thread.removeParticipant({ phoneNumber: '+10000000000' })).resolves.toBeUndefined();
	});

	it('maps the error statuses the SDK surfaces as RestError.statusCode', async () => {
		const demo = chatClient(emulator.demoToken);
		const expired = chatClient(emulator.issueToken({ expiresOn: Date.now() - 1000 }));

		expect(await statusOf(expired.getChatThreadClient(DEMO_THREAD).getProperties())).toBe(401);
		expect(await statusOf(demo.getChatThreadClient(OTHER_THREAD).getProperties())).toBe(403);
		expect(await statusOf(demo.getChatThreadClient('19:nope@thread.v2').getProperties())).toBe(404);
		expect(await statusOf(demo.getChatThreadClient(OTHER_THREAD).removeParticipant({ phoneNumber: '+1' }))).toBe(403);
		// None of these are retried: one request each.
		expect(emulator.requests().map((r) => r.status)).toEqual([401, 403, 404, 403]);
	});

	it('is retried by the SDK after a 429 that carries retry-after-ms', async () => {
		emulator.faults.add({ kind: 'throttle', retryAfterMs: 20 });
		const properties = await chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD).getProperties();

		expect(properties.id).toBe(DEMO_THREAD);
		const log = emulator.requests();
		expect(log.map((r) => r.status)).toEqual([429, 200]);
		expect(log[0].headers['x-ms-client-request-id']).toBe(log[1].headers['x-ms-client-request-id']);
	});
});
