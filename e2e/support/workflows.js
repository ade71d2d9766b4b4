'use strict';

const path = require('node:path');

// Credentials and workflows that `npm start` imports and the e2e suite runs, built in one place so the
// demo a developer clicks through is the one the tests prove.
const seed = require('../../emulator/seed.json');

const NODE_TYPE = 'n8n-nodes-acs-chat.acsChat';
const CREDENTIAL_TYPE = 'azureCommunicationServicesApi';

const [demoThread, otherThread] = seed.threads;
const participantOfKind = (prefix) => demoThread.participants.find(({ rawId }) => rawId.startsWith(prefix)).rawId;

/** The shipped seed's ids, read from it so a changed seed cannot leave a stale copy here. */
const ids = {
	demoThread: demoThread.id,
	otherThread: otherThread.id,
	unknownThread: '19:acsV1_noSuchThread00000000000000@thread.v2',
	demoUser: seed.demoUser.id,
	otherUser: seed.identities[0],
	phone: participantOfKind('4:'),
	teamsUser: participantOfKind('8:orgid:'),
};

/**
 * The shipped seed plus `count` more ACS users, each a participant of the demo thread, so a test can switch
 * the user a credential acts as and tell from the emulator's log whom each request acted as.
 */
function seedWithDemoThreadUsers(count) {
	const extended = structuredClone(seed);
	const users = Array.from({ length: count }, (_, index) => `8:acs:${seed.resourceId}_00000000-0000-4000-8000-${String(100 + index).padStart(12, '0')}`);
	extended.identities.push(...users);
	extended.threads[0].participants.push(...users.map((rawId, index) => ({ rawId, displayName: `E2E User ${index}`, shareHistoryTime: '1970-01-01T00:00:00Z' })));
	return { seed: extended, users };
}

/**
 * Options `npm start` and the suite give the emulator: removing someone who is not in the thread answers 404, so
 * the demo run again on the same thread (Create Thread's output pinned) shows the error branch.
 */
const emulatorOptions = { removeMissingParticipant: 404 };

function credentialRef({ id, name }) {
	return { [CREDENTIAL_TYPE]: { id, name } };
}

/** Plaintext, as `n8n import:credentials` takes it. */
function connectionStringCredential({ id, name, emulator, userId = emulator.demoUserId, expiresInMinutes = 60 }) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			authentication: 'connectionString',
			connectionStringSecret: emulator.connectionString,
			userId,
			expiresInMinutes,
		},
	};
}

/**
 * `verified: true` stores the session record the credential keeps after checking a pasted token once (built by
 * the package's own code in dist/, which the host builds before any run), so the first request of a run is the
 * operation itself (a queued fault then hits it, not the check).
 */
function accessTokenCredential({ id, name, endpoint, accessToken, verified = false }) {
	const data = { authentication: 'accessToken', endpoint, accessToken };
	if (verified) data.sessionToken = checkedSession(data);
	return { id, name, type: CREDENTIAL_TYPE, data };
}

function checkedSession(data) {
	const dist = path.join(__dirname, '..', '..', 'dist', 'nodes', 'AcsChat', 'transport');
	const { resolveCredentials } = require(path.join(dist, 'credentials.js'));
	const { fingerprintOf, writeSession } = require(path.join(dist, 'sessionRecord.js'));
	return writeSession({ for: fingerprintOf(resolveCredentials(data)) });
}

