'use strict';

// `npm start`: the package, freshly built and installed as the Community Nodes UI would, in a real n8n on
// localhost, with a user folder that survives restarts (owner account, credentials, workflows). Without
// ACS_ENDPOINT and ACS_TOKEN it also starts the offline ACS emulator and imports a credential and a demo
// workflow for it; with both set it imports a credential for that resource instead.
//
// It runs as two processes so that stopping `npm start` stops everything it started. npm runs this file
// through `sh -c` and forwards SIGINT and SIGTERM to that shell only, never SIGHUP; dash (Debian's sh) keeps
// running as the script's parent instead of exec'ing it, so a SIGTERM to npm ends the shell alone, a SIGHUP
// ends npm alone, and a SIGINT to npm alone waits in the shell until the script exits (the start script must
// `exec` this file for that one to arrive). So this first process only supervises: it starts the worker (the
// same file with WORKER_FLAG) as the leader of a process group of its own, forwards SIGINT, SIGTERM and SIGHUP
// to it, sends it SIGTERM once its launcher (its parent, and npm past a script shell) is gone, and when the
// worker has exited ends whatever is left in its group (an npm install or n8n CLI step cut short). The worker
// stops n8n (its own process group, with its task runner) and the emulator, and stops too if the supervisor
// disappears.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const host = require('../e2e/host');
const { startEmulator } = require('../emulator');
const demo = require('../e2e/support/workflows');
const autoReply = require('../e2e/support/autoReply');

const WORKER_FLAG = '--worker';
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// A terminal's Ctrl-C can arrive twice, from the terminal and forwarded by npm: one request, not a second one.
const SAME_REQUEST_MS = 1000;
const LAUNCHER_POLL_MS = 500;
const GROUP_GRACE_MS = 3000;

// n8n 2.41 opens its Assistant's introduction (the instance-ai module) right after the owner setup.
const ASSISTANT_STEP = '     n8n then shows "Build and debug faster with the n8n Assistant": click "Set up later in Settings" for the Overview.';

const port = Number(process.env.N8N_PORT || 5678);
// The e2e suite points this at a temp folder so that testing `npm start` leaves the developer's instance alone.
const userFolderSetting = process.env.ACS_START_USER_FOLDER;

// Fixed ids: every start imports again, which updates the same credential and workflow instead of adding copies.
const EMULATOR = {
	credential: { id: 'acsStartEmulat01', name: 'ACS Chat emulator' },
	workflow: { id: 'acsStartDemoWf01', name: 'ACS Chat demo' },
	servicePrincipal: { id: 'acsStartArmSp001', name: 'ACS Chat emulator: service principal' },
	autoReply: { id: 'acsStartReplyWf1', name: 'ACS Chat auto-reply', webhookId: '0d3c5a4e-8e57-4f0b-9a3e-a1c5a7a20001' },
};
const AZURE = {
	credential: { id: 'acsStartAzure001', name: 'ACS Chat (ACS_ENDPOINT)' },
	workflow: { id: 'acsStartAzureWf1', name: 'ACS Chat (ACS_ENDPOINT)' },
};

// The developer's own N8N_* settings (log level, features) apply, except the two this script must own
// for the instance to be the one it prepared and not collide with another n8n.
function developerSettings() {
	return Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) => key.startsWith('N8N_') && !['N8N_USER_FOLDER', 'N8N_RUNNERS_BROKER_PORT'].includes(key),
		),
	);
}

function azureSettings() {
	const endpoint = process.env.ACS_ENDPOINT?.trim();
	const accessToken = process.env.ACS_TOKEN?.trim();
	if (!endpoint && !accessToken) return undefined;
	if (!endpoint || !accessToken) {
		throw new Error('Set both ACS_ENDPOINT and ACS_TOKEN to use your own resource, or neither to use the emulator.');
	}
	return { endpoint, accessToken, threadId: process.env.ACS_THREAD_ID?.trim() ?? '' };
}

