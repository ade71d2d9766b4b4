'use strict';

// `n8n start`, not `n8n execute`: `npm start` itself (editor up with the node in its palette and found first
// by its search, the demo imported, Ctrl-C leaving nothing behind, and SIGINT, SIGTERM or SIGHUP to the npm
// process, as a process manager or `timeout` sends them, stopping every process it started), and a Schedule
// Trigger workflow fired by n8n's scheduler, which is the only way it runs: `n8n execute --id` refuses a
// workflow without a manual or sub-workflow trigger.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const host = require('./host');
const { hostDir, projectRoot } = require('./host/paths');
const { npmEnv } = require('./host/npm-env');
const { startEmulator, DEV_KEY } = require('../emulator');
const wf = require('./support/workflows');
const { ownerSession } = require('./support/n8n-rest');
const { leakCheck } = require('./support/leaks');
const { until } = require('./host/until');

const { ids } = wf;
const NODE_TYPE = 'n8n-nodes-acs-chat.acsChat';


async function reachable(url) {
	try {
		await fetch(url, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

/** `ps -eo pid,ppid,pgid,stat,args`, each row as { pid, ppid, pgid, stat, args }. */
function processTable() {
	return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
		.split('\n')
		.map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
		.filter(Boolean)
		.map(([, pid, ppid, pgid, stat, args]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), stat, args }));
}

/**
 * Every process below `pid` (n8n runs in a process group of its own with its task runner below it, and
 * `npm start`'s worker in another), so a test can check afterwards that none of them is left.
 */
function descendants(pid) {
	const table = processTable();
	const below = [];
	const walk = (parent) => {
		for (const row of table) {
			if (row.ppid === parent) {
				below.push(row);
				walk(row.pid);
			}
		}
	};
	walk(pid);
	return below;
}

/** Those of `processes` still running: the same pid with the same command line, and not a zombie. */
function stillRunning(processes) {
	const table = processTable();
	return processes.filter(({ pid, args }) => table.some((row) => row.pid === pid && row.args === args && !row.stat.startsWith('Z')));
}

const STARTED = /Ctrl-C stops n8n and the emulator\./;

/**
 * Starts `command` (npm start, or its script itself) on a fresh port and user folder's settings, and resolves
 * once it has printed its banner with { child, output(), exited, editorUrl, emulatorUrl }.
 */
async function launchStart(command, args, { userFolder, env: baseEnv = process.env }) {
	const env = { ...baseEnv, ACS_START_USER_FOLDER: userFolder, N8N_PORT: String(await host.freePort()) };
	for (const key of ['ACS_ENDPOINT', 'ACS_TOKEN', 'ACS_THREAD_ID']) delete env[key];
	const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	let gone;
	exited.then((how) => (gone = how));
	await host.step(`${[command, ...args].join(' ')} until its banner`, () =>
		until('the npm start banner', () => {
			if (gone) throw new Error(`npm start exited (${gone.code ?? gone.signal}):\n${output}`);
			return STARTED.test(output);
		}, { timeoutMs: 5 * 60_000 }),
	);
	return {
		child,
		output: () => output,
		exited,
		editorUrl: output.match(/is ready: (http:\/\/localhost:\d+)/)[1],
		emulatorUrl: output.match(/ACS emulator on (http:\/\/127\.0\.0\.1:\d+)/)[1],
	};
}

/**
 * The order in which this n8n's nodes panel lists `nodes` for `query`: the editor's scorer (@n8n/utils'
 * sublimeSearch over the display name, weight 1.3, and the codex aliases, weight 1), then its re-ranking, which
 * adds 100 x the popularity the editor ships for built-in nodes. The panel offers a trigger under its name
 * without " Trigger", its full name kept as an alias; doing that for every trigger can only raise the others.
 */
function nodesPanelOrder(nodes, query) {
	const hostRequire = (name) => require(path.join(hostDir, 'node_modules', name));
	const { sublimeSearch } = hostRequire('@n8n/utils/dist/search/sublime-search.cjs');
	const { reRankSearchResults } = hostRequire('@n8n/utils/dist/search/re-rank-search-results.cjs');
	const assets = path.join(hostDir, 'node_modules', 'n8n-editor-ui', 'dist', 'assets');
	const popularity = {};
	for (const file of fs.readdirSync(assets).filter((name) => name.endsWith('.js'))) {
		for (const [, id, score] of fs.readFileSync(path.join(assets, file), 'utf8').matchAll(/\{id:`([^`]+)`,popularity:([\d.]+)\}/g)) {
			popularity[id] = Number(score) * 100;
		}
	}
	// Without the table every built-in node would rank lower than it does in the editor.
	expect(Object.keys(popularity).length).toBeGreaterThan(100);
	const items = nodes
		.filter((node) => !node.hidden)
		.map(({ name, displayName, group, codex }) => {
			const trigger = group.includes('trigger') && displayName.endsWith(' Trigger');
			const alias = [...(codex?.alias ?? []), ...(trigger ? [displayName] : [])];
			return { key: name, properties: { displayName: trigger ? displayName.slice(0, -' Trigger'.length) : displayName, codex: { alias } } };
		});
	return reRankSearchResults(sublimeSearch(query, items), { popularity }).map(({ item }) => item.key);
}

describe('npm start', () => {
	let userFolder;
	let run;
	let child;
	let exited;
	let editorUrl;
	let emulatorUrl;
	let session;

	beforeAll(async () => {
		userFolder = host.tempUserFolder('n8n-e2e-start-');
		// This file may be the first to run on a fresh clone: the CLI imports below need n8n installed.
		await host.ensureN8n();
		// What an earlier `npm start` left: the same ids with outdated contents, which this start must update.
		const cli = { userFolder, brokerPort: await host.freePort() };
		await host.importCredentials(
			[wf.accessTokenCredential({ id: 'acsStartEmulat01', name: 'outdated', endpoint: 'http://127.0.0.1:9', accessToken: 'outdated' })],
			cli,
		);
		const outdated = wf.readOnlyWorkflow({ id: 'acsStartDemoWf01', name: 'outdated', credential: { id: 'acsStartEmulat01', name: 'outdated' }, threadId: '' });
		// A node pinned before the restart, with a thread the restarted emulator no longer has.
		await host.importWorkflows([{ ...outdated, pinData: { 'Create Thread': [{ json: { threadId: ids.unknownThread } }] } }], cli);

		run = await launchStart(process.execPath, [path.join(projectRoot, 'scripts', 'start.js')], { userFolder });
		({ child, exited, editorUrl, emulatorUrl } = run);
		session = await ownerSession(editorUrl);
	});

	afterAll(async () => {
		if (child && child.exitCode === null && child.signalCode === null) {
			child.kill('SIGINT');
			await exited;
		}
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
	});

	test('prints the editor URL and what to click', () => {
		expect(run.output()).toMatch(/set up the owner account/);
		expect(run.output()).toMatch(/n8n Assistant": click "Set up later in Settings"/);
		expect(run.output()).toMatch(/Open the workflow "ACS Chat demo"/);
		expect(run.output()).toMatch(/Click "Execute workflow": Create Thread opens "Support: order 1234" for Support Agent/);
		expect(run.output()).toContain(`Customer, the emulator's other ACS user ${ids.otherUser};`);
		expect(run.output()).toMatch(/Get Many Messages lists the history oldest first/);
		expect(run.output()).toMatch(/pin the output of Create Thread/);
		expect(run.output()).toMatch(/error output into "Not Found\?"/);
		expect(run.output()).toMatch(/The workflow "ACS Chat auto-reply" is published/);
	});

	test('the editor serves the node and its credential to the palette', async () => {
		const nodes = await session.get('/types/nodes.json');
		const node = nodes.find(({ name }) => name === NODE_TYPE);
		expect(node).toMatchObject({
			displayName: 'Azure Communication Services Chat',
			credentials: [{ name: 'azureCommunicationServicesApi', required: true }],
		});
		const credentials = await session.get('/types/credentials.json');
		expect(credentials.map(({ name }) => name)).toContain('azureCommunicationServicesApi');
	});

	test('searching the nodes panel for "ACS" lists this node first, above Acuity Scheduling', async () => {
		const nodes = await session.get('/types/nodes.json');
		for (const query of ['ACS', 'acs', 'ACS chat', 'chat thread', 'communication']) {
			expect([query, nodesPanelOrder(nodes, query)[0]]).toEqual([query, NODE_TYPE]);
		}
		// Built-in nodes named "Azure …" and "Chat …" outscore any alias (display-name weight and popularity): listed, not first.
		for (const query of ['Azure', 'chat', 'Microsoft']) expect(nodesPanelOrder(nodes, query)).toContain(NODE_TYPE);
	});

	test('the demo workflow and credential replaced the outdated ones with the same ids, pinned data included', async () => {
		const { data: workflows } = await session.get('/rest/workflows');
		expect(workflows.map(({ id, name }) => ({ id, name })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
			{ id: 'acsStartDemoWf01', name: 'ACS Chat demo' },
			{ id: 'acsStartReplyWf1', name: 'ACS Chat auto-reply' },
		]);
		const { data: workflow } = await session.get('/rest/workflows/acsStartDemoWf01');
		expect(workflow.nodes.map(({ name }) => name)).toEqual([
			'About this demo',
			'Manual Trigger',
			'Create Thread',
			'Send Message',
			'Get Many Messages',
			'Remove Participant',
			'Not Found?',
		]);
		expect(workflow.pinData ?? {}).toEqual({});
		const { data: credentials } = await session.get('/rest/credentials');
		expect(credentials.map(({ id, name, type }) => ({ id, name, type })).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
			{ id: 'acsStartArmSp001', name: 'ACS Chat emulator: service principal', type: 'azureServicePrincipalOAuth2Api' },
			{ id: 'acsStartEmulat01', name: 'ACS Chat emulator', type: 'azureCommunicationServicesApi' },
		]);
	});

	test('the auto-reply workflow is live: the curl the guide prints, as the customer, gets "Got it" back in the thread', async () => {
		const curl = /curl -X POST '([^']+)' \\\n\s+-H 'Authorization: Bearer ([^']+)' -H 'Content-Type: application\/json' -d '([^']+)'/.exec(run.output());
		expect(curl).not.toBeNull();
		const [, url, token, body] = curl;
		const sent = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
		expect(sent.status).toBe(201);
		const messagesUrl = url.replace(/\/messages\?.*$/, '/messages?api-version=2025-03-15');
		const replies = await until('the reply', async () => {
			const { value } = await (await fetch(messagesUrl, { headers: { authorization: `Bearer ${token}` } })).json();
			const found = value.filter(({ type, content }) => type === 'text' && content?.message === 'Got it');
			return found.length > 0 && found;
		}, { timeoutMs: 30_000 });
		expect(replies).toHaveLength(1);
		const executions = await session.executions('acsStartReplyWf1');
		expect(executions.map(({ status }) => status)).toEqual(['success']);
	});

	test('the emulator serves the seeded demo thread', async () => {
		const state = await (await fetch(`${emulatorUrl}/admin/state`)).json();
		expect(state.threads.map(({ id }) => id)).toContain(ids.demoThread);
	});

	test('the demo runs as the guide says: Execute workflow removes the customer; with Create Thread pinned, the error branch', async () => {
		const { topic, customer } = wf.supportThread;
		const first = await session.run('acsStartDemoWf01');
		expect(first).toMatchObject({ mode: 'manual', status: 'success' });
		const firstRun = first.data.resultData.runData;
		const [created] = host.nodeItems(firstRun, 'Create Thread');
		expect(created.json).toMatchObject({ chatThread: { topic }, invalidParticipants: [] });
		const { threadId } = created.json;
		expect(host.nodeItems(firstRun, 'Remove Participant').map(({ json }) => json)).toEqual([
			{ removed: true, threadId, participantId: customer.participantId, participantKind: 'communicationUser' },
		]);

		// What the pin in Create Thread's output panel saves with the workflow.
		await session.updateWorkflow('acsStartDemoWf01', { pinData: { 'Create Thread': [{ json: created.json }] } });
		const pinned = await session.run('acsStartDemoWf01');
		expect(pinned).toMatchObject({ mode: 'manual', status: 'success' });
		const pinnedRun = pinned.data.resultData.runData;
		expect(host.nodeItems(pinnedRun, 'Send Message').map(({ json }) => json.threadId)).toEqual([threadId]);
		expect(host.nodeItems(pinnedRun, 'Get Many Messages').map(({ json }) => json.type)).toEqual([
			'topicUpdated',
			'participantAdded',
			'text',
			'participantRemoved',
			'text',
		]);
		expect(host.nodeItems(pinnedRun, 'Remove Participant')).toEqual([]);
		const [notFound, ...more] = host.nodeItems(pinnedRun, 'Not Found?');
		expect(more).toEqual([]);
		expect(notFound.json.details).toMatchObject({ httpCode: 404, code: 'NotFound' });
		expect(host.nodeItems(pinnedRun, 'Not Found?', { output: 1 })).toEqual([]);

		const state = await (await fetch(`${emulatorUrl}/admin/state`)).json();
		const threads = state.threads.filter((thread) => thread.topic === topic);
		expect(threads.map(({ id }) => id)).toEqual([threadId]);
	});

	test('Ctrl-C stops n8n, its task runner and the emulator', async () => {
		const started = descendants(child.pid);
		expect(started.map(({ args }) => args)).toEqual(
			expect.arrayContaining([expect.stringMatching(/n8n\/bin\/n8n start/), expect.stringMatching(/task-runner/)]),
		);
		child.kill('SIGINT');
		expect(await exited).toEqual({ code: 0, signal: null });
		expect(stillRunning(started)).toEqual([]);
		expect(await reachable(editorUrl)).toBe(false);
		expect(await reachable(`${emulatorUrl}/admin/state`)).toBe(false);
	});

	test('the access key of the imported connection string appears in none of its output, files or database rows', () => {
		const leaks = leakCheck();
		leaks.plant('the access key', DEV_KEY);
		leaks.record('npm start output', run.output());
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		expect(leaks.find({ folders: [userFolder], skip: [path.join(userFolder, '.cache', 'n8n', 'public')], databases: [database] })).toEqual([]);
	});
});

