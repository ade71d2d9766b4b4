import { createIdentifierFromRawId, serializeCommunicationIdentifier } from '@azure/communication-common';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { THREAD_ID } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, runAsOwnUser } from '../thread/params';
import { ADD_PATH, acsUser, acsUserModel, addFromItems, addParticipant } from './params';

interface SentAdd {
	threadId: string;
	apiVersion: string | null;
	participants: IDataObject[];
	headers: Record<string, string | string[]>;
}

/** Answers every Add Participants request with `answer(threadId, request)`, in the order they arrive, and records them. */
function addApi(answer: (sent: SentAdd, index: number) => [number, IDataObject?] = () => [201, {}]) {
	const sent: SentAdd[] = [];
	nock(BASE_URL)
		.persist()
		.post(/^\/chat\/threads\/[^/]+\/participants\/:add/)
		.query(true)
		.reply(function (uri, body) {
			const url = new URL(uri, BASE_URL);
			const request: SentAdd = {
				threadId: decodeURIComponent(url.pathname.split('/')[3]),
				apiVersion: url.searchParams.get('api-version'),
				participants: (body as { participants: IDataObject[] }).participants,
				headers: this.req.headers as Record<string, string>,
			};
			sent.push(request);
			return answer(request, sent.length - 1);
		});
	return sent;
}

const rawIdsOf = (request: SentAdd) => request.participants.map((p) => (p.communicationIdentifier as IDataObject).rawId);
const threadOf = (n: number) => `19:thread${n}@thread.v2`;

describe('Participant → Add: the request', () => {
	it('posts the participant as AddChatParticipantsRequest, keys in the order the SDK sends them, and outputs what was added', async () => {
		const body = {
			participants: [
				{
					communicationIdentifier: acsUserModel(acsUser(1)),
					displayName: 'Alice',
					shareHistoryTime: '2020-01-01T00:00:00.000Z',
					metadata: { team: 'blue', tier: 'gold' },
				},
			],
		};
		const scope = nock(BASE_URL, {
			reqheaders: {
				authorization: `Bearer ${TEST_TOKEN}`,
				accept: 'application/json',
				'content-type': (value) => value.split(';')[0] === 'application/json',
			},
		})
			.post(ADD_PATH, (sent) => JSON.stringify(sent) === JSON.stringify(body))
			.query({ 'api-version': '2025-03-15' })
			.reply(201, {});

		const { success, error } = await runAcsChat({
			parameters: addParticipant(acsUser(1), THREAD_ID, '  Alice ', {
				shareHistoryTime: '2020-01-01T00:00:00Z',
				metadata: { entries: [{ key: 'team', value: 'blue' }, { key: ' tier ', value: 'gold' }] },
			}),
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{
				json: {
					added: true,
					threadId: THREAD_ID,
					participantId: acsUser(1),
					participantKind: 'communicationUser',
					communicationIdentifier: acsUserModel(acsUser(1)),
					displayName: 'Alice',
					shareHistoryTime: '2020-01-01T00:00:00.000Z',
					metadata: { team: 'blue', tier: 'gold' },
				},
				pairedItem: { item: 0 },
			},
		]);
		scope.done();
	});

	it.each(['4:+14255550123', '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130', '28:orgid:app1', '48:future-kind'])(
		'sends %s as @azure/communication-common serialises it, without a display name when none is given',
		async (rawId) => {
			const sent = addApi();

			const { success } = await runAcsChat({ parameters: addParticipant(rawId) });

			expect(sent).toHaveLength(1);
			expect(JSON.stringify(sent[0].participants)).toBe(
				JSON.stringify([{ communicationIdentifier: serializeCommunicationIdentifier(createIdentifierFromRawId(rawId)) }]),
			);
			expect(success[0].json).toMatchObject({ added: true, participantId: rawId });
			expect(success[0].json).not.toHaveProperty('displayName');
		},
	);

	it('uses the API version from Options', async () => {
		const scope = nock(BASE_URL).post(ADD_PATH).query({ 'api-version': '2024-03-07' }).reply(201, {});

		const { success } = await runAcsChat({ parameters: addParticipant(acsUser(1), THREAD_ID, '', { apiVersion: '2024-03-07' }) });

		expect(success[0].json.added).toBe(true);
		scope.done();
	});
});

