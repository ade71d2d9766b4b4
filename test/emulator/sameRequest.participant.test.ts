import { ChatClient } from '@azure/communication-chat';
import { AzureCommunicationTokenCredential } from '@azure/communication-common';
import { CommunicationIdentityClient } from '@azure/communication-identity';

import { runAcsChat } from '../harness/runNode';
import { addParticipant, getParticipants } from '../actions/participant/params';
import { DEMO_THREAD, demoCredential, requestRecorder, useEmulator, wire } from './support';

// The official SDK and the node, each adding or listing participants against the same emulator: the emulator's
// request log must show the same request (the log redacts credentials, keeping their scheme).

const emulator = useEmulator({ https: true });
const { requestsOf, onlyRequest } = requestRecorder(emulator);

const chatThread = () =>
	new ChatClient(emulator.url, new AzureCommunicationTokenCredential(emulator.demoToken)).getChatThreadClient(DEMO_THREAD);

/** ACS users the emulator knows, made with the identity SDK before the requests compared. */
async function newUsers(count: number): Promise<string[]> {
	const identity = new CommunicationIdentityClient(emulator.connectionString);
	const users: string[] = [];
	for (let n = 0; n < count; n++) users.push((await identity.createUser()).communicationUserId);
	return users;
}

const credential = () => demoCredential(emulator);

