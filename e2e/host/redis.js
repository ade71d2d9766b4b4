'use strict';

// A throwaway Redis for n8n's Bull queue: Debian's redis-server (installed when missing) on 127.0.0.1 and a free
// port, nothing saved to disk, its working folder a temporary one that stop() removes. Redis runs as root without
// complaint, so it needs no other user.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureDebianPackages } = require('./debian-packages');
const { spawnGroup } = require('./process-group');
const { freePort } = require('./ports');
const { until } = require('./until');

const SERVER = '/usr/bin/redis-server';

/** Resolves with { host, port, env (n8n's QUEUE_BULL_REDIS_* settings), stop() } once Redis accepts connections. */
async function startRedis({ onOutput = () => {} } = {}) {
	await ensureDebianPackages({ packages: ['redis-server'], services: ['redis-server'], present: () => fs.existsSync(SERVER) });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acs-e2e-redis-'));
	const port = await freePort();
	let output = '';
	const server = spawnGroup(
		SERVER,
		['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		{ cwd: dir, folder: dir, onOutput: (text) => { output += text; onOutput(text); } },
	);
	const stop = async () => {
		await server.stop({ killAfterMs: 10_000 });
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await until('Redis ready', () => {
			if (server.isGone()) throw new Error(`redis-server exited before it was ready:\n${output}`);
			return /Ready to accept connections/.test(output);
		}, { timeoutMs: 30_000 });
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop,
	};
}

module.exports = { startRedis };
