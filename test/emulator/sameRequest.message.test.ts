import { ChatClient } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';
import type { IDataObject } from 'n8n-workflow';

import { messageParameters, metadataEntries } from '../actions/message/fixtures';
import { runAcsChat } from '../harness/runNode';
import { DEMO_THREAD, demoCredential, requestRecorder, useEmulator, wire } from './support';

// The official SDK and the node, each doing the same message operation against the same emulator: the emulator's
// request log must show the same requests (the log redacts credentials, keeping their scheme).

const emulator = useEmulator({ https: true });
const { requestsOf, onlyRequest } = requestRecorder(emulator);

const chatThread = () =>
	new ChatClient(emulator.url, new AzureCommunicationTokenCredential(emulator.demoToken)).getChatThreadClient(DEMO_THREAD);

/** Runs the node once on the demo thread as the demo user and returns its one output item's json. */
async function runNode(operation: string, fields: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
	const { success, error } = await runAcsChat({
		parameters: messageParameters(operation, fields, options, DEMO_THREAD),
		credential: demoCredential(emulator),
	});
	expect(error).toBeUndefined();
	return success.map((item) => item.json);
}

/** The emulator's bulk insert, which neither logs nor counts against a limit. */
const addMessages = (count: number) => emulator.addMessages(DEMO_THREAD, { count });

async function sentMessageId(): Promise<string> {
	return (await chatThread().sendMessage({ content: 'to work on' })).id;
}

describe('the node sends what @azure/communication-chat sends for messages', () => {
	it('Send Message with sender name, type and metadata', async () => {
		const sdk = await onlyRequest(
			async () =>
				await chatThread().sendMessage(
					{ content: '<p>Hello</p>' },
					{ senderDisplayName: 'Bot', type: 'html', metadata: { ticket: '4711' } },
				),
		);
		let output: IDataObject[] = [];
		const node = await onlyRequest(async () => {
			output = await runNode(
				'send',
				{ content: '<p>Hello</p>' },
				{ senderDisplayName: 'Bot', type: 'html', metadata: metadataEntries({ ticket: '4711' }) },
			);
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ method: 'POST', status: 201, contentType: 'application/json' });
		expect(output).toEqual([{ id: expect.stringMatching(/^\d+$/), threadId: DEMO_THREAD }]);
	});

	it('Send Message with content only', async () => {
		const sdk = await onlyRequest(async () => await chatThread().sendMessage({ content: 'Hi' }));
		const node = await onlyRequest(async () => await runNode('send', { content: 'Hi' }));

		expect(wire(node)).toEqual(wire(sdk));
	});

	it('Get Message', async () => {
		const messageId = await sentMessageId();
		const sdk = await onlyRequest(async () => await chatThread().getMessage(messageId));
		let output: IDataObject[] = [];
		const node = await onlyRequest(async () => (output = await runNode('get', { messageId })));

		expect(wire(node)).toEqual(wire(sdk));
		expect(output[0]).toMatchObject({ id: messageId, threadId: DEMO_THREAD, senderId: emulator.demoUserId });
	});

	it('Get Many Messages with Return All and a start time, every page', async () => {
		const startTime = new Date('2020-01-01T00:00:00.000Z');
		addMessages(450);
		// The node always names its page size; the SDK only when asked, so it is asked for the node's Return All size.
		const sdk = await requestsOf(async () => {
			for await (const _message of chatThread().listMessages({ maxPageSize: 200, startTime })) {
				// Reading to the end is what makes the SDK follow every page.
			}
		});
		const node = await requestsOf(async () => await runNode('getAll', { returnAll: true }, { startTime: startTime.toISOString() }));

		expect(node.map(wire)).toEqual(sdk.map(wire));
		expect(node).toHaveLength(3);
		expect(node[2]).toMatchObject({ method: 'GET', status: 200, query: { syncState: expect.any(String) } });
	});

	it('Get Many Messages with a Limit asks for the same page size as the SDK given that size', async () => {
		for (let index = 0; index < 3; index++) await sentMessageId();
		const sdk = await requestsOf(async () => {
			const pages = chatThread().listMessages({ maxPageSize: 2 }).byPage();
			await pages.next();
		});
		const node = await requestsOf(async () => await runNode('getAll', { limit: 2 }));

		expect(node.map(wire)).toEqual(sdk.map(wire));
	});

	it('Get Many Messages with a Limit over one page: the same first page, then only what is still needed', async () => {
		addMessages(300);
		const sdk = await requestsOf(async () => {
			const pages = chatThread().listMessages({ maxPageSize: 200 }).byPage();
			await pages.next();
			await pages.next();
		});
		const node = await requestsOf(async () => await runNode('getAll', { limit: 250 }));

		// Known difference: the SDK sends ACS's next link unchanged; the node lowers its maxPageSize to the 50
		// messages the Limit still needs, so ACS serves no more than is output (transport/paging.ts).
		expect(node.map(wire)).toEqual([
			wire(sdk[0]),
			{ ...wire(sdk[1]), query: { ...sdk[1].query, maxPageSize: '50' } },
		]);
		expect(sdk[1].query.maxPageSize).toBe('200');
	});

	it('Update Message: content and metadata as a merge patch', async () => {
		const messageId = await sentMessageId();
		const sdk = await onlyRequest(
			async () => await chatThread().updateMessage(messageId, { content: 'Edited', metadata: { edited: 'yes' } }),
		);
		const node = await onlyRequest(
			async () => await runNode('update', { messageId, content: 'Edited' }, { metadata: metadataEntries({ edited: 'yes' }) }),
		);

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ method: 'PATCH', status: 204, contentType: 'application/merge-patch+json' });
	});

	it('Delete Message', async () => {
		const first = await sentMessageId();
		const second = await sentMessageId();
		const sdk = await onlyRequest(async () => await chatThread().deleteMessage(first));
		const node = await onlyRequest(async () => await runNode('delete', { messageId: second }));

		expect({ ...wire(node), path: '' }).toEqual({ ...wire(sdk), path: '' });
		expect(node.path).toBe(sdk.path.replace(first, second));
		expect(wire(node)).toMatchObject({ method: 'DELETE', status: 204 });
	});

	it('Mark as Read (send read receipt)', async () => {
		const messageId = await sentMessageId();
		const sdk = await onlyRequest(async () => await chatThread().sendReadReceipt({ chatMessageId: messageId }));
		const node = await onlyRequest(async () => await runNode('markAsRead', { messageId }));

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ method: 'POST', status: 200, contentType: 'application/json' });
	});

	it('Get Read Receipts with Return All', async () => {
		await chatThread().sendReadReceipt({ chatMessageId: await sentMessageId() });
		const sdk = await requestsOf(async () => {
			for await (const _receipt of chatThread().listReadReceipts({ maxPageSize: 200 })) {
				// Read to the end.
			}
		});
		let output: IDataObject[] = [];
		const node = await requestsOf(async () => (output = await runNode('getReadReceipts', { returnAll: true })));

		expect(node.map(wire)).toEqual(sdk.map(wire));
		expect(output[0]).toMatchObject({ threadId: DEMO_THREAD, senderId: emulator.demoUserId });
	});
});
