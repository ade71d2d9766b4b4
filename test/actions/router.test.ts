import nock from 'nock';

import { getThread } from '../fixtures/acs';
import { DEMO_THREAD, demoCredential, OTHER_THREAD, threadPath, useEmulator } from '../emulator/support';
import { BASE_URL, runAcsChat } from '../harness/runNode';
import { messageParameters, textMessage } from './message/fixtures';

const emulator = useEmulator();
const credential = () => demoCredential(emulator);

const KINDS = ['ok', 'forbidden', 'missing', 'invalid', 'ok'] as const;
const kindOf = (index: number) => KINDS[index % KINDS.length];
const threadOf = (index: number) =>
	({
		ok: DEMO_THREAD,
		forbidden: OTHER_THREAD,
		missing: `19:missing-${index}@thread.v2`,
		invalid: `not-a-thread-${index}`,
	})[kindOf(index)];
const EXPECTED_CODE = { forbidden: 'Forbidden', missing: 'NotFound', invalid: 'InvalidParameter' } as const;

describe('1,000 items with mixed outcomes, 16 at a time, under throttling, outages and resets', () => {
	// n8n-core spends about 2 ms of CPU per item here (see bench/results.md), so 1,000 items need more than the default 5 s.
	it('yields exactly one output per input, in input order, paired and routed by outcome; every extra request is a retry of a fault', async () => {
		const count = 1_000;
		emulator.faults.latency(2);
		emulator.faults.add({ kind: 'throttle', count: 30, retryAfterMs: 1 });
		emulator.faults.add({ kind: 'unavailable', count: 30, retryAfterMs: 1 });
		emulator.faults.add({ kind: 'reset', count: 5 });

		const { success, errorOutput, error } = await runAcsChat({
			// 65 faults shared by 16 items in flight: the retry budget is not what this test is about.
			parameters: getThread('={{ $json.thread }}', { concurrency: 16, maxRetries: 20 }),
			items: Array.from({ length: count }, (_, index) => ({ thread: threadOf(index), index })),
			credential: credential(),
			onError: 'continueErrorOutput',
		});

		expect(error).toBeUndefined();
		const indices = Array.from({ length: count }, (_, index) => index);
		const okIndices = indices.filter((index) => kindOf(index) === 'ok');
		const failedIndices = indices.filter((index) => kindOf(index) !== 'ok');
		expect(success.map((item) => item.pairedItem)).toEqual(okIndices.map((item) => ({ item })));
		expect(errorOutput.map((item) => item.pairedItem)).toEqual(failedIndices.map((item) => ({ item })));
		for (const item of success) expect(item.json.id).toBe(DEMO_THREAD);
		errorOutput.forEach((item, position) => {
			const index = failedIndices[position];
			expect(item.json.details).toMatchObject({ code: EXPECTED_CODE[kindOf(index) as keyof typeof EXPECTED_CODE] });
		});

		const log = emulator.requests();
		const faulted = log.filter((request) => request.fault);
		const answered = log.filter((request) => !request.fault);
		expect(emulator.faults.pending()).toEqual([]);
		expect(faulted).toHaveLength(65);
		// Each item with a valid thread ID got exactly one answer; invalid IDs were never sent.
		expect(answered).toHaveLength(indices.filter((index) => kindOf(index) !== 'invalid').length);
		for (const index of indices.filter((i) => kindOf(i) === 'missing')) {
			expect(answered.filter((request) => request.path === threadPath(threadOf(index)))).toHaveLength(1);
		}
		expect(log.some((request) => request.path.startsWith('/chat/threads/not-a-thread'))).toBe(false);
	}, 30_000);
});

