'use strict';

// One `n8n start` for a whole suite file, with the packed package installed and n8n's log written to a file at
// debug level as well as to its output, so the leak check has everything n8n can write to read. The suite's
// credentials and workflows are saved through the REST API as the editor saves them (faster than two CLI
// imports, each of which boots n8n). n8n picks a credential's id itself, so the ids a suite gives its
// credentials are mapped to n8n's, in the workflows and through `credentialId`.
const fs = require('node:fs');
const path = require('node:path');
const host = require('../host');
const { ownerSession } = require('./n8n-rest');

const LOG_EVERYTHING = { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file' };

function withCredentialIds(workflow, idOf) {
	const nodes = workflow.nodes.map((node) =>
		node.credentials
			? {
					...node,
					credentials: Object.fromEntries(Object.entries(node.credentials).map(([type, ref]) => [type, { ...ref, id: idOf(ref.id) }])),
				}
			: node,
	);
	return { ...workflow, nodes };
}

async function liveN8n({ credentials = [], workflows = [] } = {}) {
	const userFolder = host.tempUserFolder();
	const prepared = await host.prepareHost({ userFolder });
	let output = '';
	const n8n = await host.step('n8n start', async () =>
		host.startN8n({
			userFolder,
			port: await host.freePort(),
			brokerPort: await host.freePort(),
			env: LOG_EVERYTHING,
			onOutput: (text) => (output += text),
		}),
	);
	const session = await ownerSession(n8n.url);
	const ids = new Map();
	for (const { id, name, type, data } of credentials) ids.set(id, await session.createCredential({ name, type, data }));
	const credentialId = (id) => {
		if (!ids.has(id)) throw new Error(`no credential ${id} was saved for this suite`);
		return ids.get(id);
	};
	for (const workflow of workflows) await session.createWorkflow(withCredentialIds(workflow, credentialId));

	return {
		userFolder,
		session,
		/** n8n's id for the credential the suite called `id`. */
		credentialId,
		stop: () => n8n.stop(),
		/**
		 * What a leak check reads once n8n has stopped: its output, its answers, its files and its database. The
		 * one folder left out is n8n's copy of its own editor assets, written at start before any credential exists.
		 */
		leakSources: () => ({
			texts: [{ where: 'n8n start output', text: output }, ...session.answers()],
			folders: [userFolder],
			skip: [path.join(userFolder, '.cache', 'n8n', 'public')],
			databases: [path.join(userFolder, '.n8n', 'database.sqlite')],
		}),
		async remove() {
			await n8n.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
			fs.rmSync(prepared.pack.dir, { recursive: true, force: true });
		},
	};
}

module.exports = { liveN8n };
