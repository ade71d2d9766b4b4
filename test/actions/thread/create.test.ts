import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ACS_USER, THREAD, THREAD_ID } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, runAsOwnUser, threadParameters } from './params';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PHONE = '4:+14255550123';

const create = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	threadParameters('create', { topic: 'Lunch', ...fields }, options);

const withFields = (...participant: IDataObject[]) => ({ specifyParticipants: 'fields', participants: { participant } });
const withJson = (participantsJson: string) => ({ specifyParticipants: 'json', participantsJson });

const CREATED = { chatThread: THREAD };

type Reply = [number, nock.Body?, Record<string, string>?] | 'reset';

/** Records every request to POST /chat/threads and answers each with the next reply. */
function createEndpoint(...replies: Reply[]) {
	const seen: Array<{ headers: Record<string, string>; body: string; query: string }> = [];
	const scope = nock(BASE_URL);
	for (const reply of replies) {
		const interceptor = scope.post('/chat/threads').query(true);
		if (reply === 'reset') interceptor.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		else interceptor.reply(...reply);
	}
	scope.on('request', (request, _interceptor, body: string) => {
		seen.push({ headers: request.headers, body, query: request.path.split('?')[1] });
	});
	return { seen, scope };
}

describe('Thread → Create', () => {
	it('posts the topic, participants, metadata and retention policy as the SDK does, and outputs the new thread', async () => {
		const { seen, scope } = createEndpoint([201, CREATED]);

		const { success, error } = await runAcsChat({
			parameters: create(
				withFields(
					{ participantId: ` ${ACS_USER} `, displayName: 'Alice', shareHistoryTime: '2025-03-15T09:30:00Z' },
					{ participantId: PHONE },
				),
				{
					metadata: { entries: [{ key: 'ticket', value: '4711' }] },
					retentionPolicy: { policy: { kind: 'threadCreationDate', deleteThreadAfterDays: 45 } },
				},
			),
		});

		expect(error).toBeUndefined();
		expect(seen).toHaveLength(1);
		const [request] = seen;
		expect(request.query).toBe('api-version=2025-03-15');
		expect(request.headers).toMatchObject({
			authorization: `Bearer ${TEST_TOKEN}`,
			accept: 'application/json',
			'content-type': 'application/json',
		});
		expect(request.headers['repeatability-request-id']).toMatch(UUID);
		expect(request.body).toBe(
			JSON.stringify({
				topic: 'Lunch',
				participants: [
					{
						communicationIdentifier: { rawId: ACS_USER, communicationUser: { id: ACS_USER } },
						displayName: 'Alice',
						shareHistoryTime: '2025-03-15T09:30:00.000Z',
					},
					{ communicationIdentifier: { rawId: PHONE, phoneNumber: { value: '+14255550123', isAnonymous: false } } },
				],
				metadata: { ticket: '4711' },
				retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 45 },
			}),
		);
		expect(success).toEqual([
			{ json: { threadId: THREAD_ID, chatThread: THREAD, invalidParticipants: [] }, pairedItem: { item: 0 } },
		]);
		scope.done();
	});

	it('sends only the topic when nothing else is given, and the API version from Options', async () => {
		const { seen } = createEndpoint([201, CREATED]);

		await runAcsChat({ parameters: create(withFields(), { apiVersion: '2024-03-07' }) });

		expect(seen[0].body).toBe(JSON.stringify({ topic: 'Lunch' }));
		expect(seen[0].query).toBe('api-version=2024-03-07');
	});

	it('sends the retention policy "none" as { kind: "none" }', async () => {
		const { seen } = createEndpoint([201, CREATED]);

		await runAcsChat({ parameters: create(withFields(), { retentionPolicy: { policy: { kind: 'none' } } }) });

		expect(JSON.parse(seen[0].body).retentionPolicy).toEqual({ kind: 'none' });
	});

	it('takes participants from JSON text or from an expression giving an array, metadata included', async () => {
		const participants = [
			{ participantId: ACS_USER, displayName: 'Alice', metadata: { role: 'agent' } },
			{ participantId: PHONE, shareHistoryTime: '2025-03-15T10:30:00+01:00' },
		];
		const expected = JSON.stringify([
			{ communicationIdentifier: { rawId: ACS_USER, communicationUser: { id: ACS_USER } }, displayName: 'Alice', metadata: { role: 'agent' } },
			{
				communicationIdentifier: { rawId: PHONE, phoneNumber: { value: '+14255550123', isAnonymous: false } },
				shareHistoryTime: '2025-03-15T09:30:00.000Z',
			},
		]);
		const { seen } = createEndpoint([201, CREATED], [201, CREATED]);

		await runAcsChat({ parameters: create(withJson(JSON.stringify(participants))) });
		await runAcsChat({ parameters: create(withJson('={{ $json.people }}')), items: [{ people: participants }] });

		expect(seen.map((request) => JSON.stringify(JSON.parse(request.body).participants))).toEqual([expected, expected]);
	});

	it("reads a Share History Time without an offset, as the editor's picker stores it, in the workflow's time zone", async () => {
		const { seen } = createEndpoint([201, CREATED]);

		// The harness's workflow has no zone of its own: n8n's default, America/New_York (UTC-4 in July), applies.
		await runAcsChat({ parameters: create(withFields({ participantId: ACS_USER, shareHistoryTime: '2025-07-15T09:30:00' })) });

		expect(JSON.parse(seen[0].body).participants[0].shareHistoryTime).toBe('2025-07-15T13:30:00.000Z');
	});

	it('outputs the invalid participants ACS reports with its 201', async () => {
		const invalidParticipants = [{ target: '8:acs:gone_user', code: '404', message: 'Not found' }];
		createEndpoint([201, { ...CREATED, invalidParticipants }]);

		const { success } = await runAcsChat({ parameters: create(withFields({ participantId: '8:acs:gone_user' })) });

		expect(success[0].json).toEqual({ threadId: THREAD_ID, chatThread: THREAD, invalidParticipants });
	});

	it('resends after a lost answer with the same repeatability-request-id, so ACS makes one thread', async () => {
		const busy = { error: { code: 'ServiceUnavailable', message: 'Busy' } };
		// The 503 names a short wait, so the resend does not take the default backoff.
		const { seen, scope } = createEndpoint('reset', [503, busy, { 'retry-after-ms': '1' }], [201, CREATED]);

		const { success, error } = await runAsOwnUser({ parameters: create(withFields({ participantId: ACS_USER })) });

		expect(error).toBeUndefined();
		expect(success[0].json.threadId).toBe(THREAD_ID);
		expect(seen).toHaveLength(3);
		const [first, ...resends] = seen;
		expect(first.headers['repeatability-request-id']).toMatch(UUID);
		for (const resend of resends) {
			expect(resend.headers['repeatability-request-id']).toBe(first.headers['repeatability-request-id']);
			expect(resend.body).toBe(first.body);
		}
		scope.done();
	});

	it('gives every item a repeatability-request-id of its own', async () => {
		const { seen } = createEndpoint([201, CREATED], [201, CREATED], [201, CREATED]);

		const { success } = await runAcsChat({
			parameters: create({ topic: '={{ $json.topic }}' }),
			items: [{ topic: 'a' }, { topic: 'b' }, { topic: 'c' }],
		});

		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(new Set(seen.map((request) => request.headers['repeatability-request-id'])).size).toBe(3);
	});

	it('fails the item with the ACS error of a refused create', async () => {
		createEndpoint(acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));

		const { errorOutput, error } = await runAcsChat({ parameters: create({}), onError: 'continueErrorOutput' });

		expect(error).toBeUndefined();
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toEqual({ item: 0 });
		expect(errorOutput[0].json.details).toMatchObject({
			httpCode: 403,
			code: 'Forbidden',
			message: expect.stringContaining('User is not allowed'),
		});
	});
});

