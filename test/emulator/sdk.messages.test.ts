import { ChatClient, type ChatMessage, type ChatThreadClient } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';
import { CommunicationIdentityClient } from '@azure/communication-identity';
import { readJson, threadPath, useEmulator } from './support';

// Messages, read receipts and typing, driven through the official SDK: its deserialisers and pagers are the
// judge of the wire format; the request log shows what the SDK actually asked for.

const emulator = useEmulator({ https: true });

interface User {
	id: string;
	token: string;
}

async function newUser(): Promise<User> {
	const { user, token } = await new CommunicationIdentityClient(emulator.connectionString).createUserAndToken(['chat']);
	return { id: user.communicationUserId, token };
}

function chatClient(token: string, apiVersion?: string): ChatClient {
	return new ChatClient(emulator.url, new AzureCommunicationTokenCredential(token), { apiVersion } as object);
}

/** A new thread of Ann's with Bob in it, seen by each. */
async function thread(): Promise<{ ann: User; bob: User; asAnn: ChatThreadClient; asBob: ChatThreadClient; id: string }> {
	const [ann, bob] = [await newUser(), await newUser()];
	const created = await chatClient(ann.token).createChatThread(
		{ topic: 'Orders' },
		{ participants: [{ id: { communicationUserId: bob.id }, displayName: 'Bob' }] },
	);
	const id = created.chatThread!.id;
	emulator.clearRequests();
	return { ann, bob, id, asAnn: chatClient(ann.token).getChatThreadClient(id), asBob: chatClient(bob.token).getChatThreadClient(id) };
}

async function all(pages: AsyncIterable<ChatMessage[]>): Promise<ChatMessage[][]> {
	const seen = [];
	for await (const page of pages) seen.push(page);
	return seen;
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
	try {
		await promise;
		return undefined;
	} catch (error) {
		return (error as { statusCode?: number }).statusCode;
	}
}

describe('sending and reading messages', () => {
	it('sends text and html with metadata and a display name (201, {id}), and reads each back', async () => {
		const { ann, asAnn, asBob } = await thread();
		const text = await asAnn.sendMessage({ content: 'Hello' }, { senderDisplayName: 'Ann', metadata: { ticket: '42' } });
		const html = await asAnn.sendMessage({ content: '<p>Hi</p>' }, { type: 'html' });

		const message = await asBob.getMessage(text.id);
		expect(message).toMatchObject({
			id: text.id,
			type: 'text',
			content: { message: 'Hello' },
			senderDisplayName: 'Ann',
			sender: { kind: 'communicationUser', communicationUserId: ann.id },
			metadata: { ticket: '42' },
			version: text.id,
		});
		expect(message.createdOn).toBeInstanceOf(Date);
		expect(message.editedOn).toBeUndefined();
		expect(await asBob.getMessage(html.id)).toMatchObject({ type: 'html', content: { message: '<p>Hi</p>' } });
		expect(Number(html.id)).toBeGreaterThan(Number(text.id));
		expect(Number((await asBob.getMessage(html.id)).sequenceId)).toBe(Number(message.sequenceId) + 1);

		const [send] = emulator.requests();
		expect(send).toMatchObject({ method: 'POST', status: 201, body: { content: 'Hello', senderDisplayName: 'Ann', metadata: { ticket: '42' } } });
	});

	it('answers 201 with a Location naming the new message, and 404 for a message the thread does not have', async () => {
		const { ann, id, asAnn } = await thread();
		const response = await fetch(`${emulator.url}${threadPath(id)}/messages?api-version=2025-03-15`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ content: 'x' }),
		});
		const { id: messageId } = await readJson(response);
		expect(response.status).toBe(201);
		expect(response.headers.get('location')).toBe(`${emulator.url}${threadPath(id).replace(/%40/g, '@')}/messages/${messageId}`);
		expect(await statusOf(asAnn.getMessage('1'))).toBe(404);
	});

	it('accepts content of 28 KB and refuses one byte more with 400, counting UTF-8 bytes', async () => {
		const { asAnn } = await thread();
		await expect(asAnn.sendMessage({ content: 'a'.repeat(28 * 1024) })).resolves.toHaveProperty('id');
		expect(await statusOf(asAnn.sendMessage({ content: 'a'.repeat(28 * 1024 + 1) }))).toBe(400);
		expect(await statusOf(asAnn.sendMessage({ content: 'é'.repeat(14 * 1024 + 1) }))).toBe(400);
		expect(await statusOf(asAnn.sendMessage({ content: '' }))).toBe(400);
		expect(emulator.requests().map((r) => r.status)).toEqual([201, 400, 400, 400]);
	});

	it('lets only participants send or read, with 403', async () => {
		const { id } = await thread();
		const stranger = chatClient((await newUser()).token).getChatThreadClient(id);
		expect(await statusOf(stranger.sendMessage({ content: 'hi' }))).toBe(403);
		expect(await statusOf(all(stranger.listMessages().byPage()))).toBe(403);
	});
});

