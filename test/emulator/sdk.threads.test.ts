import { ChatClient, type ChatParticipant } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';
import { CommunicationIdentityClient } from '@azure/communication-identity';
import { DEMO_THREAD, readJson, threadPath, useEmulator } from './support';

// Threads, participants and the identity lifecycle, driven through the official SDKs against the emulator.

const emulator = useEmulator({ https: true });

const identity = () => new CommunicationIdentityClient(emulator.connectionString);

async function newUser(scopes: Array<'chat' | 'chat.join' | 'chat.join.limited'> = ['chat']) {
	const { user, token } = await identity().createUserAndToken(scopes);
	return { id: user.communicationUserId, user, token };
}

function chatClient(token: string, apiVersion?: string): ChatClient {
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

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
	const seen = [];
	for await (const page of pages) seen.push(page);
	return seen;
}

// Numbers the seed's demo thread does not hold (its caller is +14255550123).
const phone = (n: number): ChatParticipant => ({ id: { phoneNumber: `+1206555${String(n).padStart(4, '0')}` } });

describe('listing threads', () => {
	it('lists the caller’s threads newest activity first, page by page to the end, with lastMessageReceivedOn', async () => {
		const ann = await newUser();
		const client = chatClient(ann.token);
		const ids = [];
		for (const topic of ['A', 'B', 'C']) ids.push((await client.createChatThread({ topic })).chatThread!.id);
		// A message moves the oldest thread to the top.
		await client.getChatThreadClient(ids[0]).sendMessage({ content: 'bump' });
		emulator.clearRequests();

		const pages = await collect(client.listChatThreads({ maxPageSize: 2 }).byPage());
		expect(pages.map((p) => p.map((t) => t.topic))).toEqual([['A', 'C'], ['B']]);
		expect(pages[0][0].lastMessageReceivedOn).toBeInstanceOf(Date);
		expect(pages[0][0].lastMessageReceivedOn!.getTime()).toBeGreaterThan(pages[0][1].lastMessageReceivedOn!.getTime());
		const [, next] = emulator.requests();
		expect(next.path).toBe('/chat/threads');
		expect(next.query).toMatchObject({ maxPageSize: '2', 'api-version': '2025-03-15' });
		expect(next.query.syncState).toEqual(expect.any(String));
	});

	it('filters by startTime (activity at or after it)', async () => {
		const ann = await newUser();
		const client = chatClient(ann.token);
		await client.createChatThread({ topic: 'old' });
		await new Promise((resolve) => setTimeout(resolve, 5));
		const startTime = new Date();
		await client.createChatThread({ topic: 'new' });

		const topics = (await collect(client.listChatThreads({ startTime }).byPage())).flat().map((t) => t.topic);
		expect(topics).toEqual(['new']);
	});

	it('refuses a syncState it did not issue with 400', async () => {
		const response = await fetch(`${emulator.url}/chat/threads?syncState=bm9wZQ&api-version=2025-03-15`, {
			headers: { authorization: `Bearer ${emulator.demoToken}` },
		});
		expect(response.status).toBe(400);
	});
});

describe('creating threads', () => {
	it('replays the first result for the same repeatability-request-id and body, without a second thread', async () => {
		const client = chatClient(emulator.demoToken);
		const request = { participants: [phone(1)], idempotencyToken: 'once' };
		const first = await client.createChatThread({ topic: 'Once' }, request);
		const again = await client.createChatThread({ topic: 'Once' }, request);

		expect(again.chatThread!.id).toBe(first.chatThread!.id);
		expect(emulator.state().threads.filter((t) => t.topic === 'Once')).toHaveLength(1);
		expect(emulator.requests().map((r) => [r.headers['repeatability-request-id'], r.status])).toEqual([
			['once', 201],
			['once', 201],
		]);
	});

	it('refuses the same repeatability-request-id with another body with 400', async () => {
		const client = chatClient(emulator.demoToken);
		await client.createChatThread({ topic: 'Once' }, { idempotencyToken: 'reused' });
		expect(await statusOf(client.createChatThread({ topic: 'Other' }, { idempotencyToken: 'reused' }))).toBe(400);
		expect(emulator.state().threads.filter((t) => t.topic === 'Other')).toHaveLength(0);
	});

	it('refuses more than 200 participants in one request with 400', async () => {
		const participants = Array.from({ length: 201 }, (_, i) => phone(i));
		expect(await statusOf(chatClient(emulator.demoToken).createChatThread({ topic: 'Big' }, { participants }))).toBe(400);
	});
});