function node(name, type, typeVersion, position, parameters, extra = {}) {
	return { id: `acs-demo-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name, type, typeVersion, position, parameters, ...extra };
}

const manualTrigger = (position = [0, 0]) => node('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, position, {});

// Every 5 s is the shortest interval that still lets a test stop n8n before a second run starts.
const scheduleTrigger = (position = [0, 0]) =>
	node('Schedule Trigger', 'n8n-nodes-base.scheduleTrigger', 1.2, position, {
		rule: { interval: [{ field: 'seconds', secondsInterval: 5 }] },
	});

const threadLocator = (value) => ({ __rl: true, mode: 'id', value });

/**
 * The node running `resource`/`operation` with `parameters` (a `threadId` given as text becomes the locator's ID
 * mode), acting with `credential`; `extra` holds node settings such as `onError`.
 */
function acsNode(name, position, credential, { resource, operation, threadId, ...parameters }, extra = {}) {
	const all = { resource, operation, ...(threadId === undefined ? {} : { threadId: threadLocator(threadId) }), ...parameters };
	return node(name, NODE_TYPE, 1, position, all, { credentials: credentialRef(credential), ...extra });
}

function getThread(name, position, credential, threadId, { options, ...extra } = {}) {
	return acsNode(name, position, credential, { resource: 'thread', operation: 'get', threadId, ...(options ? { options } : {}) }, extra);
}

function removeParticipant(name, position, credential, threadId, participantId, { options, ...extra } = {}) {
	return acsNode(name, position, credential, { resource: 'participant', operation: 'remove', threadId, participantId, ...(options ? { options } : {}) }, extra);
}

/** An If node (v2.2) whose conditions all must hold: [{ left: expression, equals: value }]. */
function ifNode(name, position, conditions) {
	return node(name, 'n8n-nodes-base.if', 2.2, position, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			combinator: 'and',
			conditions: conditions.map(({ left, equals }, index) => ({
				id: `condition-${index}`,
				leftValue: left,
				rightValue: equals,
				operator: { type: typeof equals === 'number' ? 'number' : 'string', operation: 'equals' },
			})),
		},
		options: {},
	});
}

/** A Set node and a Split Out that turn one input item into one item per value, each `{ [field]: value }`. */
function splitItems(names, positions, field, values) {
	return [
		node(names[0], 'n8n-nodes-base.set', 3.4, positions[0], { mode: 'raw', jsonOutput: JSON.stringify({ [field]: values }), options: {} }),
		node(names[1], 'n8n-nodes-base.splitOut', 1, positions[1], { fieldToSplitOut: field, options: {} }),
	];
}

/** { from: [to, …] } for first outputs, { from: [[…], [errorTo, …]] } for nodes with an error output. */
function connect(map) {
	const outputs = (targets) => (Array.isArray(targets[0]) ? targets : [targets]);
	return Object.fromEntries(
		Object.entries(map).map(([from, targets]) => [
			from,
			{ main: outputs(targets).map((names) => names.map((name) => ({ node: name, type: 'main', index: 0 }))) },
		]),
	);
}

/**
 * Every workflow carries empty pinned data: importing one without the key keeps the pins stored under its id, so a
 * node the developer pinned before a restart would still answer with data from an emulator state the restart wiped.
 */
function workflow({ id, name, nodes, connections }) {
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections, pinData: {} };
}

/**
 * The support thread the demo opens: the credential's own user (the seed's demo user) as the agent, and the seed's
 * other ACS user as the customer, each with the display name the thread shows.
 */
const supportThread = {
	topic: 'Support: order 1234',
	agent: { participantId: ids.demoUser, displayName: 'Support Agent' },
	customer: { participantId: ids.otherUser, displayName: 'Customer' },
	message: 'Hello! We have received your question about order 1234 and are looking into it.',
};

const createdThreadId = "={{ $('Create Thread').item.json.threadId }}";

function stickyNote(name, position, { width, height }, content) {
	return node(name, 'n8n-nodes-base.stickyNote', 1, position, { content, width, height });
}

/**
 * The workflow `npm start` opens with: a support thread from start to end. Create Thread opens it for the two
 * people, Send Message greets the customer, Get Many Messages reads the whole history oldest first (the system
 * messages kept: they show the topic and who joined), and Remove Participant, once for all those items, takes the
 * customer out. A failed removal leaves by the error output into an If on the ACS error.
 */
function demoWorkflow({ id, name, credential, trigger = manualTrigger([0, 0]) }) {
	const { topic, agent, customer, message } = supportThread;
	return workflow({
		id,
		name,
		nodes: [
			stickyNote('About this demo', [-40, -240], { width: 1260, height: 180 }, [
				'## A support thread, from start to end',
				`**Create Thread** opens "${topic}" for two ACS users of the emulator, **Send Message** greets the customer, ` +
					'**Get Many Messages** lists the history oldest first (the topic, the two joining, the message), and ' +
					'**Remove Participant** (Execute Once: one removal for all those items) takes the customer out.',
				'A failed removal leaves by its error output into **Not Found?**. To see it, pin the output of Create Thread ' +
					'and execute again: the same thread gets a second message, and the customer is already gone.',
			].join('\n\n')),
			trigger,
			acsNode('Create Thread', [220, 0], credential, {
				resource: 'thread',
				operation: 'create',
				topic,
				specifyParticipants: 'fields',
				participants: { participant: [agent, customer] },
			}),
			acsNode('Send Message', [440, 0], credential, {
				resource: 'message',
				operation: 'send',
				threadId: createdThreadId,
				content: message,
				options: { senderDisplayName: agent.displayName },
			}),
			acsNode('Get Many Messages', [660, 0], credential, {
				resource: 'message',
				operation: 'getAll',
				threadId: createdThreadId,
				returnAll: true,
				options: { order: 'oldestFirst' },
			}),
			acsNode(
				'Remove Participant',
				[880, 0],
				credential,
				{ resource: 'participant', operation: 'remove', threadId: createdThreadId, participantId: customer.participantId },
				{ executeOnce: true, onError: 'continueErrorOutput' },
			),
			ifNode('Not Found?', [1100, 100], [
				{ left: '={{ $json.details.httpCode }}', equals: 404 },
				{ left: '={{ $json.details.code }}', equals: 'NotFound' },
			]),
		],
		connections: connect({
			[trigger.name]: ['Create Thread'],
			'Create Thread': ['Send Message'],
			'Send Message': ['Get Many Messages'],
			'Get Many Messages': ['Remove Participant'],
			'Remove Participant': [[], ['Not Found?']],
		}),
	});
}

/** For a real resource: reads one thread and changes nothing, so a first click cannot remove anyone. */
function readOnlyWorkflow({ id, name, credential, threadId }) {
	const trigger = manualTrigger([0, 0]);
	return workflow({
		id,
		name,
		nodes: [trigger, getThread('Get Thread', [220, 0], credential, threadId)],
		connections: connect({ [trigger.name]: ['Get Thread'] }),
	});
}

/**
 * Load for queue mode: a Webhook trigger (POST /webhook/<path>, answered at once, so a caller can fire many runs
 * together) → `items` items → Get Thread on the demo thread, failed items to its error output so a suite can count
 * them instead of losing the run at the first one. `options` are Get Thread's (its Concurrency, say).
 */
function webhookGetThreadWorkflow({ id, name, credential, path, items, options }) {
	const trigger = node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { webhookId: path });
	return workflow({
		id,
		name,
		nodes: [
			trigger,
			...splitItems(['Thread IDs', 'Split Out'], [[220, 0], [440, 0]], 'threadId', Array(items).fill(ids.demoThread)),
			getThread('Get Thread', [660, 0], credential, '={{ $json.threadId }}', { onError: 'continueErrorOutput', options }),
		],
		connections: connect({ [trigger.name]: ['Thread IDs'], 'Thread IDs': ['Split Out'], 'Split Out': ['Get Thread'] }),
	});
}

module.exports = {
	ids,
	seedWithDemoThreadUsers,
	emulatorOptions,
	supportThread,
	connectionStringCredential,
	accessTokenCredential,
	manualTrigger,
	scheduleTrigger,
	acsNode,
	getThread,
	removeParticipant,
	ifNode,
	splitItems,
	node,
	connect,
	workflow,
	demoWorkflow,
	readOnlyWorkflow,
	webhookGetThreadWorkflow,
};
