'use strict';

// `n8n start`, not `n8n execute`: `npm start` itself (editor up with the node in its palette, the demo
// imported, Ctrl-C leaving nothing behind), and a Schedule Trigger workflow fired by n8n's scheduler, which
// is the only way it runs: `n8n execute --id` refuses a workflow without a manual or sub-workflow trigger.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const host = require('./host');
const { projectRoot } = require('./host/paths');
const { startEmulator, DEV_KEY } = require('../emulator');
const wf = require('./support/workflows');
const { ownerSession } = require('./support/n8n-rest');
const { leakCheck } = require('./support/leaks');

const { ids } = wf;
const NODE_TYPE = 'n8n-nodes-acs-chat.acsChat';

async function until(what, check, { timeoutMs = 60_000, everyMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

async function reachable(url) {
	try {
		await fetch(url, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

/** Every live process below `pid`, read from /proc (n8n runs in a process group of its own, its task runner below it). */
function descendants(pid) {
	const parentOf = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command name may hold spaces and parentheses; the fields after its closing one do not.
			const [, , parent] = stat.slice(stat.lastIndexOf(')') + 1).split(' ');
			parentOf.set(Number(entry), Number(parent));
		} catch {
			// The process ended while the table was read.
		}
	}
	const below = [];
	const walk = (parent) => {
		for (const [child, itsParent] of parentOf) {
			if (itsParent === parent) {
				below.push(child);
				walk(child);
			}
		}
	};
	walk(pid);
	return below;
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('npm start', () => {
	const STARTED = /Ctrl-C stops n8n and the emulator\./;
	let userFolder;
	let child;
	let output = '';
	let exited;
	let editorUrl;
	let emulatorUrl;
	let session;

	beforeAll(async () => {
		userFolder = host.tempUserFolder('n8n-e2e-start-');
		// What an earlier `npm start` left: the same ids with outdated contents, which this start must update.
		const cli = { userFolder, brokerPort: await host.freePort() };
		await host.importCredentials(
			[wf.accessTokenCredential({ id: 'acsStartEmulat01', name: 'outdated', endpoint: 'http://127.0.0.1:9', accessToken: 'outdated' })],
			cli,
		);
		await host.importWorkflows([wf.readOnlyWorkflow({ id: 'acsStartDemoWf01', name: 'outdated', credential: { id: 'acsStartEmulat01', name: 'outdated' }, threadId: '' })], cli);

		const env = { ...process.env, ACS_START_USER_FOLDER: userFolder, N8N_PORT: String(await host.freePort()) };
		for (const key of ['ACS_ENDPOINT', 'ACS_TOKEN', 'ACS_THREAD_ID']) delete env[key];
		child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'start.js')], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		let gone;
		exited.then((how) => (gone = how));
		await host.step('npm start until its banner', () =>
			until('the npm start banner', () => {
				if (gone) throw new Error(`npm start exited (${gone.code ?? gone.signal}):\n${output}`);
				return STARTED.test(output);
			}, { timeoutMs: 5 * 60_000 }),
		);
		editorUrl = output.match(/is ready: (http:\/\/localhost:\d+)/)[1];
		emulatorUrl = output.match(/ACS emulator on (http:\/\/127\.0\.0\.1:\d+)/)[1];
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
		expect(output).toMatch(/set up the owner account/);
		expect(output).toMatch(/Open the workflow "ACS Chat demo"/);
		expect(output).toMatch(/Click "Execute workflow"/);
		expect(output).toContain(ids.phone);
		expect(output).toMatch(/error output into "Not Found\?"/);
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

	test('the demo workflow and credential replaced the outdated ones with the same ids', async () => {
		const { data: workflows } = await session.get('/rest/workflows');
		expect(workflows.map(({ id, name }) => ({ id, name }))).toEqual([{ id: 'acsStartDemoWf01', name: 'ACS Chat demo' }]);
		const { data: workflow } = await session.get('/rest/workflows/acsStartDemoWf01');
		expect(workflow.nodes.map(({ name }) => name)).toEqual(['Manual Trigger', 'Get Thread', 'Remove Participant', 'Not Found?']);
		const { data: credentials } = await session.get('/rest/credentials');
		expect(credentials.map(({ id, name, type }) => ({ id, name, type }))).toEqual([
			{ id: 'acsStartEmulat01', name: 'ACS Chat emulator', type: 'azureCommunicationServicesApi' },
		]);
	});

	test('the emulator serves the seeded demo thread', async () => {
		const state = await (await fetch(`${emulatorUrl}/admin/state`)).json();
		expect(state.threads.map(({ id }) => id)).toContain(ids.demoThread);
	});

	test('Ctrl-C stops n8n, its task runner and the emulator', async () => {
		const started = descendants(child.pid);
		const commands = started.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
		expect(commands).toEqual(expect.arrayContaining([expect.stringMatching(/n8n\/bin\/n8n start/), expect.stringMatching(/task-runner/)]));
		child.kill('SIGINT');
		expect(await exited).toEqual({ code: 0, signal: null });
		expect(started.filter(alive)).toEqual([]);
		expect(await reachable(editorUrl)).toBe(false);
		expect(await reachable(`${emulatorUrl}/admin/state`)).toBe(false);
	});

	test('the access key of the imported connection string appears in none of its output, files or database rows', () => {
		const leaks = leakCheck();
		leaks.plant('the access key', DEV_KEY);
		leaks.record('npm start output', output);
		const database = path.join(userFolder, '.n8n', 'database.sqlite');
		expect(leaks.find({ folders: [userFolder], skip: [path.join(userFolder, '.cache', 'n8n', 'public')], databases: [database] })).toEqual([]);
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

	test('fires on its own, mints one token through the Identity API, reads the thread and removes the participant', async () => {
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
		expect(Object.keys(runData)).toEqual(['Schedule Trigger', 'Get Thread', 'Remove Participant']);
		expect(host.nodeItems(runData, 'Get Thread').map(({ json }) => json.id)).toEqual([ids.demoThread]);
		expect(host.nodeItems(runData, 'Remove Participant').map(({ json }) => json)).toEqual([
			{ removed: true, threadId: ids.demoThread, participantId: ids.phone, participantKind: 'phoneNumber' },
		]);

		const requests = emulator.requests().map(({ method, path: at, status }) => `${method} ${at} ${status}`);
		const threadPath = `/chat/threads/${encodeURIComponent(ids.demoThread)}`;
		expect(requests.slice(0, 3)).toEqual([
			`POST /identities/${encodeURIComponent(ids.demoUser)}/:issueAccessToken 200`,
			`GET ${threadPath} 200`,
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