describe.each(['SIGINT', 'SIGTERM', 'SIGHUP'])('%s to the npm process of `npm start`', (signal) => {
	// n8n takes a few seconds to shut down; the supervisor's grace for leftovers is 3 s.
	const STOP_WITHIN_MS = 20_000;
	let userFolder;
	let started = [];

	afterAll(async () => {
		// A failed run must not leave an n8n behind for the next one.
		for (const { pid } of stillRunning(started)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// It ended meanwhile.
			}
		}
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
	});

	test('stops everything npm start started within seconds', async () => {
		userFolder = host.tempUserFolder('n8n-e2e-start-signal-');
		const run = await launchStart('npm', ['start'], { userFolder, env: npmEnv() });
		const npm = run.child;
		started = [...processTable().filter(({ pid }) => pid === npm.pid), ...descendants(npm.pid)];
		expect(started.map(({ args }) => args)).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^npm start/),
				expect.stringMatching(/scripts\/start\.js$/),
				expect.stringMatching(/scripts\/start\.js --worker$/),
				expect.stringMatching(/n8n\/bin\/n8n start/),
				expect.stringMatching(/task-runner/),
			]),
		);

		const signalled = Date.now();
		process.kill(npm.pid, signal);
		while (stillRunning(started).length > 0 && Date.now() - signalled < STOP_WITHIN_MS) await new Promise((resolve) => setTimeout(resolve, 250));
		host.log(`${signal} to npm: ${stillRunning(started).length} of ${started.length} processes left after ${((Date.now() - signalled) / 1000).toFixed(1)} s`);
		expect(stillRunning(started).map(({ pid, pgid, args }) => `${pid} (group ${pgid}) ${args}`)).toEqual([]);
		await run.exited;
		expect(await reachable(run.editorUrl)).toBe(false);
		expect(await reachable(`${run.emulatorUrl}/admin/state`)).toBe(false);
	});
});

