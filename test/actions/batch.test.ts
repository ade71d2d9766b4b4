import nock from 'nock';

import { BASE_URL, runAcsChat } from '../harness/runNode';
import { acsUser, addFromItems } from './participant/params';

// The router's batch path (Add Participant is its one batched operation): what is sent once the execution is cancelled.

function slowAddApi(delayMs: number) {
	const sent: string[] = [];
	let first = () => {};
	const firstArrived = new Promise<void>((resolve) => (first = resolve));
	nock(BASE_URL)
		.persist()
		.post(/participants\/:add/)
		.query(true)
		.reply((uri, _body, callback) => {
			sent.push(decodeURIComponent(uri.split('/')[3]));
			first();
			setTimeout(() => callback(null, [201, {}]), delayMs);
		});
	return { sent, firstArrived };
}

describe('a batched operation under cancellation', () => {
	it.each([
		['the next chunk of the same thread', (index: number) => ({ user: acsUser(index), thread: '19:a@thread.v2', name: '' }), 201],
		['the next thread', (index: number) => ({ user: acsUser(index), thread: `19:t${index}@thread.v2`, name: '' }), 3],
	])('starts no further request, not even %s', async (_case, item, count) => {
		const { sent, firstArrived } = slowAddApi(100);

		const { run } = await runAcsChat({
			parameters: addFromItems({ concurrency: 1 }),
			items: Array.from({ length: count }, (_, index) => item(index)),
			cancelWhen: firstArrived,
			// So that the aborted request's failure is not what stops the rest.
			onError: 'continueErrorOutput',
		});

		expect(run.status).toBe('canceled');
		expect(sent).toHaveLength(1);
	});
});
