import { runPool } from '../../nodes/AcsChat/actions/pool';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

describe('runPool', () => {
	it('keeps results in index order whatever order tasks finish in, never exceeding the concurrency', async () => {
		let running = 0;
		let most = 0;
		const results = await runPool(
			20,
			async (index) => {
				most = Math.max(most, ++running);
				await new Promise((resolve) => setTimeout(resolve, (20 - index) % 7));
				running--;
				return index * 10;
			},
			{ concurrency: 4, mayStart: () => true },
		);
		expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 10));
		expect(most).toBe(4);
	});

	it('throws the lowest failing index even when a higher one fails first, and starts nothing after a failure', async () => {
		const slow = deferred();
		const started: number[] = [];
		const run = runPool(
			10,
			async (index) => {
				started.push(index);
				if (index === 1) {
					await slow.promise;
					throw new Error('item 1');
				}
				if (index === 2) throw new Error('item 2');
				return index;
			},
			{ concurrency: 3, mayStart: () => true },
		);
		await new Promise((resolve) => setTimeout(resolve, 5));
		slow.resolve();

		await expect(run).rejects.toThrow('item 1');
		expect(started).toEqual([0, 1, 2, 3]);
	});

	it('starts no task once told not to, leaving the rest unstarted', async () => {
		let allowed = 3;
		const started: number[] = [];
		const results = await runPool(
			10,
			async (index) => {
				started.push(index);
				return index;
			},
			{ concurrency: 1, mayStart: () => allowed-- > 0 },
		);
		expect(started).toEqual([0, 1, 2]);
		expect(results.filter((result) => result !== undefined)).toEqual([0, 1, 2]);
	});
});
