import nock from 'nock';

import { THREAD_ID, threadPath } from '../../fixtures/acs';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';
import { acsError, locator, threadParameters } from './params';

const update = (fields: Record<string, unknown>, options: Record<string, unknown> = {}) =>
	threadParameters('update', { threadId: locator(), ...fields }, options);

/** Answers PATCH on the thread with 204 and keeps what was sent. */
function patchEndpoint(reply: [number, nock.Body?] = [204]) {
	const seen: Array<{ headers: Record<string, string>; body: string; query: string }> = [];
	const scope = nock(BASE_URL).patch(threadPath()).query(true).reply(...reply);
	scope.on('request', (request, _interceptor, body: string) => {
		seen.push({ headers: request.headers, body, query: request.path.split('?')[1] });
	});
	return { seen, scope };
}

describe('Thread → Update', () => {
	it('sends the changes as a JSON merge patch, in the SDK key order, and outputs what changed', async () => {
		const { seen, scope } = patchEndpoint();

		const { success, error } = await runAcsChat({
			parameters: update(
				{ topic: 'Dinner' },
				{
					metadata: { entries: [{ key: 'state', value: 'solved' }] },
					retentionPolicy: { policy: { kind: 'threadCreationDate', deleteThreadAfterDays: 90 } },
				},
			),
		});

		expect(error).toBeUndefined();
		expect(seen).toHaveLength(1);
		expect(seen[0].query).toBe('api-version=2025-03-15');
		expect(seen[0].headers).toMatchObject({
			authorization: `Bearer ${TEST_TOKEN}`,
			accept: 'application/json',
			'content-type': 'application/merge-patch+json',
		});
		expect(seen[0].body).toBe(
			JSON.stringify({
				topic: 'Dinner',
				metadata: { state: 'solved' },
				retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 90 },
			}),
		);
		expect(success).toEqual([
			{
				json: {
					updated: true,
					threadId: THREAD_ID,
					topic: 'Dinner',
					metadata: { state: 'solved' },
					retentionPolicy: { kind: 'threadCreationDate', deleteThreadAfterDays: 90 },
				},
				pairedItem: { item: 0 },
			},
		]);
		scope.done();
	});

	it.each([
		['only the topic', { topic: 'Dinner' }, {}, { topic: 'Dinner' }],
		['only metadata, keeping the topic', { topic: '' }, { metadata: { entries: [{ key: 'a', value: '1' }] } }, { metadata: { a: '1' } }],
		['only the retention policy', {}, { retentionPolicy: { policy: { kind: 'none' } } }, { retentionPolicy: { kind: 'none' } }],
	])('sends %s', async (_case, fields, options, body) => {
		const { seen } = patchEndpoint();

		await runAcsChat({ parameters: update(fields, options) });

		expect(seen[0].body).toBe(JSON.stringify(body));
	});

	it('refuses an update that changes nothing before sending, naming the fields', async () => {
		const { error } = await runAcsChat({ parameters: update({ topic: '  ' }, { metadata: { entries: [] } }) });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			'Topic in item 0 is empty and no Metadata or Retention Policy is set: give at least one of them to change',
		);
		expect(error?.context.acsError).toMatchObject({ code: 'InvalidParameter', parameter: 'topic' });
	});

	it('refuses a bad thread ID before sending', async () => {
		const { error } = await runAcsChat({ parameters: update({ threadId: locator('={{ "general" }}'), topic: 'x' }) });

		expect(error?.message).toMatch(/^Thread ID in item 0 is not an ACS chat thread ID/);
	});

	it('fails the item with the ACS error of a refused update', async () => {
		patchEndpoint(acsError(403, 'Forbidden', 'User is not allowed to perform specified action.'));

		const { error } = await runAcsChat({ parameters: update({ topic: 'x' }) });

		expect(error?.name).toBe('NodeApiError');
		expect(error?.context.acsError).toMatchObject({ httpCode: 403, code: 'Forbidden' });
	});
});