describe('Thread → Create: bad input is refused before anything is sent', () => {
	const many = (count: number) => Array.from({ length: count }, (_, index) => ({ participantId: `8:acs:r_user${index}` }));

	it.each<[string, IDataObject, Record<string, unknown>, RegExp]>([
		['an empty topic', { topic: '  ' }, {}, /^Topic in item 0 is empty/],
		['a topic that is not text', { topic: '={{ 42 }}' }, {}, /^Topic in item 0 must be text, got a number/],
		['201 participants in fields', withFields(...many(201)), {}, /^Participants in item 0 lists 201 participants; ACS creates a thread with at most 200/],
		['201 participants in JSON', withJson(JSON.stringify(many(201))), {}, /^Participants \(JSON\) in item 0 lists 201 participants/],
		['a bad raw ID', withFields({ participantId: ACS_USER }, { participantId: 'bob' }), {}, /^Participants in item 0 \(participant 2\): Participant ID is not a raw ID/],
		['an empty raw ID', withFields({ participantId: '={{ "" }}' }), {}, /^Participants in item 0 \(participant 1\): Participant ID is empty/],
		['a bad share history time', withFields({ participantId: ACS_USER, shareHistoryTime: 'yesterday' }), {}, /\(participant 1\): Share History Time must be a date-time .*got "yesterday"/],
		['JSON that does not parse', withJson('[{"participantId": '), {}, /^Participants \(JSON\) in item 0 is not valid JSON/],
		['JSON that is not an array', withJson('{"participantId": "8:acs:r_u"}'), {}, /^Participants \(JSON\) in item 0 must be a JSON array of participants, got an object/],
		['a JSON entry that is not an object', withJson('["8:acs:r_u"]'), {}, /\(participant 1\): must be an object with a participantId, got a string/],
		['a JSON key ACS does not take', withJson('[{"rawId": "8:acs:r_u"}]'), {}, /\(participant 1\): key "rawId" is not one ACS takes \(use participantId, displayName, shareHistoryTime, metadata\)/],
		['a JSON display name that is not text', withJson('[{"participantId": "8:acs:r_u", "displayName": 7}]'), {}, /\(participant 1\): Display Name must be text, got a number/],
		['JSON metadata with a value that is not text', withJson('[{"participantId": "8:acs:r_u", "metadata": {"n": 1}}]'), {}, /\(participant 1\): metadata has a value for "n" that is not text/],
		['a retention of 10 days', {}, { retentionPolicy: { policy: { kind: 'threadCreationDate', deleteThreadAfterDays: 10 } } }, /^Retention Policy in item 0 must delete the thread after a whole number of days from 30 to 90, as ACS allows \(got 10\)/],
		['metadata with one key twice', {}, { metadata: { entries: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } }, /^Metadata in item 0 has the key "a" twice/],
	])('%s', async (_case, fields, options, message) => {
		const { error, success } = await runAcsChat({ parameters: create(fields, options) });

		// No interceptor: a request would fail with nock's "no match" instead of this error.
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(0);
		expect(success).toEqual([]);
	});

	it('accepts exactly 200 participants', async () => {
		const { seen } = createEndpoint([201, CREATED]);

		const { error } = await runAcsChat({ parameters: create(withJson(JSON.stringify(many(200)))) });

		expect(error).toBeUndefined();
		expect(JSON.parse(seen[0].body).participants).toHaveLength(200);
	});
});
