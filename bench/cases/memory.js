'use strict';

const { items } = require('../figures');

// Memory: the n8n process's peak resident memory over a run, above what it held just before (after a 1-item
// run). Each size gets a fresh n8n when `startFresh` is given, so one run's garbage does not hide the next one's.
async function memory({ n8n: shared, startFresh, emulator, sizes, print }) {
	const rows = [];
	for (const count of sizes.memory) {
		const n8n = startFresh ? await startFresh() : shared;
		try {
			if (startFresh) await n8n.warmUp();
			await emulator.reset();
			await n8n.run('get@32', items(1));
			const run = await n8n.run('get@32', items(count), { rss: true, runData: false });
			const row = { count, fresh: Boolean(startFresh), baseline: run.rssBefore, peakRss: run.rssPeak, seconds: run.nodeMs / 1000, status: run.status };
			row.growth = row.peakRss - row.baseline;
			rows.push(row);
			print(
				`(memory) ${count} items, concurrency 32: n8n peak RSS ${mb(row.peakRss)} MB, ${mb(row.baseline)} MB before the run, growth ${mb(row.growth)} MB` +
					` (${(row.growth / count / 1024).toFixed(2)} KB/item), execution ${row.seconds.toFixed(1)} s, ${row.status}`,
			);
		} finally {
			if (startFresh) await n8n.stop();
		}
	}
	return rows;
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);

module.exports = { memory, mb };
