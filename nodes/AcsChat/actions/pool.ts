export interface PoolOptions {
	/** Most tasks running at once. */
	concurrency: number;
	/** Checked before each task starts; false leaves the rest unstarted (the execution was cancelled). */
	mayStart: () => boolean;
}

/**
 * Runs `task(0)` … `task(count - 1)`, starting them in index order with at most `concurrency` running, and
 * returns the results by index (unstarted tasks leave holes). When a task throws, no further task starts;
 * those already running are awaited, so nothing is left sending in the background, and the error of the
 * lowest failing index is thrown: every lower index was started before it, so that is the error a one-by-one
 * run would have stopped at.
 */
export async function runPool<T>(
	count: number,
	task: (index: number) => Promise<T>,
	options: PoolOptions,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	let failedIndex = count;
	let failure: unknown;
	const worker = async () => {
		while (failedIndex === count && next < count && options.mayStart()) {
			const index = next++;
			try {
				results[index] = await task(index);
			} catch (error) {
				if (index < failedIndex) [failedIndex, failure] = [index, error];
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
	if (failedIndex < count) throw failure;
	return results;
}