describe('listing messages', () => {
	it('lists newest first, system messages included, page by page to the end of the nextLinks', async () => {
		const { ann, bob, id, asAnn } = await thread();
		for (const content of ['one', 'two', 'three']) await asAnn.sendMessage({ content });

		const pages = await all(asAnn.listMessages({ maxPageSize: 2 }).byPage());
		expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
		const messages = pages.flat();
		expect(messages.map((m) => [m.type, m.content?.message ?? m.content?.topic])).toEqual([
			['text', 'three'],
			['text', 'two'],
			['text', 'one'],
			['participantAdded', undefined],
			['topicUpdated', 'Orders'],
		]);
		expect(messages.map((m) => Number(m.sequenceId))).toEqual([5, 4, 3, 2, 1]);
		expect(messages[3].content).toEqual({
			participants: [
				{ id: { kind: 'communicationUser', communicationUserId: ann.id } },
				{ id: { kind: 'communicationUser', communicationUserId: bob.id }, displayName: 'Bob' },
			],
			initiator: { kind: 'communicationUser', communicationUserId: ann.id },
		});
		expect(messages[4].sender).toBeUndefined();

		// The SDK GETs each nextLink as given: same origin and path, the page size and api-version carried.
		const log = emulator.requests().filter((r) => r.method === 'GET');
		expect(log.map((r) => r.path)).toEqual(Array(3).fill(`${threadPath(id)}/messages`));
		expect(log.map((r) => [r.query.maxPageSize, r.query['api-version'], typeof r.query.syncState])).toEqual([
			['2', '2025-03-15', 'undefined'],
			['2', '2025-03-15', 'string'],
			['2', '2025-03-15', 'string'],
		]);
	});

	it('keeps pages stable while messages arrive: no message twice, none skipped', async () => {
		const { asAnn, asBob } = await thread();
		for (let i = 1; i <= 6; i++) await asAnn.sendMessage({ content: `m${i}` });

		const seen: string[] = [];
		for await (const page of asBob.listMessages({ maxPageSize: 2 }).byPage()) {
			seen.push(...page.map((m) => m.content?.message ?? m.type));
			await asAnn.sendMessage({ content: 'later' });
		}
		expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'participantAdded', 'topicUpdated']);
	});

	it('filters by startTime and carries it in the nextLink', async () => {
		const { asAnn } = await thread();
		await asAnn.sendMessage({ content: 'before' });
		await new Promise((resolve) => setTimeout(resolve, 5));
		const startTime = new Date();
		for (const content of ['a', 'b', 'c']) await asAnn.sendMessage({ content });
		emulator.clearRequests();

		const pages = await all(asAnn.listMessages({ startTime, maxPageSize: 2 }).byPage());
		expect(pages.flat().map((m) => m.content?.message)).toEqual(['c', 'b', 'a']);
		expect(emulator.requests()[1].query.startTime).toBe(startTime.toISOString());
	});

	it('pages 10,000 bulk-added messages at most 200 at a time: 50 pages', async () => {
		const { ann, id, asAnn } = await thread();
		const added = await fetch(`${emulator.url}/admin/threads/${encodeURIComponent(id)}/messages:bulk`, {
			method: 'POST',
			body: JSON.stringify({ count: 10_000 }),
		});
		expect(added.status).toBe(201);
		const { count, firstId, lastId } = await readJson(added);
		expect(count).toBe(10_000);
		expect(Number(lastId) - Number(firstId)).toBe(9_999);

		let pages = 0;
		let total = 0;
		let newest: ChatMessage | undefined;
		for await (const page of asAnn.listMessages({ maxPageSize: 200 }).byPage()) {
			pages++;
			total += page.length;
			newest ??= page[0];
		}
		expect([pages, total]).toEqual([51, 10_002]);
		expect(newest).toMatchObject({ id: lastId, content: { message: 'Message 10002' }, sender: { communicationUserId: ann.id } });
		expect(await statusOf(all(asAnn.listMessages({ maxPageSize: 201 }).byPage()))).toBe(400);
	});
});