describe('Participant → Add: batching', () => {
	it('sends 1,000 items for 5 threads as 5 requests of 200, in input order, with one output per item', async () => {
		const sent = addApi();
		const items = Array.from({ length: 1_000 }, (_, index) => ({ user: acsUser(index), thread: threadOf(index % 5), name: `User ${index}` }));

		const { success, error } = await runAcsChat({ parameters: addFromItems(), items });

		expect(error).toBeUndefined();
		expect(sent).toHaveLength(5);
		for (const request of sent) {
			const thread = Number(request.threadId.match(/thread(\d)/)![1]);
			expect(rawIdsOf(request)).toEqual(items.filter((_, index) => index % 5 === thread).map((item) => item.user));
		}
		expect(success.map((item) => [item.json.participantId, item.json.threadId, item.json.displayName, item.pairedItem])).toEqual(
			items.map((item, index) => [item.user, item.thread, item.name, { item: index }]),
		);
	}, 30_000);

	it('sends 440 items for 2 threads as 4 requests: 200 and 20 per thread', async () => {
		const sent = addApi();
		const items = Array.from({ length: 440 }, (_, index) => ({ user: acsUser(index), thread: threadOf(index < 220 ? 0 : 1), name: '' }));

		const { success } = await runAcsChat({ parameters: addFromItems(), items });

		expect(sent.map((request) => [request.threadId, request.participants.length]).sort()).toEqual([
			[threadOf(0), 20],
			[threadOf(0), 200],
			[threadOf(1), 20],
			[threadOf(1), 200],
		]);
		// A thread's chunks go out one after another, in input order.
		const firstOfThread0 = sent.findIndex((request) => request.threadId === threadOf(0));
		expect(rawIdsOf(sent[firstOfThread0])).toEqual(items.slice(0, 200).map((item) => item.user));
		expect(success).toHaveLength(440);
		expect(success.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	}, 30_000);

	it('sends a participant named twice for one thread in a later request, so the later item wins, as item by item', async () => {
		const sent = addApi();
		const items = [
			{ user: acsUser(1), thread: THREAD_ID, name: 'First' },
			{ user: acsUser(2), thread: THREAD_ID, name: 'Bob' },
			{ user: acsUser(1), thread: THREAD_ID, name: 'Second' },
			{ user: acsUser(3), thread: THREAD_ID, name: 'Carol' },
			{ user: acsUser(1), thread: threadOf(9), name: 'Elsewhere' },
		];

		const { success } = await runAcsChat({ parameters: addFromItems({ concurrency: 1 }), items });

		expect(sent.map((request) => [request.threadId, rawIdsOf(request)])).toEqual([
			[THREAD_ID, [acsUser(1), acsUser(2)]],
			[THREAD_ID, [acsUser(1), acsUser(3)]],
			[threadOf(9), [acsUser(1)]],
		]);
		expect(sent[1].participants[0].displayName).toBe('Second');
		expect(success.map((item) => item.json.displayName)).toEqual(['First', 'Bob', 'Second', 'Carol', 'Elsewhere']);
	});

	it('sends items of one thread with different API versions in separate requests', async () => {
		const sent = addApi();

		await runAcsChat({
			parameters: addParticipant('={{ $json.user }}', THREAD_ID, '', { apiVersion: '={{ $json.version }}' }),
			items: [
				{ user: acsUser(1), version: '2025-03-15' },
				{ user: acsUser(2), version: '2024-03-07' },
				{ user: acsUser(3), version: '2025-03-15' },
			],
		});

		expect(sent.map((request) => [request.apiVersion, rawIdsOf(request)])).toEqual([
			['2025-03-15', [acsUser(1), acsUser(3)]],
			['2024-03-07', [acsUser(2)]],
		]);
	});

	it('sends the threads side by side, up to the Concurrency option', async () => {
		let inFlight = 0;
		let most = 0;
		nock(BASE_URL)
			.persist()
			.post(/participants\/:add/)
			.query(true)
			.reply((_uri, _body, callback) => {
				most = Math.max(most, ++inFlight);
				setTimeout(() => {
					inFlight--;
					callback(null, [201, {}]);
				}, 50);
			});
		const items = Array.from({ length: 12 }, (_, index) => ({ user: acsUser(index), thread: threadOf(index % 6), name: '' }));

		await runAcsChat({ parameters: addFromItems({ concurrency: 3 }), items });
		expect(most).toBe(3);

		most = 0;
		await runAcsChat({ parameters: addFromItems({ concurrency: 1 }), items });
		expect(most).toBe(1);
	});
});

describe('Participant → Add: partial failure and failed requests', () => {
	const three = [
		{ user: acsUser(1), thread: THREAD_ID, name: 'A' },
		{ user: acsUser(2), thread: THREAD_ID, name: 'B' },
		{ user: acsUser(3), thread: THREAD_ID, name: 'C' },
	];

	it('turns the invalidParticipants entry for a raw ID into the error item of the item that asked for it; the others succeed', async () => {
		const sent = addApi(() => [201, { invalidParticipants: [{ target: acsUser(2), code: '403', message: 'Permissions check failed' }] }]);

		const { success, errorOutput, error } = await runAcsChat({ parameters: addFromItems(), items: three, onError: 'continueErrorOutput' });

		expect(error).toBeUndefined();
		expect(sent).toHaveLength(1);
		expect(success.map((item) => [item.json.participantId, item.pairedItem])).toEqual([
			[acsUser(1), { item: 0 }],
			[acsUser(3), { item: 2 }],
		]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 1 });
		expect(errorOutput[0].json.error).toBe(`ACS did not add participant ${acsUser(2)}: 403 Permissions check failed`);
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 201, code: '403', message: 'Permissions check failed', target: acsUser(2) });
	});

	it('gives an entry that names no participant of the request to every participant without an entry of its own', async () => {
		addApi(() => [
			201,
			{
				invalidParticipants: [
					{ target: acsUser(3), code: '404', message: 'Not found' },
					{ code: '500', message: 'Something failed' },
				],
			},
		]);

		const { success, errorOutput } = await runAcsChat({ parameters: addFromItems(), items: three, onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(errorOutput.map((item) => [item.pairedItem, (item.json.details as IDataObject).code])).toEqual([
			[{ item: 0 }, '500'],
			[{ item: 1 }, '500'],
			[{ item: 2 }, '404'],
		]);
		expect(errorOutput[0].json.error).toMatch(/did not say which/);
		expect((errorOutput[0].json.details as IDataObject).description).toMatch(new RegExp(`so ${acsUser(1)} may or may not have been added`));
	});

	it.each([
		['no list', { invalidParticipants: 'none' }],
		['entries that are no CommunicationError', { invalidParticipants: [null, 'x', ['403'], { target: acsUser(2) }, { code: '' }] }],
	])('takes an answer with %s as every participant added', async (_case, answer) => {
		addApi(() => [201, answer]);

		const { success, errorOutput } = await runAcsChat({ parameters: addFromItems(), items: three, onError: 'continueErrorOutput' });

		expect(errorOutput).toEqual([]);
		expect(success.map((item) => item.json.added)).toEqual([true, true, true]);
	});

	it('gives an entry without a target to the only participant of a one-participant request', async () => {
		addApi(() => [201, { invalidParticipants: [{ code: '404', message: 'Not found' }] }]);

		const { errorOutput } = await runAcsChat({ parameters: addParticipant(acsUser(7)), onError: 'continueErrorOutput' });

		expect(errorOutput[0].json.error).toBe(`ACS did not add participant ${acsUser(7)}: 404 Not found`);
		expect(errorOutput[0].json.details).toMatchObject({ httpCode: 201, code: '404', target: acsUser(7) });
	});

	it.each([
		[403, 'Forbidden', 'User is not allowed to perform specified action.'],
		[400, 'BadRequest', 'A thread holds at most 250 participants.'],
	])('fails every item of a chunk whose request was answered %i, and only those', async (status, code, message) => {
		addApi((request) => (request.threadId === THREAD_ID ? acsError(status, code, message) : [201, {}]));
		const items = [...three.slice(0, 2), { user: acsUser(4), thread: threadOf(1), name: 'D' }];

		const { success, errorOutput } = await runAcsChat({ parameters: addFromItems(), items, onError: 'continueErrorOutput' });

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
		expect(errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of errorOutput) {
			expect(item.json.error).toBe(`ACS answered ${status} ${code}: ${message}`);
			expect(item.json.details).toMatchObject({ httpCode: status, code, message });
			expect((item.json.details as IDataObject).description).toMatch(/sent in one request with 1 other item\(s\).*none of them was added/);
		}
	});

	it('fails the chunk with the 429 once its retries are used up, each of its items an error item', async () => {
		const sent = addApi(() => [429, { error: { code: 'TooManyRequests', message: 'Rate limit exceeded.' } }]);

		const { errorOutput } = await runAsOwnUser({
			parameters: addFromItems({ maxRetries: 1 }),
			items: three,
			onError: 'continueErrorOutput',
		});

		expect(sent).toHaveLength(2);
		expect(errorOutput.map((item) => [item.pairedItem, (item.json.details as IDataObject).httpCode])).toEqual([
			[{ item: 0 }, 429],
			[{ item: 1 }, 429],
			[{ item: 2 }, 429],
		]);
	});

	it('without continue on fail, stops with the error of the lowest failing item once the requests in flight are answered', async () => {
		const sent = addApi((request) =>
			request.threadId === threadOf(1)
				? acsError(403, 'Forbidden', 'User is not allowed to perform specified action.')
				: [201, { invalidParticipants: [{ target: acsUser(3), code: '404', message: 'Not found' }] }],
		);
		const items = [
			{ user: acsUser(1), thread: THREAD_ID, name: '' },
			{ user: acsUser(2), thread: threadOf(1), name: '' },
			{ user: acsUser(3), thread: THREAD_ID, name: '' },
		];

		const { success, error } = await runAcsChat({ parameters: addFromItems(), items });

		expect(sent).toHaveLength(2);
		expect(success).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('ACS answered 403 Forbidden: User is not allowed to perform specified action.');
		expect(error?.context.itemIndex).toBe(1);
	});

	it('without continue on fail, sends no further chunk of the thread after a failed one', async () => {
		const sent = addApi(() => acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));
		const items = Array.from({ length: 201 }, (_, index) => ({ user: acsUser(index), thread: THREAD_ID, name: '' }));

		const { error } = await runAcsChat({ parameters: addFromItems(), items });

		expect(sent.map((request) => request.participants.length)).toEqual([200]);
		expect(error?.context.itemIndex).toBe(0);
	});

	it('with continue on fail, still sends the later chunks after a failed one', async () => {
		const sent = addApi((_request, index) => (index === 0 ? acsError(403, 'Forbidden', 'No.') : [201, {}]));
		const items = Array.from({ length: 201 }, (_, index) => ({ user: acsUser(index), thread: THREAD_ID, name: '' }));

		const { success, errorOutput } = await runAcsChat({ parameters: addFromItems(), items, onError: 'continueErrorOutput' });

		expect(sent.map((request) => request.participants.length)).toEqual([200, 1]);
		expect(errorOutput).toHaveLength(200);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 200 }]);
	});
});