describe('a Schedule Trigger workflow with a connection string', () => {
	const workflowId = 'acsE2eSchedule01';
	let emulator;
	let userFolder;
	let prepared;
	let n8n;
	let session;
	let output = '';

	beforeAll(async () => {
		emulator = await startEmulator(wf.emulatorOptions);
		userFolder = host.tempUserFolder();
		const options = { userFolder, brokerPort: await host.freePort() };
		prepared = await host.prepareHost({ userFolder });
		const credential = wf.connectionStringCredential({ id: 'acsE2eConnStr001', name: 'e2e connection string', emulator });
		await host.importCredentials([credential], options);
		await host.importWorkflows(
			[wf.demoWorkflow({ id: workflowId, name: 'ACS Chat demo (schedule)', credential, trigger: wf.scheduleTrigger() })],
			options,
		);
		const published = await host.n8n(['publish:workflow', `--id=${workflowId}`], options);
		if (published.code !== 0) throw new Error(`publish:workflow failed:\n${published.stdout}\n${published.stderr}`);
		n8n = await host.step('n8n start', async () =>
			host.startN8n({ userFolder, port: await host.freePort(), brokerPort: await host.freePort(), onOutput: (text) => (output += text) }),
		);
		session = await ownerSession(n8n.url);
	});

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		if (prepared) fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
	});

	test('fires on its own, mints one token through the Identity API, opens a thread, writes, reads it and removes the customer', async () => {
		const [first] = await host.step('the first scheduled run', () =>
			until('a finished scheduled execution', async () => {
				const executions = await session.executions(workflowId);
				return executions.length > 0 && executions[0].status !== 'running' && executions[0].status !== 'new' && executions;
			}),
		);
		const execution = await session.execution(first.id);
		await n8n.stop();

		expect(execution).toMatchObject({ mode: 'trigger', status: 'success', workflowId });
		const { runData } = execution.data.resultData;
		expect(Object.keys(runData)).toEqual(['Schedule Trigger', 'Create Thread', 'Send Message', 'Get Many Messages', 'Remove Participant']);
		const [{ json: created }] = host.nodeItems(runData, 'Create Thread');
		expect(host.nodeItems(runData, 'Remove Participant').map(({ json }) => json)).toEqual([
			{ removed: true, threadId: created.threadId, participantId: ids.otherUser, participantKind: 'communicationUser' },
		]);

		const requests = emulator.requests().map(({ method, path: at, status }) => `${method} ${at} ${status}`);
		const threadPath = `/chat/threads/${encodeURIComponent(created.threadId)}`;
		expect(requests.slice(0, 5)).toEqual([
			`POST /identities/${encodeURIComponent(ids.demoUser)}/:issueAccessToken 200`,
			'POST /chat/threads 201',
			`POST ${threadPath}/messages 201`,
			`GET ${threadPath}/messages 200`,
			`POST ${threadPath}/participants/:remove 204`,
		]);
		// A run that started before n8n stopped reuses the saved token.
		expect(requests.filter((request) => request.includes('/identities/'))).toHaveLength(1);
	});

	test('neither the connection string nor the minted token appears in n8n’s output, answers, files or database rows', async () => {
		await n8n.stop();
		const leaks = leakCheck();
		leaks.plant('the access key', emulator.key);
		leaks.plant('the connection string', emulator.connectionString, { pieces: false });
		const minted = emulator.issuedTokens();
		expect(minted).toHaveLength(1);
		leaks.plant('the minted token', minted[0].token);
		leaks.record('n8n start output', output);
		for (const { where, text } of session.answers()) leaks.record(where, text);
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		expect(leaks.find({ folders: [userFolder], skip: [path.join(userFolder, '.cache', 'n8n', 'public')], databases: [database] })).toEqual([]);
	});
});
