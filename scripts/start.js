'use strict';

// `npm start`: the package, freshly built and installed as the Community Nodes UI would, in a real n8n on
// localhost, with a user folder that survives restarts (owner account, credentials, workflows). Without
// ACS_ENDPOINT and ACS_TOKEN it also starts the offline ACS emulator and imports a credential and a demo
// workflow for it; with both set it imports a credential for that resource instead.
const fs = require('node:fs');
const path = require('node:path');
const host = require('../e2e/host');
const { startEmulator } = require('../emulator');
const demo = require('../e2e/support/workflows');

const port = Number(process.env.N8N_PORT || 5678);
// The e2e suite points this at a temp folder so that testing `npm start` leaves the developer's instance alone.
const userFolderSetting = process.env.ACS_START_USER_FOLDER;

// Fixed ids: every start imports again, which updates the same credential and workflow instead of adding copies.
const EMULATOR = {
	credential: { id: 'acsStartEmulat01', name: 'ACS Chat emulator' },
	workflow: { id: 'acsStartDemoWf01', name: 'ACS Chat demo' },
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
	return {
		credentials: [credential],
		workflows: [demo.demoWorkflow({ ...EMULATOR.workflow, credential })],
		guide: (url) => [
			`ACS emulator on ${emulator.url} (seeded; its state resets when npm start stops).`,
			`Credential "${credential.name}": connection string with the emulator's development key, acting as ${emulator.demoUserId}.`,
			'',
			`Open ${url} and:`,
			'  1. First visit only: set up the owner account (any name, email and password; it stays in this n8n).',
			`  2. Open the workflow "${EMULATOR.workflow.name}" (Overview).`,
			`  3. Click "Execute workflow": Get Thread reads ${demo.ids.demoThread}, Remove Participant removes the phone number ${demo.ids.phone}.`,
			'  4. Click it again: the number is gone, the emulator answers 404 NotFound, and the item leaves Remove',
			'     Participant by its error output into "Not Found?", which sends it to its true branch.',
		],
	};
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
			`  2. Open the workflow "${AZURE.workflow.name}"${threadId ? '' : ', set the Thread ID in Get Thread (or start with ACS_THREAD_ID)'}.`,
			'  3. Click "Execute workflow". Access tokens live at most 24 hours: restart with a fresh ACS_TOKEN after that.',
		],
	};
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
	let signals = 0;
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			signals += 1;
			if (signals > 1) {
				host.log('stopping anyway');
				process.exit(130);
			}
			host.log(`${signal}: stopping …`);
			stopAll().then(() => process.exit(0));
		});
	}

	const azure = azureSettings();
	const userFolder = userFolderSetting ? path.resolve(userFolderSetting) : host.persistentUserFolder('n8n-user');
	fs.mkdirSync(userFolder, { recursive: true });
	const prepared = await host.prepareHost({ userFolder });
	fs.rmSync(prepared.pack.dir, { recursive: true, force: true });

	const setup = azure ? azureSetup(azure) : await emulatorSetup(running);
	const cli = { userFolder, brokerPort: await host.freePort() };
	await host.step('import credential and workflow', async () => {
		await host.importCredentials(setup.credentials, cli);
		await host.importWorkflows(setup.workflows, cli);
	});

	const n8n = await host.step(`n8n start on port ${port}`, async () =>
		host.startN8n({
			userFolder,
			port,
			brokerPort: await host.freePort(),
			env: developerSettings(),
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

main().catch((error) => {
	host.log(error.stack || String(error));
	process.exit(1);
});