describe('Participant → Add: bad input', () => {
	const items = Array.from({ length: 10 }, (_, index) => ({ user: index === 7 ? '8:acs:' : acsUser(index), thread: THREAD_ID, name: '' }));

	it('stops on bad input in item 7 before anything is sent', async () => {
		const sent = addApi();

		const { error, success } = await runAcsChat({ parameters: addFromItems(), items });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Participant ID in item 7 is malformed/);
		expect(error?.context.itemIndex).toBe(7);
		expect(success).toEqual([]);
		expect(sent).toEqual([]);
	});

	it('with continue on fail, makes item 7 an error item and sends the other nine in one request', async () => {
		const sent = addApi();

		const { success, errorOutput } = await runAcsChat({ parameters: addFromItems(), items, onError: 'continueErrorOutput' });

		expect(sent.map(rawIdsOf)).toEqual([items.filter((_, index) => index !== 7).map((item) => item.user)]);
		expect(success).toHaveLength(9);
		expect(errorOutput.map((item) => [item.pairedItem, (item.json.details as IDataObject).parameter])).toEqual([[{ item: 7 }, 'participantId']]);
	});

	it.each([
		['a thread ID that is not one', addParticipant(acsUser(1), '={{ "general" }}'), /^Thread ID in item 0 is not an ACS chat thread ID/],
		['an empty participant ID', addParticipant('  '), /^Participant ID in item 0 is empty/],
		['a display name that is not text', addParticipant(acsUser(1), THREAD_ID, '={{ 42 }}'), /^Display Name in item 0 must be text, got a number/],
		['a share history time that is no date', addParticipant(acsUser(1), THREAD_ID, '', { shareHistoryTime: 'yesterday' }), /^Share History Time in item 0 must be a date-time/],
		[
			'metadata with a key twice',
			addParticipant(acsUser(1), THREAD_ID, '', { metadata: { entries: [{ key: 'a', value: '1' }, { key: 'a ', value: '2' }] } }),
			/^Metadata in item 0 has the key "a" twice/,
		],
		['metadata without a key', addParticipant(acsUser(1), THREAD_ID, '', { metadata: { entries: [{ key: '', value: '1' }] } }), /^Metadata in item 0 has an entry without a key/],
		[
			'metadata with a value that is not text',
			addParticipant(acsUser(1), THREAD_ID, '', { metadata: { entries: [{ key: 'n', value: '={{ 5 }}' }] } }),
			/^Metadata in item 0 has a value for "n" that is not text \(got a number\)/,
		],
		['an API version that is not one', addParticipant(acsUser(1), THREAD_ID, '', { apiVersion: 'latest' }), /^API Version in item 0 must look like/],
	])('refuses %s before sending, naming item and parameter', async (_case, parameters, message) => {
		const sent = addApi();

		const { error } = await runAcsChat({ parameters });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(sent).toEqual([]);
	});
});
