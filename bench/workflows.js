'use strict';

const { randomUUID } = require('node:crypto');
const shippedSeed = require('../emulator/seed.json');
const wf = require('../e2e/support/workflows');

// The benchmark's workflows: a Webhook whose body carries the items (`{ items: [...] }`), a Split Out that makes
// them n8n items, and the node under test. Published in a started n8n, they run the way production runs do; the
// node's own time is read back from the execution's run data. Settings are constants, one workflow per value, as
// a user sets them: an expression would be evaluated again for every item and counted against the node.

const DEMO_THREAD = wf.ids.demoThread;
/** Get Thread of the demo thread, under the API version the node uses by default. */
const THREAD_ROUTE = `/chat/threads/${encodeURIComponent(DEMO_THREAD)}?api-version=2024-03-07`;
/** The node's Concurrency settings the cases use; each gets its own workflows (`get@8`, `reads@8` …). */
const CONCURRENCIES = [8, 32, 50];
/** Not in any thread: removing it answers 204 (the emulator's default) and changes nothing, so it can repeat. */
const ABSENT_PARTICIPANT = '4:+14255550199';

/** The shipped seed plus `count` threads the demo user is in, for reads spread over many threads. */
function benchSeed(count) {
	const seed = structuredClone(shippedSeed);
	const member = { rawId: seed.demoUser.id, displayName: 'Demo User', shareHistoryTime: '1970-01-01T00:00:00Z' };
	const threadIds = Array.from({ length: count }, (_, i) => `19:acsV1_benchThread${String(i).padStart(3, '0')}00000000000000@thread.v2`);
	for (const [i, id] of threadIds.entries()) {
		seed.threads.push({ id, topic: `Bench thread ${i}`, createdOn: '2025-07-03T09:00:00Z', createdBy: seed.demoUser.id, participants: [member] });
	}
	return { seed, threadIds };
}

function credentials(emulator) {
	return {
		// Checked once already, as after a workflow's first run, so every request of a run is the operation's.
		acs: wf.accessTokenCredential({ id: 'unused', name: 'bench ACS', endpoint: emulator.url, accessToken: emulator.demoToken, verified: true }),
		// n8n's Header Auth, carrying the same Authorization header the node sends.
		header: { name: 'bench header auth', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${emulator.demoToken}` } },
	};
}

const webhook = (path) =>
	wf.node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() });
const splitOut = () => wf.node('Items', 'n8n-nodes-base.splitOut', 1, [220, 0], { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} });

function benchWorkflow(path, testedNode) {
	return {
		path,
		nodeName: testedNode.name,
		workflow: {
			name: `bench ${path}`,
			nodes: [webhook(path), splitOut(), testedNode],
			connections: wf.connect({ Webhook: ['Items'], Items: [testedNode.name] }),
			settings: { executionOrder: 'v1' },
		},
	};
}

function httpRequest(url, credential, options) {
	return wf.node(
		'HTTP',
		'n8n-nodes-base.httpRequest',
		4.2,
		[440, 0],
		{ method: 'GET', url, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', options },
		{ credentials: { httpHeaderAuth: credential }, onError: 'continueErrorOutput' },
	);
}

/**
 * @param {{ emulatorUrl: string, acs: { id, name }, header: { id, name } }} refs the created credentials
 * @returns {Record<string, { path, nodeName, workflow }>}
 */
function workflows({ emulatorUrl, acs, header }) {
	const ours = {};
	for (const concurrency of CONCURRENCIES) {
		const options = { concurrency };
		const extra = { options, onError: 'continueErrorOutput' };
		// Get Thread of one thread.
		ours[`get@${concurrency}`] = benchWorkflow(`bench-get-${concurrency}`, wf.getThread('ACS', [440, 0], acs, DEMO_THREAD, extra));
		// The thread (and participant) per item. Resource and operation cannot be expressions (n8n strips them:
		// noDataExpression), so reads and removals are two workflows, run at the same time.
		ours[`reads@${concurrency}`] = benchWorkflow(`bench-reads-${concurrency}`, wf.getThread('ACS', [440, 0], acs, '={{ $json.threadId }}', extra));
		ours[`removals@${concurrency}`] = benchWorkflow(
			`bench-removals-${concurrency}`,
			wf.removeParticipant('ACS', [440, 0], acs, '={{ $json.threadId }}', '={{ $json.participantId }}', extra),
		);
		// Add Participant, the thread and the participant per item: the items of one thread go in one request.
		ours[`adds@${concurrency}`] = benchWorkflow(
			`bench-adds-${concurrency}`,
			wf.acsNode(
				'ACS',
				[440, 0],
				acs,
				{ resource: 'participant', operation: 'add', threadId: '={{ $json.threadId }}', participantId: '={{ $json.participantId }}', displayName: '={{ $json.displayName }}', options },
				{ onError: 'continueErrorOutput' },
			),
		);
	}
	return {
		...ours,
		// Every message of the item's thread, one page after another.
		messagesAll: benchWorkflow(
			'bench-messages-all',
			wf.acsNode('ACS', [440, 0], acs, { resource: 'message', operation: 'getAll', threadId: '={{ $json.threadId }}', returnAll: true }, { onError: 'continueErrorOutput' }),
		),
		// n8n's HTTP Request on the same route: 8 items per batch (its closest setting to a concurrency of 8) …
		httpBatched: benchWorkflow('bench-http-batched', httpRequest(`${emulatorUrl}${THREAD_ROUTE}`, header, { batching: { batch: { batchSize: 8, batchInterval: 1 } } })),
		// … and without batching, every item sent at once.
		http: benchWorkflow('bench-http', httpRequest(`${emulatorUrl}${THREAD_ROUTE}`, header, {})),
	};
}

module.exports = { benchSeed, credentials, workflows, DEMO_THREAD, ABSENT_PARTICIPANT };
