import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ACS_USER, getThread, removeParticipant, THREAD_ID } from '../fixtures/acs';
import { BASE_URL, runAcsChat } from '../harness/runNode';

/** Answers anything, and counts: a bad item must never reach the service. */
function countRequests() {
	const counter = { calls: 0 };
	const answer = (): [number, string] => {
		counter.calls++;
		return [204, ''];
	};
	nock(BASE_URL).persist().get(/.*/).query(true).reply(answer).post(/.*/).query(true).reply(answer);
	return counter;
}

const badThreadIds: Array<[string, unknown, RegExp]> = [
	['an empty string', '', /Thread ID in item 0 is empty/],
	['whitespace only', '   \t ', /Thread ID in item 0 is empty/],
	['a number', 42, /Thread ID in item 0 must be text .* got a number/],
	['an object', { id: THREAD_ID }, /Thread ID in item 0 must be text .* got an object/],
	['null', null, /Thread ID in item 0 must be text .* got null/],
	['not a thread id', 'general', /Thread ID in item 0 is not an ACS chat thread ID/],
	['a thread id without its suffix', '19:abc', /Thread ID in item 0 is not an ACS chat thread ID/],
	['inner whitespace', '19:ab c@thread.v2', /Thread ID in item 0 contains whitespace or an invisible character \(U\+0020 at position 6\)/],
	['a zero-width space', '19:ab\u200bc@thread.v2', /Thread ID in item 0 contains whitespace or an invisible character \(U\+200B at position 6\)/],
	['a lone surrogate', '19:\ud800@thread.v2', /Thread ID in item 0 contains a broken character \(an unpaired UTF-16 surrogate, U\+D800 at position 4\)/],
];

const badParticipantIds: Array<[string, unknown, RegExp]> = [
	['an empty string', '', /Participant ID in item 0 is empty/],
	['whitespace only', ' \n ', /Participant ID in item 0 is empty/],
	['a number', 14255550123, /Participant ID in item 0 .*number/],
	['an object', { rawId: ACS_USER }, /Participant ID in item 0 .*object/],
	['a bare GUID', '0e59221d-0c1d-46ae-9544-c963ce56c10b', /Participant ID in item 0 .*8:acs:/],
	['a prefix with nothing after it', '8:acs:', /Participant ID in item 0/],
	['a formatted phone number', '4:(425) 555-0123', /Participant ID in item 0/],
	['a zero-width space', '8:acs:\u200bx', /Participant ID in item 0 contains whitespace or an invisible character \(U\+200B at position 7\)/],
	['a lone surrogate', '8:acs:\ud800', /Participant ID in item 0 contains a broken character \(an unpaired UTF-16 surrogate, U\+D800 at position 7\)/],
];

describe.each([
	['Thread → Get', (value: unknown) => getThread('={{ $json.value }}'), badThreadIds],
	['Participant → Remove (thread)', (value: unknown) => removeParticipant(ACS_USER, '={{ $json.value }}'), badThreadIds],
	['Participant → Remove (participant)', (value: unknown) => removeParticipant('={{ $json.value }}'), badParticipantIds],
] as const)('%s: bad input', (_name, parameters, cases) => {
	it.each(cases)('%s stops with a NodeOperationError naming the item, and sends nothing', async (_case, value, message) => {
		const counter = countRequests();

		const { error, success } = await runAcsChat({ parameters: parameters(value), items: [{ value } as IDataObject] });

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.context.itemIndex).toBe(0);
		expect(success).toEqual([]);
		expect(counter.calls).toBe(0);
	});
});

describe('bad input among good items', () => {
	it('names the right item, sends only the good ones and keeps order when continuing on error', async () => {
		const counter = countRequests();
		const values = [ACS_USER, '', '8:acs:r_u2', 'nope'];

		const { success, errorOutput } = await runAcsChat({
			parameters: removeParticipant('={{ $json.value }}'),
			items: values.map((value) => ({ value })),
			onError: 'continueErrorOutput',
		});

		expect(counter.calls).toBe(2);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errorOutput.map((item) => [item.json.error, item.pairedItem])).toEqual([
			[expect.stringMatching(/Participant ID in item 1 is empty/), { item: 1 }],
			[expect.stringMatching(/Participant ID in item 3/), { item: 3 }],
		]);
		expect(errorOutput[0].json.details).toMatchObject({
			httpCode: null,
			code: 'InvalidParameter',
			parameter: 'participantId',
		});
	});

	it('stops at the first bad item without sending it or anything after it, one item at a time', async () => {
		const counter = countRequests();

		const { error } = await runAcsChat({
			// With more in flight, items started alongside the bad one are sent too (test/actions/router.test.ts).
			parameters: getThread('={{ $json.value }}', { concurrency: 1 }),
			items: [{ value: THREAD_ID }, { value: 'oops' }, { value: THREAD_ID }],
		});

		expect(error?.message).toMatch(/Thread ID in item 1/);
		expect(counter.calls).toBe(1);
	});
});

describe('fixed values the editor already rejects', () => {
	it('a malformed fixed thread id keeps the workflow from starting, so nothing is sent', async () => {
		const counter = countRequests();

		await expect(runAcsChat({ parameters: getThread('general') })).rejects.toThrow(
			/Not a chat thread ID: expected 19:…@thread\.v2/,
		);
		expect(counter.calls).toBe(0);
	});
});

describe('options', () => {
	it.each(['', 'latest', '2025-3-15'])('rejects the API version %p before sending', async (apiVersion) => {
		const counter = countRequests();

		const { error } = await runAcsChat({ parameters: getThread(THREAD_ID, { apiVersion }) });

		expect(error?.message).toMatch(/API Version in item 0 must look like 2025-03-15/);
		expect(counter.calls).toBe(0);
	});

	it('rejects an unknown operation', async () => {
		const { error } = await runAcsChat({ parameters: { resource: 'thread', operation: 'explode' } });

		expect(error?.message).toMatch(/operation "explode" of resource "thread" is not supported/);
	});
});
