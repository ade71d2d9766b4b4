'use strict';

const { logCounts } = require('../emulator');
const { verdict, s } = require('../figures');
const { mb } = require('./memory');

// (g) Get Many of messages with Return All over one thread's whole history, one input item: the pages fetched
// (ACS serves at most 200 messages a page, so N messages take ceil(N / 200) pages), the node's time and the n8n
// process's peak memory while it holds and saves every message as an item. The thread starts with the two
// messages ACS writes at creation; the 1-item run is Return All over those alone (one page), and the emulator's
// admin route then adds the rest in one go, so the history needs no requests of its own.
const MESSAGE_PAGE = 200;

async function addMessages(emulator, threadId, count) {
	const response = await fetch(`${emulator.url}/admin/threads/${encodeURIComponent(threadId)}/messages:bulk`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ count, content: 'Bench message' }),
	});
	if (response.status !== 201) throw new Error(`adding ${count} messages answered ${response.status}: ${await response.text()}`);
}

async function getMany({ n8n, emulator, sizes, threadIds, print }) {
	const count = sizes.getMany;
	// A thread no other case touches (bench/run.js gives out the bench threads).
	const threadId = threadIds[27];
	const input = [{ threadId }];
	await emulator.reset();
	await emulator.latency(sizes.latencyMs);
	const one = await n8n.run('messagesAll', input);
	await addMessages(emulator, threadId, count - one.ok);
	await emulator.clearRequests();
	const run = await n8n.run('messagesAll', input, { rss: true });
	const log = await emulator.requests();
	await emulator.reset();

	const pages = log.filter((entry) => entry.method === 'GET' && entry.path.endsWith('/messages'));
	const row = {
		count,
		latencyMs: sizes.latencyMs,
		oneMs: one.nodeMs,
		netMs: run.nodeMs - one.nodeMs,
		pages: pages.length,
		targetPages: Math.ceil(count / MESSAGE_PAGE),
		pageSizes: [...new Set(pages.map(({ query }) => query.maxPageSize))].join(', '),
		output: run.ok,
		failed: run.failed,
		...logCounts(log),
		baseline: run.rssBefore,
		peakRss: run.rssPeak,
	};
	row.growth = row.peakRss - row.baseline;
	row.msPerPage = row.netMs / Math.max(1, row.pages - 1);
	row.verdict = verdict(row.pages === row.targetPages && row.requests === row.pages && row.output === count && row.failed === 0);
	print(
		`(g) Get Many, Return All over ${count} messages of one thread: ${row.pages} pages (target ${row.targetPages} at ${MESSAGE_PAGE} per page;` +
			` maxPageSize asked ${row.pageSizes}), ${row.output} items out, failed ${row.failed}; ${s(row.netMs)} s net of the 1-page run (${s(row.oneMs)} s),` +
			` ${row.msPerPage.toFixed(1)} ms per further page at ${row.latencyMs} ms emulator latency; n8n peak RSS ${mb(row.peakRss)} MB,` +
			` ${mb(row.baseline)} MB before, growth ${mb(row.growth)} MB (${(row.growth / count / 1024).toFixed(2)} KB/message) ${row.verdict}`,
	);
	return [row];
}

module.exports = { getMany, MESSAGE_PAGE };
