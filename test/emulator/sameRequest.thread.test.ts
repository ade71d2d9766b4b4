import { ChatClient } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';

import { runAcsChat } from '../harness/runNode';
import { locator, threadParameters } from '../actions/thread/params';
import { searchThreads } from '../methods/searchThreads';
import { DEMO_THREAD, demoCredential, requestRecorder, useEmulator, wire } from './support';

// The official SDK and the node, each doing the same thread operation against the same emulator: the emulator's
// request log must show the same request (the log redacts credentials, keeping their scheme).

const emulator = useEmulator({ https: true });
const { onlyRequest } = requestRecorder(emulator);

const chatClient = () => new ChatClient(emulator.url, new AzureCommunicationTokenCredential(emulator.demoToken));

/** Runs the node once as the demo user and returns its output items' json. */
async function runNode(operation: string, fields: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
	const { success, error } = await runAcsChat({
		parameters: threadParameters(operation, fields, options),
		credential: demoCredential(emulator),
	});
	expect(error).toBeUndefined();
	return success.map((item) => item.json);
}

/** A thread of the demo user's own, made by the SDK, for the operations that change or end one. */
async function ownThread(): Promise<string> {
	const { chatThread } = await chatClient().createChatThread({ topic: 'to work on' });
	return chatThread!.id;
}

