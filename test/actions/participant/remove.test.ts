import { createIdentifierFromRawId, serializeCommunicationIdentifier } from '@azure/communication-common';
import nock from 'nock';

import { ACS_USER, removeParticipant, THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';

const REMOVE_PATH = threadPath(THREAD_ID, '/participants/:remove');

describe('Participant → Remove', () => {
	it.each([
		[ACS_USER, 'communicationUser', { rawId: ACS_USER, communicationUser: { id: ACS_USER } }],
		['4:+14255550123', 'phoneNumber', { rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } }],
		[
			'8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130',
			'microsoftTeamsUser',
			{
				rawId: '8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130',
				microsoftTeamsUser: { userId: '45ab2481-1c1c-4005-be24-0ffb879b1130', isAnonymous: false, cloud: 'public' },
			},
		],
		[
			'28:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130',
			'microsoftTeamsApp',
			{ rawId: '28:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130', microsoftTeamsApp: { appId: '45ab2481-1c1c-4005-be24-0ffb879b1130', cloud: 'public' } },
		],
		[
			'8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130',
			'microsoftTeamsUser',
			{
				rawId: '8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130',
				microsoftTeamsUser: { userId: '45ab2481-1c1c-4005-be24-0ffb879b1130', isAnonymous: true, cloud: 'public' },
			},
		],
		['48:future-kind', 'unknown', { rawId: '48:future-kind' }],
	])('removes %s: posts its identifier model and outputs what was removed', async (rawId, kind, body) => {
		const scope = nock(BASE_URL, {
			reqheaders: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': (value) => value.startsWith('application/json') },
		})
			.post(REMOVE_PATH, (sent) => JSON.stringify(sent) === JSON.stringify(body))
			.query({ 'api-version': '2025-03-15' })
			.reply(204);

		const { success, error } = await runAcsChat({ parameters: removeParticipant(rawId) });

		expect(error).toBeUndefined();
		expect(success).toEqual([
			{
				json: { removed: true, threadId: THREAD_ID, participantId: rawId, participantKind: kind },
				pairedItem: { item: 0 },
			},
		]);
		scope.done();
	});

	it.each([
		ACS_USER,
		'8:gcch-acs:resource1_tenant1_user1',
		'4:+14255550123_207ffef6-9444-41fb-92ab-20eacaae2768',
		'4:anonymous',
		'8:dod:45ab2481-1c1c-4005-be24-0ffb879b1130',
		'8:teamsvisitor:45ab2481-1c1c-4005-be24-0ffb879b1130',
		'28:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130',
		'8:spool:a_b',
		'48:future-kind',
	])('sends exactly the body @azure/communication-common would for %s, key order included', async (rawId) => {
		let sent: unknown;
		const scope = nock(BASE_URL)
			.post(REMOVE_PATH, (body) => ((sent = body), true))
			.query(true)
			.reply(204);

		await runAcsChat({ parameters: removeParticipant(rawId) });

		expect(JSON.stringify(sent)).toBe(
			JSON.stringify(serializeCommunicationIdentifier(createIdentifierFromRawId(rawId))),
		);
		scope.done();
	});

	it('removes a different participant per item, one output per input, in order', async () => {
		const ids = Array.from({ length: 12 }, (_, index) => `8:acs:resource_user${index}`);
		for (const id of ids) {
			nock(BASE_URL).post(REMOVE_PATH, { rawId: id, communicationUser: { id } }).query(true).reply(204);
		}

		const { success } = await runAcsChat({
			parameters: removeParticipant('={{ $json.user }}'),
			items: ids.map((user) => ({ user })),
		});

		expect(success.map((item) => [item.json.participantId, item.pairedItem])).toEqual(
			ids.map((id, index) => [id, { item: index }]),
		);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('uses the API version from Options', async () => {
		const scope = nock(BASE_URL).post(REMOVE_PATH).query({ 'api-version': '2024-03-07' }).reply(204);

		const { success } = await runAcsChat({
			parameters: removeParticipant(ACS_USER, THREAD_ID, { apiVersion: '2024-03-07' }),
		});

		expect(success[0].json.removed).toBe(true);
		scope.done();
	});
});