describe('stop on the first error', () => {
	it('throws the error of the first failing item, starts nothing after the items already in flight', async () => {
		emulator.faults.latency(20);
		const items = Array.from({ length: 30 }, (_, index) => ({ thread: index === 10 ? OTHER_THREAD : DEMO_THREAD }));

		const { error, success } = await runAcsChat({
			parameters: getThread('={{ $json.thread }}', { concurrency: 4 }),
			items,
			credential: credential(),
		});

		expect(error?.message).toMatch(/^ACS answered 403 Forbidden/);
		expect(error?.context.itemIndex).toBe(10);
		expect(success).toEqual([]);
		// Items 0–10 were sent, and at most the three started alongside item 10.
		const sent = emulator.requests().length;
		expect(sent).toBeGreaterThanOrEqual(11);
		expect(sent).toBeLessThanOrEqual(14);
	});

	it('reports the lower item when a later one fails first', async () => {
		// Item 0 is throttled once and fails only on its retry; item 1 fails at once.
		emulator.faults.add({ kind: 'throttle', retryAfterMs: 50 });

		const { error } = await runAcsChat({
			parameters: getThread('={{ $json.thread }}', { concurrency: 2 }),
			items: [{ thread: OTHER_THREAD }, { thread: '19:missing@thread.v2' }],
			credential: credential(),
		});

		expect(error?.context.itemIndex).toBe(0);
		expect(error?.message).toMatch(/403 Forbidden/);
	});
});

describe('concurrency option', () => {
	it.each([0, 51, 2.5])('rejects %p before sending anything', async (concurrency) => {
		const { error } = await runAcsChat({
			parameters: getThread(DEMO_THREAD, { concurrency }),
			credential: credential(),
		});

		expect(error?.message).toMatch(/^Concurrency in item 0 must be a whole number from 1 to 50/);
		expect(emulator.requests()).toEqual([]);
	});

	it('outputs nothing for no input', async () => {
		const { success, error } = await runAcsChat({
			parameters: getThread(DEMO_THREAD),
			items: [],
			credential: credential(),
		});

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
	});
});

describe('list operations (one output item per element)', () => {
	const messagesOf = (threadId: string) => nock(BASE_URL).get(`${threadPath(threadId)}/messages`).query(true);
	const THREADS = ['19:a@thread.v2', '19:empty@thread.v2', '19:forbidden@thread.v2', '19:d@thread.v2'];

	function answerEachThread() {
		messagesOf(THREADS[0]).reply(200, { value: [textMessage(1), textMessage(2), textMessage(3)] });
		messagesOf(THREADS[1]).reply(200, { value: [] });
		messagesOf(THREADS[2]).reply(403, { error: { code: 'Forbidden', message: 'User is not allowed to perform specified action.' } });
		messagesOf(THREADS[3]).reply(200, { value: [textMessage(4), textMessage(5)] });
	}

	const parameters = messageParameters('getAll', { returnAll: true }, { concurrency: 4 }, '={{ $json.thread }}');
	const items = THREADS.map((thread) => ({ thread }));

	it('pairs every element with the item that asked, in input order; an empty list gives no item', async () => {
		answerEachThread();

		const { success, errorOutput } = await runAcsChat({ parameters, items, onError: 'continueErrorOutput' });

		expect(success.map((item) => [item.json.threadId, item.json.sequenceId, item.pairedItem])).toEqual([
			[THREADS[0], '1', { item: 0 }],
			[THREADS[0], '2', { item: 0 }],
			[THREADS[0], '3', { item: 0 }],
			[THREADS[3], '4', { item: 3 }],
			[THREADS[3], '5', { item: 3 }],
		]);
		expect(errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 2 }]);
	});

	it('keeps an error item in its place among the elements when continuing in the regular output', async () => {
		answerEachThread();

		const { success } = await runAcsChat({ parameters, items, onError: 'continueRegularOutput' });

		expect(success.map((item) => [item.json.sequenceId ?? (item.json.details as { code: string }).code, item.pairedItem])).toEqual([
			['1', { item: 0 }],
			['2', { item: 0 }],
			['3', { item: 0 }],
			['Forbidden', { item: 2 }],
			['4', { item: 3 }],
			['5', { item: 3 }],
		]);
	});

	it('gives no item at all when every list is empty', async () => {
		for (const thread of THREADS) messagesOf(thread).reply(200, { value: [] });

		const { success, error } = await runAcsChat({ parameters, items });

		expect(error).toBeUndefined();
		expect(success).toEqual([]);
	});
});
