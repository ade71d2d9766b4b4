'use strict';

// `npm start`: the package, freshly built and installed as the Community Nodes UI would, in a real n8n on
// localhost, with a user folder that survives restarts (owner account, credentials, workflows).
const fs = require('node:fs');
const host = require('../e2e/host');

const port = Number(process.env.N8N_PORT || 5678);
const USER_FOLDER = 'n8n-user';

// The developer's own N8N_* settings (log level, features) apply, except the two this script must own
// for the instance to be the one it prepared and not collide with another n8n.
function developerSettings() {
	return Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) => key.startsWith('N8N_') && !['N8N_USER_FOLDER', 'N8N_RUNNERS_BROKER_PORT'].includes(key),
		),
	);
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
			host.log(`${signal}: stopping n8n …`);
			stopAll().then(() => process.exit(0));
		});
	}

	const userFolder = host.persistentUserFolder(USER_FOLDER);
	const prepared = await host.prepareHost({ userFolder });
	fs.rmSync(prepared.pack.dir, { recursive: true, force: true });

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
	host.log(`n8n ${prepared.version} with ${prepared.pack.name}@${prepared.pack.version} is ready: ${n8n.url}`);
	host.log(`user folder: ${userFolder} — Ctrl-C stops n8n`);

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