describe('the node sends what @azure/communication-chat sends for participants', () => {
	it('Add Participant with a display name, share history time and metadata', async () => {
		const [user] = await newUsers(1);
		const shareHistoryTime = '2025-03-15T09:30:00.000Z';
		const sdk = await onlyRequest(
			async () =>
				await chatThread().addParticipants({
					participants: [
						{ id: { communicationUserId: user }, displayName: 'Alice', shareHistoryTime: new Date(shareHistoryTime), metadata: { tier: 'gold' } },
					],
				}),
		);
		await chatThread().removeParticipant({ communicationUserId: user });
		const node = await onlyRequest(async () => {
			const { success, error } = await runAcsChat({
				parameters: addParticipant(user, DEMO_THREAD, 'Alice', { shareHistoryTime, metadata: { entries: [{ key: 'tier', value: 'gold' }] } }),
				credential: credential(),
			});
			expect(error).toBeUndefined();
			expect(success[0].json).toMatchObject({ added: true, participantId: user, displayName: 'Alice' });
		});

		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 201, contentType: 'application/json', authorization: 'Bearer [redacted]' });
	});

	it('Add Participant for three items of one thread is the SDK’s one call with three participants', async () => {
		const users = await newUsers(2);
		const teamsUser = '8:orgid:00000000-0000-4000-8000-0000000000aa';
		const sdk = await onlyRequest(
			async () =>
				await chatThread().addParticipants({
					participants: [
						{ id: { communicationUserId: users[0] }, displayName: 'One' },
						{ id: { microsoftTeamsUserId: '00000000-0000-4000-8000-0000000000aa' } },
						{ id: { communicationUserId: users[1] }, displayName: 'Two' },
					],
				}),
		);
		for (const id of [...users, teamsUser]) {
			await chatThread().removeParticipant(id.startsWith('8:orgid:') ? { microsoftTeamsUserId: id.slice(8) } : { communicationUserId: id });
		}
		const node = await onlyRequest(async () => {
			const { success } = await runAcsChat({
				parameters: addParticipant('={{ $json.user }}', DEMO_THREAD, '={{ $json.name }}'),
				items: [
					{ user: users[0], name: 'One' },
					{ user: teamsUser, name: '' },
					{ user: users[1], name: 'Two' },
				],
				credential: credential(),
			});
			expect(success.map((item) => item.json.participantId)).toEqual([users[0], teamsUser, users[1]]);
		});

		expect(wire(node)).toEqual(wire(sdk));
	});

	it('Add Participant for an ACS user the resource does not know: the same 201, and the node makes it that item’s error', async () => {
		const [known] = await newUsers(1);
		const unknown = '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_0000dead-0000-4000-8000-000000000000';
		let sdkInvalid: unknown;
		const sdk = await onlyRequest(async () => {
			sdkInvalid = (
				await chatThread().addParticipants({ participants: [{ id: { communicationUserId: known } }, { id: { communicationUserId: unknown } }] })
			).invalidParticipants;
		});
		await chatThread().removeParticipant({ communicationUserId: known });
		const node = await onlyRequest(async () => {
			const { success, errorOutput } = await runAcsChat({
				parameters: addParticipant('={{ $json.user }}', DEMO_THREAD),
				items: [{ user: known }, { user: unknown }],
				credential: credential(),
				onError: 'continueErrorOutput',
			});
			expect(success.map((item) => [item.json.participantId, item.pairedItem])).toEqual([[known, { item: 0 }]]);
			expect(errorOutput.map((item) => [item.json.details, item.pairedItem])).toEqual([
				[expect.objectContaining({ httpCode: 201, code: '404', message: 'Not found', target: unknown }), { item: 1 }],
			]);
		});

		expect(sdkInvalid).toEqual([expect.objectContaining({ code: '404', target: unknown })]);
		expect(wire(node)).toEqual(wire(sdk));
	});

	it('Add Participant for a phone number differs only by the isAnonymous flag the chat SDK drops', async () => {
		const sdk = await onlyRequest(async () => await chatThread().addParticipants({ participants: [{ id: { phoneNumber: '+14255550199' } }] }));
		emulator.reset();
		const node = await onlyRequest(async () => await runAcsChat({ parameters: addParticipant('4:+14255550199', DEMO_THREAD), credential: credential() }));

		// chat 1.6.0 serialises with a model older than @azure/communication-common 2.5.0, which the node follows.
		expect(sdk.body).toEqual({ participants: [{ communicationIdentifier: { rawId: '4:+14255550199', phoneNumber: { value: '+14255550199' } } }] });
		expect(node.body).toEqual({
			participants: [{ communicationIdentifier: { rawId: '4:+14255550199', phoneNumber: { value: '+14255550199', isAnonymous: false } } }],
		});
		expect({ ...wire(node), body: '' }).toEqual({ ...wire(sdk), body: '' });
		expect(node.status).toBe(201);
	});

	it('Get Many Participants, Return All (one page of up to 200, as the SDK asks with maxPageSize 200)', async () => {
		const sdkIds: string[] = [];
		const sdk = await onlyRequest(async () => {
			for await (const participant of chatThread().listParticipants({ maxPageSize: 200 })) sdkIds.push(JSON.stringify(participant.id));
		});
		const node = await onlyRequest(async () => {
			const { success } = await runAcsChat({ parameters: getParticipants(DEMO_THREAD, { returnAll: true }), credential: credential() });
			expect(success.map((item) => item.json.participantId)).toEqual([
				emulator.demoUserId,
				'4:+14255550123',
				'8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130',
			]);
		});

		expect(sdkIds).toHaveLength(3);
		expect(wire(node)).toEqual(wire(sdk));
		expect(wire(node)).toMatchObject({ status: 200, query: { maxPageSize: '200', 'api-version': '2025-03-15' } });
	});

	it('Get Many Participants with a Limit of 2 asks for the page the SDK asks for with maxPageSize 2', async () => {
		const sdk = await requestsOf(async () => {
			for await (const page of chatThread().listParticipants({ maxPageSize: 2 }).byPage()) {
				expect(page).toHaveLength(2);
				break;
			}
		});
		const node = await onlyRequest(async () => {
			const { success } = await runAcsChat({ parameters: getParticipants(DEMO_THREAD, { returnAll: false, limit: 2 }), credential: credential() });
			expect(success).toHaveLength(2);
		});

		expect(wire(node)).toEqual(wire(sdk[0]));
	});

	it('Get Many Participants, Return All, follows nextLink past a full page of 200 as the SDK does', async () => {
		const users = await newUsers(210);
		const { success: added } = await runAcsChat({
			parameters: addParticipant('={{ $json.user }}', DEMO_THREAD),
			items: users.map((user) => ({ user })),
			credential: credential(),
		});
		expect(added).toHaveLength(210);
		const sdkIds: string[] = [];
		const sdk = await requestsOf(async () => {
			for await (const participant of chatThread().listParticipants({ maxPageSize: 200 })) sdkIds.push(JSON.stringify(participant.id));
		});
		const node = await requestsOf(async () => {
			const { success } = await runAcsChat({ parameters: getParticipants(DEMO_THREAD, { returnAll: true }), credential: credential() });
			expect(success.map((item) => item.json.participantId)).toEqual([
				emulator.demoUserId,
				'4:+14255550123',
				'8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130',
				...users,
			]);
		});

		expect(sdk).toHaveLength(2);
		expect(sdkIds).toHaveLength(213);
		expect(node.map(wire)).toEqual(sdk.map(wire));
		expect(node[1].query).toMatchObject({ skip: '200', maxPageSize: '200' });
	}, 30_000);
});