describe('updating and deleting threads', () => {
	it('updates topic, metadata (merged) and retention policy by merge patch (204), announcing the topic', async () => {
		const ann = await newUser();
		const client = chatClient(ann.token);
		const { chatThread } = await client.createChatThread({ topic: 'Before' }, { metadata: { keep: '1', change: 'a' } });
		const thread = client.getChatThreadClient(chatThread!.id);

		await thread.updateProperties({ topic: 'After', metadata: { change: 'b' }, retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 40 } });

		expect(await thread.getProperties()).toMatchObject({
			topic: 'After',
			metadata: { keep: '1', change: 'b' },
			retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 40 },
		});
		const [newest] = (await collect(thread.listMessages().byPage())).flat();
		expect(newest).toMatchObject({ type: 'topicUpdated', content: { topic: 'After', initiator: { communicationUserId: ann.id } } });
		const patch = emulator.requests().find((r) => r.method === 'PATCH')!;
		expect([patch.headers['content-type'], patch.status]).toEqual(['application/merge-patch+json', 204]);
	});

	it('keeps metadata and retention untouched under 2024-03-07, which knows only the topic', async () => {
		const thread = chatClient(emulator.demoToken, '2024-03-07').getChatThreadClient(DEMO_THREAD);
		await thread.updateProperties({ topic: 'Renamed', metadata: { team: 'other' }, retentionPolicy: { kind: 'none' } });

		expect(await chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD).getProperties()).toMatchObject({
			topic: 'Renamed',
			metadata: { team: 'support' },
			retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 90 },
		});
	});

	it('refuses update and delete to a chat.join token (403)', async () => {
		const joiner = await newUser(['chat.join']);
		const client = chatClient(emulator.demoToken);
		const { chatThread } = await client.createChatThread({ topic: 'T' }, { participants: [{ id: joiner.user }] });
		const asJoiner = chatClient(joiner.token);

		expect(await statusOf(asJoiner.getChatThreadClient(chatThread!.id).updateTopic('No'))).toBe(403);
		expect(await statusOf(asJoiner.deleteChatThread(chatThread!.id))).toBe(403);
	});

	it('deletes (204): the thread is gone for its participants (404) and listed with deletedOn; deleting again is 204', async () => {
		const bob = await newUser();
		const client = chatClient(emulator.demoToken);
		const { chatThread } = await client.createChatThread({ topic: 'Doomed' }, { participants: [{ id: bob.user }] });
		const id = chatThread!.id;

		await client.deleteChatThread(id);
		await client.deleteChatThread(id);

		const asBob = chatClient(bob.token);
		expect(await statusOf(asBob.getChatThreadClient(id).getProperties())).toBe(404);
		expect(await statusOf(asBob.getChatThreadClient(id).sendMessage({ content: 'hi' }))).toBe(404);
		const [listed] = (await collect(asBob.listChatThreads().byPage())).flat();
		expect(listed).toMatchObject({ id, topic: 'Doomed' });
		expect(listed.deletedOn).toBeInstanceOf(Date);
		expect(emulator.requests().filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204, 204]);
	});
});

describe('adding participants', () => {
	it('adds the valid ones and reports unknown ACS users in invalidParticipants of a 201, announcing the added', async () => {
		const [bob, carol] = [await newUser(), await newUser()];
		const thread = chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD);
		const stranger = '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_00000000-0000-4000-8000-0000000000ff';

		const result = await thread.addParticipants({
			participants: [
				{ id: bob.user, displayName: 'Bob', metadata: { role: 'agent' } },
				{ id: { communicationUserId: stranger } },
				{ id: carol.user, shareHistoryTime: new Date('2025-01-01T00:00:00Z') },
			],
		});

		expect(result.invalidParticipants).toEqual([{ code: '404', message: 'Not found', target: stranger }]);
		const members = (await collect(thread.listParticipants().byPage())).flat();
		expect(members.slice(3)).toEqual([
			{ id: { kind: 'communicationUser', communicationUserId: bob.id }, displayName: 'Bob', metadata: { role: 'agent' } },
			{ id: { kind: 'communicationUser', communicationUserId: carol.id }, shareHistoryTime: new Date('2025-01-01T00:00:00Z') },
		]);
		const [announced] = (await collect(thread.listMessages().byPage())).flat();
		expect(announced.type).toBe('participantAdded');
		expect(announced.content!.participants!.map((p) => p.id)).toEqual([
			{ kind: 'communicationUser', communicationUserId: bob.id },
			{ kind: 'communicationUser', communicationUserId: carol.id },
		]);
		// Bob's token works in the thread at once.
		await expect(chatClient(bob.token).getChatThreadClient(DEMO_THREAD).sendMessage({ content: 'hi' })).resolves.toHaveProperty('id');
	});

	it('takes at most 200 per request (400 beyond) and holds at most 250 per thread (400 beyond)', async () => {
		const thread = chatClient(emulator.demoToken).getChatThreadClient(DEMO_THREAD);
		expect(await statusOf(thread.addParticipants({ participants: Array.from({ length: 201 }, (_, i) => phone(i)) }))).toBe(400);

		// The demo thread starts with 3: 200 + 47 make 250.
		await thread.addParticipants({ participants: Array.from({ length: 200 }, (_, i) => phone(i)) });
		await thread.addParticipants({ participants: Array.from({ length: 47 }, (_, i) => phone(200 + i)) });
		expect(await statusOf(thread.addParticipants({ participants: [phone(999)] }))).toBe(400);
		// Adding someone already in the thread adds no one, so it still passes at the limit.
		await expect(thread.addParticipants({ participants: [phone(0)] })).resolves.toEqual({});

		const pages = await collect(thread.listParticipants({ maxPageSize: 100 }).byPage());
		expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
		expect(emulator.requests().filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([400, 201, 201, 400, 201]);
	});

	it('refuses a chat.join.limited token and non-participants with 403', async () => {
		const limited = await newUser(['chat.join.limited']);
		const { chatThread } = await chatClient(emulator.demoToken).createChatThread({ topic: 'T' }, { participants: [{ id: limited.user }] });
		const stranger = await newUser();

		expect(await statusOf(chatClient(limited.token).getChatThreadClient(chatThread!.id).addParticipants({ participants: [phone(1)] }))).toBe(403);
		expect(await statusOf(chatClient(stranger.token).getChatThreadClient(chatThread!.id).addParticipants({ participants: [phone(1)] }))).toBe(403);
	});
});