describe('editing and deleting messages', () => {
	it('edits by merge patch: new content and version, editedOn set, metadata merged', async () => {
		const { asAnn, asBob } = await thread();
		const { id } = await asAnn.sendMessage({ content: 'draft' }, { metadata: { a: '1', b: '2' } });
		await asAnn.updateMessage(id, { content: 'final', metadata: { b: '3' } });

		const edited = await asBob.getMessage(id);
		expect(edited).toMatchObject({ id, content: { message: 'final' }, metadata: { a: '1', b: '3' } });
		expect(Number(edited.version)).toBeGreaterThan(Number(id));
		expect(edited.editedOn).toBeInstanceOf(Date);
		const patch = emulator.requests().find((r) => r.method === 'PATCH')!;
		expect(patch.headers['content-type']).toBe('application/merge-patch+json');
		expect(patch.status).toBe(204);

		await asAnn.updateMessage(id, { content: 'again' });
		expect(Number((await asBob.getMessage(id)).version)).toBeGreaterThan(Number(edited.version));
	});

	it('refuses a PATCH that is not a merge patch with 415', async () => {
		const { ann, id, asAnn } = await thread();
		const { id: messageId } = await asAnn.sendMessage({ content: 'x' });
		const response = await fetch(`${emulator.url}${threadPath(id)}/messages/${messageId}?api-version=2025-03-15`, {
			method: 'PATCH',
			headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/json' },
			body: '{"content":"y"}',
		});
		expect(response.status).toBe(415);
		expect((await asAnn.getMessage(messageId)).content?.message).toBe('x');
	});

	it('deletes (204): the message stays listed with deletedOn and no content; deleting again is 204, editing is 404', async () => {
		const { asAnn, asBob } = await thread();
		const { id } = await asAnn.sendMessage({ content: 'oops' });
		await asAnn.deleteMessage(id);
		await asAnn.deleteMessage(id);

		const [newest] = (await all(asBob.listMessages().byPage())).flat();
		expect(newest).toMatchObject({ id, type: 'text' });
		expect(newest.deletedOn).toBeInstanceOf(Date);
		expect(newest.content).toBeUndefined();
		expect((await asBob.getMessage(id)).deletedOn).toEqual(newest.deletedOn);
		expect(await statusOf(asAnn.updateMessage(id, { content: 'back' }))).toBe(404);
		expect(emulator.requests().filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([204, 204]);
	});

	it('lets only the sender change a message, and nobody a system message (403)', async () => {
		const { asAnn, asBob } = await thread();
		const { id } = await asAnn.sendMessage({ content: 'mine' });
		const system = (await all(asAnn.listMessages().byPage())).flat().find((m) => m.type === 'topicUpdated')!;

		expect(await statusOf(asBob.updateMessage(id, { content: 'theirs' }))).toBe(403);
		expect(await statusOf(asBob.deleteMessage(id))).toBe(403);
		expect(await statusOf(asAnn.deleteMessage(system.id))).toBe(403);
		expect((await asAnn.getMessage(id)).content?.message).toBe('mine');
	});
});

describe('system messages', () => {
	it('announce a removed participant, who then can no longer read (403)', async () => {
		const { ann, bob, asAnn, asBob } = await thread();
		await asAnn.removeParticipant({ communicationUserId: bob.id });

		const [removed] = (await all(asAnn.listMessages().byPage())).flat();
		expect(removed).toMatchObject({
			type: 'participantRemoved',
			content: {
				participants: [{ id: { communicationUserId: bob.id }, displayName: 'Bob' }],
				initiator: { communicationUserId: ann.id },
			},
		});
		expect(await statusOf(all(asBob.listMessages().byPage()))).toBe(403);
	});
});

describe('read receipts', () => {
	it('keeps one receipt per reader for the latest message read, listed page by page with skip', async () => {
		const { ann, bob, asAnn, asBob } = await thread();
		const first = await asAnn.sendMessage({ content: 'one' });
		const second = await asAnn.sendMessage({ content: 'two' });
		await asAnn.sendReadReceipt({ chatMessageId: second.id });
		await asBob.sendReadReceipt({ chatMessageId: second.id });
		// An older message does not move a reader back.
		await asBob.sendReadReceipt({ chatMessageId: first.id });
		emulator.clearRequests();

		const pages = [];
		for await (const page of asAnn.listReadReceipts({ maxPageSize: 1 }).byPage()) pages.push(page);
		expect(pages.map((p) => p.length)).toEqual([1, 1]);
		expect(pages.flat().map((r) => [r.sender, r.chatMessageId])).toEqual([
			[{ kind: 'communicationUser', communicationUserId: ann.id }, second.id],
			[{ kind: 'communicationUser', communicationUserId: bob.id }, second.id],
		]);
		expect(pages.flat()[0].readOn).toBeInstanceOf(Date);
		expect(emulator.requests().map((r) => r.query)).toEqual([
			{ 'api-version': '2025-03-15', maxPageSize: '1' },
			{ 'api-version': '2025-03-15', maxPageSize: '1', skip: '1' },
		]);
	});

	it('answers a receipt with 200 and no body, and 404 for a message the thread does not have', async () => {
		const { asAnn } = await thread();
		const { id } = await asAnn.sendMessage({ content: 'x' });
		await asAnn.sendReadReceipt({ chatMessageId: id });
		expect(await statusOf(asAnn.sendReadReceipt({ chatMessageId: '1' }))).toBe(404);
		expect(emulator.requests().slice(1).map((r) => [r.body, r.status])).toEqual([
			[{ chatMessageId: id }, 200],
			[{ chatMessageId: '1' }, 404],
		]);
	});
});

describe('typing notifications', () => {
	it('are accepted with 200 and no body, with or without a display name', async () => {
		const { id, asAnn, bob } = await thread();
		await expect(asAnn.sendTypingNotification({ senderDisplayName: 'Ann' })).resolves.toBe(true);
		await expect(chatClient(bob.token, '2024-03-07').getChatThreadClient(id).sendTypingNotification()).resolves.toBe(true);
		expect(emulator.requests().map((r) => [r.path, r.body, r.status])).toEqual([
			[`${threadPath(id)}/typing`, { senderDisplayName: 'Ann' }, 200],
			[`${threadPath(id)}/typing`, {}, 200],
		]);
	});
});
