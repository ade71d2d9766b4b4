'use strict';

const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { node24Binary, n8nBin } = require('./paths');
const { n8nEnv } = require('./n8n-env');
const { spawnGroup } = require('./process-group');

function readiness(url) {
	return new Promise((resolve) => {
		const request = http.get(url, (response) => {
			response.resume();
			resolve(response.statusCode === 200);
		});
		request.on('error', () => resolve(false));
		request.setTimeout(2000, () => request.destroy());
	});
}

/**
 * Starts `n8n start` on 127.0.0.1:<port> and resolves once /healthz/readiness answers 200, with
 * { url, pid, stop(), exited }. n8n runs in a process group of its own (process-group.js) so that stop() (SIGTERM,
 * then SIGKILL after `killAfterMs`) reaches its task runner too. Its output goes to `onOutput` as written.
 * `command: 'worker'` starts `n8n worker` instead, its health server on <port> (queue mode, e2e/host/queue.js).
 */
async function startN8n({ userFolder, port, brokerPort, command = 'start', env = {}, onOutput = (text) => process.stderr.write(text), readyTimeoutMs = 120_000, killAfterMs = 15_000 }) {
	const listen =
		command === 'worker'
			? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }
			: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost' };
	const child = spawnGroup(node24Binary(), [n8nBin(), command], {
		cwd: userFolder,
		env: n8nEnv({ userFolder, brokerPort, extra: { ...listen, ...env } }),
		onOutput,
	});
	const { exited } = child;
	const stop = () => child.stop({ killAfterMs });

	const url = `http://localhost:${port}`;
	const deadline = Date.now() + readyTimeoutMs;
	while (!(await readiness(`http://127.0.0.1:${port}/healthz/readiness`))) {
		if (child.isGone()) {
			const { code, signal } = await exited;
			throw new Error(`n8n exited before it was ready (${code ?? signal})`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n was not ready after ${readyTimeoutMs / 1000} s`);
		}
		await sleep(500);
	}
	return { url, pid: child.pid, stop, exited };
}

module.exports = { startN8n };