describe('identity lifecycle', () => {
	it('revokes a user’s tokens: chat refuses the old ones with 401, a token issued afterwards works', async () => {
		const { user, token } = await newUser();
		const client = chatClient(token);
		const { chatThread } = await client.createChatThread({ topic: 'Mine' });

		await identity().revokeTokens(user);

		expect(await statusOf(client.getChatThreadClient(chatThread!.id).getProperties())).toBe(401);
		const fresh = await identity().getToken(user, ['chat']);
		await expect(chatClient(fresh.token).getChatThreadClient(chatThread!.id).getProperties()).resolves.toMatchObject({ topic: 'Mine' });
		const revoke = emulator.requests().find((r) => r.path.endsWith(':revokeAccessTokens'))!;
		expect([revoke.method, revoke.status]).toEqual(['POST', 204]);
	});

	it('deletes a user: its tokens get 401, no new token (404), and it is an invalid participant', async () => {
		const { user, token } = await newUser();
		await identity().deleteUser(user);

		expect(await statusOf(chatClient(token).listChatThreads().byPage().next())).toBe(401);
		expect(await statusOf(identity().getToken(user, ['chat']))).toBe(404);
		expect(await statusOf(identity().deleteUser(user))).toBe(404);
		const { invalidParticipants } = await chatClient(emulator.demoToken).createChatThread({ topic: 'T' }, { participants: [{ id: user }] });
		expect(invalidParticipants).toEqual([{ code: '404', message: 'Not found', target: user.communicationUserId }]);
		expect(emulator.state().identities).not.toContain(user.communicationUserId);
		const remove = emulator.requests().find((r) => r.method === 'DELETE')!;
		expect([remove.path, remove.status]).toEqual([`/identities/${encodeURIComponent(user.communicationUserId)}`, 204]);
	});

	it('answers revoke with 401 when not signed with the key', async () => {
		const wrong = new CommunicationIdentityClient(`endpoint=${emulator.url}/;accesskey=${Buffer.from('wrong').toString('base64')}`);
		const { user } = await newUser();
		expect(await statusOf(wrong.revokeTokens(user))).toBe(401);
	});
});

describe('bulk messages (admin)', () => {
	it('refuses an unknown thread (404) and a bad count (400)', async () => {
		const bulk = (threadId: string, body: unknown) =>
			fetch(`${emulator.url}/admin/threads/${encodeURIComponent(threadId)}/messages:bulk`, { method: 'POST', body: JSON.stringify(body) });
		expect((await bulk('19:nope@thread.v2', { count: 1 })).status).toBe(404);
		expect((await bulk(DEMO_THREAD, { count: 0 })).status).toBe(400);
		const ok = await bulk(DEMO_THREAD, { count: 3, content: 'Hi' });
		expect(await readJson(ok)).toMatchObject({ count: 3 });
		expect(emulator.requests()).toEqual([]);
		const response = await fetch(`${emulator.url}${threadPath(DEMO_THREAD)}/messages?maxPageSize=1&api-version=2025-03-15`, {
			headers: { authorization: `Bearer ${emulator.demoToken}` },
		});
		expect((await readJson(response)).value[0].content).toEqual({ message: 'Hi 5' });
	});

	it('are also added in-process, from a sender of choice, and shown in the state', () => {
		const phoneCaller = '4:+14255550123';
		const { count, lastId } = emulator.addMessages(DEMO_THREAD, { count: 2, senderId: phoneCaller, senderDisplayName: 'Caller' });
		const { messages } = emulator.state().threads.find((t) => t.id === DEMO_THREAD)!;

		expect(count).toBe(2);
		expect(messages.slice(-2).map((m) => [m.sequenceId, m.content, m.senderId])).toEqual([
			[3, 'Message 3', phoneCaller],
			[4, 'Message 4', phoneCaller],
		]);
		expect(messages.at(-1)!.id).toBe(lastId);
		expect(() => emulator.addMessages(DEMO_THREAD, { count: 1, senderId: '4:+10000000000' })).toThrow('senderId must be a participant');
	});
});
