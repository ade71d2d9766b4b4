'use strict';

const { spawn } = require('node:child_process');
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { node24Binary, n8nBin } = require('./paths');
const { n8nEnv } = require('./n8n-env');

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
 * { url, pid, stop(), exited }. n8n runs in a process group of its own so that stop() (SIGTERM, then
 * SIGKILL after `killAfterMs`) reaches its task runner too, and so that a terminal's Ctrl-C goes to the
 * caller, which then decides how to stop it. Its output goes to `onOutput` as written.
 */
async function startN8n({ userFolder, port, brokerPort, env = {}, onOutput = (text) => process.stderr.write(text), readyTimeoutMs = 120_000, killAfterMs = 15_000 }) {
	const child = spawn(node24Binary(), [n8nBin(), 'start'], {
		cwd: userFolder,
		env: n8nEnv({
			userFolder,
			brokerPort,
			extra: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: 'localhost', ...env },
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	child.stdout.on('data', (chunk) => onOutput(chunk.toString()));
	child.stderr.on('data', (chunk) => onOutput(chunk.toString()));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const signalGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch (error) {
			if (error.code !== 'ESRCH') throw error;
		}
	};
	// A detached n8n would outlive a caller that crashes or calls process.exit() without stopping it.
	const killOnExit = () => signalGroup('SIGKILL');
	process.on('exit', killOnExit);
	let gone = false;
	exited.then(() => {
		gone = true;
		process.off('exit', killOnExit);
	});
	const stop = async () => {
		signalGroup('SIGTERM');
		const timer = setTimeout(() => signalGroup('SIGKILL'), killAfterMs);
		await exited;
		clearTimeout(timer);
		// The runner may outlive n8n by a moment; whatever is left of the group goes now.
		signalGroup('SIGKILL');
	};

	const url = `http://localhost:${port}`;
	const deadline = Date.now() + readyTimeoutMs;
	while (!(await readiness(`http://127.0.0.1:${port}/healthz/readiness`))) {
		if (gone) {
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