describe('the node sends what @azure/communication-chat sends for threads', () => {
	it('Create Thread with participants, metadata and a retention policy (all but the random repeatability-request-id)', async () => {
		const other = emulator.state().identities.find((id) => id !== emulator.demoUserId)!;
		const shareHistoryTime = '2025-03-15T09:30:00.000Z';
		const sdk = await onlyRequest(
			async () =>
				await chatClient().createChatThread(
					{ topic: 'Support 4711' },
					{
						participants: [
							{ id: { communicationUserId: other }, displayName: 'Alice', shareHistoryTime: new Date(shareHistoryTime) },
							{ id: { communicationUserId: emulator.demoUserId } },
						],
						metadata: { ticket: '4711' },
						retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 45 },
					},
				),
		);
		const node = await onlyRequest(async () => {
			const [output] = await runNode(
				'create',
				{
					topic: 'Support 4711',
					specifyParticipants: 'fields',
					participants: {
						participant: [
							{ participantId: other, displayName: 'Alice', shareHistoryTime },
							{ participantId: emulator.demoUserId },
						],
					},
				},
				{
					metadata: { entries: [{ key: 'ticket', value: '4711' }] },
					retentionPolicy: { policy: { kind: 'threadCreationDate', deleteThreadAfterDays: 45 } },
				},
			);
			expect(output).toMatchObject({ chatThread: { topic: 'Support 4711', metadata: { ticket: '4711' } }, invalidParticipants: [] });
			expect(output.threadId).toBe((output.chatThread as { id: string }).id);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 201, contentType: 'application/json' });
		// Both make one per call; the SDK's is a UUID too.
		expect(node.headers['repeatability-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(sdk.headers['repeatability-request-id']).toMatch(/^[0-9a-f-]{36}$/);
		expect(node.headers['repeatability-request-id']).not.toBe(sdk.headers['repeatability-request-id']);
	});

	it('Create Thread with a topic only', async () => {
		const sdk = await onlyRequest(async () => await chatClient().createChatThread({ topic: 'Bare' }));
		const node = await onlyRequest(async () => await runNode('create', { topic: 'Bare' }));

		expect(wire(node)).toEqual(wire(sdk));
	});

	it('Get Many Threads, Return All, with a start time', async () => {
		const startTime = '2020-01-01T00:00:00.000Z';
		const sdk = await onlyRequest(async () => {
			for await (const page of chatClient().listChatThreads({ maxPageSize: 200, startTime: new Date(startTime) }).byPage()) {
				expect(page.length).toBeGreaterThan(0);
			}
		});
		const node = await onlyRequest(async () => {
			const threads = await runNode('getAll', { returnAll: true }, { startTime });
			expect(threads.map((thread) => thread.threadId)).toContain(DEMO_THREAD);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 200, query: { maxPageSize: '200', startTime } });
	});

	it('Get Many Threads, Return All, follows nextLink past a full page of 200 as the SDK does', async () => {
		for (let batch = 0; batch < 10; batch++) {
			await Promise.all(Array.from({ length: 20 }, async (_, n) => await chatClient().createChatThread({ topic: `extra ${batch}.${n}` })));
		}
		emulator.clearRequests();
		const sdkIds: string[] = [];
		for await (const page of chatClient().listChatThreads({ maxPageSize: 200 }).byPage()) sdkIds.push(...page.map((t) => t.id));
		const sdk = emulator.requests();
		emulator.clearRequests();
		const threads = await runNode('getAll', { returnAll: true });
		const node = emulator.requests();

		expect(sdk).toHaveLength(2);
		expect(sdkIds.length).toBeGreaterThan(200);
		expect(threads.map((thread) => thread.threadId)).toEqual(sdkIds);
		expect(node.map(wire)).toEqual(sdk.map(wire));
	});

	it('Update Thread: topic, metadata and retention policy as a merge patch', async () => {
		const threadId = await ownThread();
		const sdk = await onlyRequest(
			async () =>
				await chatClient()
					.getChatThreadClient(threadId)
					.updateProperties({ topic: 'New', metadata: { a: 'b' }, retentionPolicy: { kind: 'none' } }),
		);
		const node = await onlyRequest(
			async () =>
				await runNode(
					'update',
					{ threadId: locator(threadId), topic: 'New' },
					{ metadata: { entries: [{ key: 'a', value: 'b' }] }, retentionPolicy: { policy: { kind: 'none' } } },
				),
		);

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 204, contentType: 'application/merge-patch+json' });
	});

	it('Delete Thread', async () => {
		const [first, second] = [await ownThread(), await ownThread()];
		const sdk = await onlyRequest(async () => await chatClient().deleteChatThread(first));
		const node = await onlyRequest(async () => await runNode('delete', { threadId: locator(second) }));

		expect({ ...wire(node), path: '' }).toEqual({ ...wire(sdk), path: '' });
		expect(node.path).toBe(`/chat/threads/${encodeURIComponent(second)}`);
		expect(node.status).toBe(204);
	});

	it('Send Typing Notification with a sender display name', async () => {
		const sdk = await onlyRequest(
			async () => await chatClient().getChatThreadClient(DEMO_THREAD).sendTypingNotification({ senderDisplayName: 'Bob' }),
		);
		const node = await onlyRequest(
			async () => await runNode('sendTypingNotification', { threadId: locator(DEMO_THREAD) }, { senderDisplayName: 'Bob' }),
		);

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 200, contentType: 'application/json' });
	});

	it('Send Typing Notification without a name differs only by the empty body n8n does not send', async () => {
		const sdk = await onlyRequest(async () => await chatClient().getChatThreadClient(DEMO_THREAD).sendTypingNotification());
		const node = await onlyRequest(async () => await runNode('sendTypingNotification', { threadId: locator(DEMO_THREAD) }));

		// The SDK sends {} as application/json; n8n's HTTP helper drops an empty JSON object, so the node sends an
		// empty body without a Content-Type. The request body is optional (SendTypingNotificationRequest).
		expect([sdk.body, wire(sdk).contentType]).toEqual([{}, 'application/json']);
		expect(wire(node).contentType).toBeUndefined();
		expect({ ...wire(node), body: '', contentType: '' }).toEqual({ ...wire(sdk), body: '', contentType: '' });
		expect(node.status).toBe(200);
	});

	it('the Thread field\'s list search reads the first page as the SDK does', async () => {
		const sdk = await onlyRequest(async () => await chatClient().listChatThreads({ maxPageSize: 200 }).byPage().next());
		const node = await onlyRequest(async () => {
			const { result } = await searchThreads('demo', undefined, demoCredential(emulator));
			expect(result.results.map((item) => item.value)).toContain(DEMO_THREAD);
		});

		expect(wire(node)).toEqual(wire(sdk));
	});
});