/** What to import and what to tell the developer, for the emulator. */
async function emulatorSetup(running) {
	const emulator = await startEmulator(demo.emulatorOptions);
	running.push(() => emulator.close());
	const credential = demo.connectionStringCredential({ ...EMULATOR.credential, emulator });
	const servicePrincipal = autoReply.servicePrincipalCredential({ ...EMULATOR.servicePrincipal, emulator });
	const { topic, agent, customer } = demo.supportThread;
	const replyThread = await supportThreadForAutoReply(emulator, customer);
	return {
		credentials: [credential, servicePrincipal],
		workflows: [
			demo.demoWorkflow({ ...EMULATOR.workflow, credential }),
			autoReply.autoReplyWorkflow({ ...EMULATOR.autoReply, credential, servicePrincipal, resourceId: emulator.azure.resourceId }),
		],
		// Published before n8n starts; without the publication service n8n runs the trigger's webhook methods on
		// every start, so it subscribes again on the emulator, whose state a start begins afresh.
		publish: [EMULATOR.autoReply.id],
		env: { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' },
		guide: (url) => [
			`ACS emulator on ${emulator.url} (seeded; its state resets when npm start stops).`,
			`Credential "${credential.name}": connection string with the emulator's development key, acting as ${emulator.demoUserId}.`,
			'',
			`Open ${url} and:`,
			'  1. First visit only: set up the owner account (any name, email and password; it stays in this n8n).',
			ASSISTANT_STEP,
			`  2. Open the workflow "${EMULATOR.workflow.name}" (Overview).`,
			`  3. Click "Execute workflow": Create Thread opens "${topic}" for ${agent.displayName} (the credential's user) and`,
			`     ${customer.displayName}, the emulator's other ACS user ${customer.participantId};`,
			'     Send Message greets the customer, Get Many Messages lists the history oldest first (the topic, the two',
			'     joining, the message), and Remove Participant takes the customer out. Each run opens a new thread.',
			'  4. To see the error branch, pin the output of Create Thread (the pin in its output panel) and execute again:',
			'     the same thread gets a second message, the customer is already gone, the emulator answers 404 NotFound, and',
			'     the item leaves Remove Participant by its error output into "Not Found?", which sends it to its true branch.',
			'     Unpin it to open a new thread on each run again.',
			`  5. The workflow "${EMULATOR.autoReply.name}" is published: its trigger subscribed itself to new messages through the`,
			"     emulator's Event Grid (ARM, with the emulator's service principal). Write as the customer into the thread",
			`     "${replyThread.topic}", and the workflow answers "${autoReply.REPLY}" there (see its Executions):`,
			`     curl -X POST '${emulator.url}/chat/threads/${encodeURIComponent(replyThread.id)}/messages?api-version=2025-03-15' \\`,
			`       -H 'Authorization: Bearer ${replyThread.customerToken}' -H 'Content-Type: application/json' -d '{"content":"Hello?"}'`,
			"     (an emulator token, signed with the emulator's published development key).",
		],
	};
}

/**
 * A thread of the credential's user and the customer for the auto-reply demo, made on the emulator directly,
 * with a token of the customer's to write into it.
 */
async function supportThreadForAutoReply(emulator, customer) {
	const topic = 'Support: auto-reply demo';
	const response = await fetch(`${emulator.url}/chat/threads?api-version=2025-03-15`, {
		method: 'POST',
		headers: { authorization: `Bearer ${emulator.demoToken}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			topic,
			participants: [{ communicationIdentifier: { rawId: customer.participantId, communicationUser: { id: customer.participantId } }, displayName: customer.displayName }],
		}),
	});
	if (!response.ok) throw new Error(`the emulator did not create the auto-reply thread: ${response.status} ${await response.text()}`);
	const { chatThread } = await response.json();
	return { topic, id: chatThread.id, customerToken: emulator.issueToken({ userId: customer.participantId }) };
}

/** For a real resource: its credential and a workflow that only reads, so nothing changes on a first click. */
function azureSetup({ endpoint, accessToken, threadId }) {
	const credential = demo.accessTokenCredential({ ...AZURE.credential, endpoint, accessToken });
	return {
		credentials: [credential],
		workflows: [demo.readOnlyWorkflow({ ...AZURE.workflow, credential, threadId })],
		guide: (url) => [
			`Credential "${credential.name}": access token for ${endpoint} (ACS_TOKEN, not shown).`,
			'',
			`Open ${url} and:`,
			'  1. First visit only: set up the owner account.',
			ASSISTANT_STEP,
			`  2. Open the workflow "${AZURE.workflow.name}"${threadId ? '' : ', set the Thread ID in Get Thread (or start with ACS_THREAD_ID)'}.`,
			'  3. Click "Execute workflow". Access tokens live at most 24 hours: restart with a fresh ACS_TOKEN after that.',
		],
	};
}

/** The parent process of `pid` as /proc tells it, or undefined once it has ended (or where there is no /proc). */
function parentOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may hold spaces and parentheses; the fields after its closing one do not.
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

function isScriptShell(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] === '-c';
	} catch {
		return false;
	}
}

/**
 * Calls `onGone` once the process that launched this one has ended: its parent, and when the parent is a
 * package manager's script shell (`sh -c …`), the package manager above it too, which can end while the shell
 * waits on. Each link is a process and the parent it had at start: an ended process's children are re-parented,
 * so a changed parent means a link is gone, whatever pid is later reused.
 */
function watchLauncher(onGone) {
	const links = [{ pid: process.pid, parent: process.ppid }];
	const shellParent = isScriptShell(process.ppid) ? parentOf(process.ppid) : undefined;
	if (shellParent !== undefined) links.push({ pid: process.ppid, parent: shellParent });
	const timer = setInterval(() => {
		const broken = links.some(({ pid, parent }) => (pid === process.pid ? process.ppid : parentOf(pid)) !== parent);
		if (broken) {
			clearInterval(timer);
			onGone();
		}
	}, LAUNCHER_POLL_MS);
	timer.unref();
}

/** Signals every process left in the group `leader` led: SIGTERM, then SIGKILL for any still there after the grace time. */
async function endGroup(leader) {
	const signalGroup = (signal) => {
		try {
			process.kill(-leader, signal);
			return true;
		} catch (error) {
			if (error.code === 'ESRCH') return false;
			throw error;
		}
	};
	if (!signalGroup('SIGTERM')) return;
	const deadline = Date.now() + GROUP_GRACE_MS;
	while (signalGroup(0)) {
		if (Date.now() > deadline) {
			signalGroup('SIGKILL');
			return;
		}
		await sleep(100);
	}
}

/** The first process: starts the worker in a process group of its own and sees that nothing of it outlives `npm start`. */
function supervise() {
	const worker = spawn(process.execPath, [__filename, WORKER_FLAG], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
	const tell = (signal) => {
		try {
			process.kill(worker.pid, signal);
		} catch (error) {
			if (error.code !== 'ESRCH') throw error;
		}
	};
	worker.on('error', (error) => {
		host.log(`could not start the worker: ${error.message}`);
		process.exit(1);
	});
	worker.on('spawn', () => {
		for (const signal of STOP_SIGNALS) process.on(signal, () => tell(signal));
		watchLauncher(() => {
			host.log('npm is gone: stopping …');
			tell('SIGTERM');
		});
	});
	worker.on('exit', async (code) => {
		await endGroup(worker.pid);
		process.exit(code ?? 1);
	});
}

async function main() {
	// Everything started is pushed here and stopped in reverse order, whatever ends the run.
	const running = [];
	let stopping;
	const stopAll = () => {
		stopping ??= (async () => {
			for (const stop of running.reverse()) await stop();
		})();
		return stopping;
	};
	let firstRequest;
	const requestStop = (why) => {
		if (firstRequest === undefined) {
			firstRequest = Date.now();
			host.log(`${why}: stopping …`);
			stopAll().then(() => process.exit(0));
		} else if (Date.now() - firstRequest > SAME_REQUEST_MS) {
			// n8n-server's exit hook kills n8n's process group; the supervisor ends the rest of this one.
			host.log('stopping anyway');
			process.exit(130);
		}
	};
	for (const signal of STOP_SIGNALS) process.on(signal, () => requestStop(signal));
	watchLauncher(() => requestStop('the npm start supervisor is gone'));

	const azure = azureSettings();
	const userFolder = userFolderSetting ? path.resolve(userFolderSetting) : host.persistentUserFolder('n8n-user');
	fs.mkdirSync(userFolder, { recursive: true });
	const prepared = await host.prepareHost({ userFolder });
	fs.rmSync(prepared.pack.dir, { recursive: true, force: true });

	const setup = azure ? azureSetup(azure) : await emulatorSetup(running);
	const cli = { userFolder, brokerPort: await host.freePort() };
	await host.step('import credentials and workflows', async () => {
		await host.importCredentials(setup.credentials, cli);
		await host.importWorkflows(setup.workflows, cli);
		for (const id of setup.publish ?? []) {
			const result = await host.n8n(['publish:workflow', `--id=${id}`], cli);
			if (result.code !== 0) throw new Error(`n8n publish:workflow --id=${id} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
		}
	});

	const n8n = await host.step(`n8n start on port ${port}`, async () =>
		host.startN8n({
			userFolder,
			port,
			brokerPort: await host.freePort(),
			env: { ...setup.env, ...developerSettings() },
			onOutput: (text) => process.stdout.write(text),
		}),
	);
	running.push(n8n.stop);
	// One block on stdout, after n8n's own start-up lines, so it is the last thing on screen.
	const guide = [
		`n8n ${prepared.version} with ${prepared.pack.name}@${prepared.pack.version} is ready: ${n8n.url}`,
		`User folder: ${userFolder}`,
		...setup.guide(n8n.url),
		'',
		`Ctrl-C stops n8n${azure ? '' : ' and the emulator'}.`,
	];
	process.stdout.write(`\n${guide.map((line) => (line ? `  ${line}` : '')).join('\n')}\n\n`);

	const { code, signal } = await n8n.exited;
	if (!stopping) {
		host.log(`n8n exited on its own (${code ?? signal})`);
		await stopAll();
		process.exit(code || 1);
	}
}

if (process.argv.includes(WORKER_FLAG)) {
	main().catch((error) => {
		host.log(error.stack || String(error));
		process.exit(1);
	});
} else {
	supervise();
}
