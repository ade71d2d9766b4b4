'use strict';

// A throwaway Postgres for one suite: Debian's server binaries (installed when missing), a cluster made by initdb in
// a temporary folder, trust authentication on 127.0.0.1 and a free port, durability switched off (the data dies
// with the run). Postgres refuses to run as root, so as root it runs as the `postgres` user the Debian package
// creates. stop() shuts it down and removes the folder; if the suite exits first, the exit guard in
// process-group.js kills it and removes the folder (a suite killed by a signal leaves acs-e2e-pg-* in the temp dir).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ensureDebianPackages } = require('./debian-packages');
const { runOrThrow } = require('./run');
const { spawnGroup } = require('./process-group');
const { freePort } = require('./ports');
const { until } = require('./until');

const LIB = '/usr/lib/postgresql';

/** The newest installed server's bin folder (Debian keeps each major version apart), or undefined. */
function binDir() {
	if (!fs.existsSync(LIB)) return undefined;
	const versions = fs
		.readdirSync(LIB)
		.filter((version) => fs.existsSync(path.join(LIB, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(LIB, versions[0], 'bin') : undefined;
}

/** As root, `runuser -u postgres --` before the command; otherwise the caller's own user. */
function asServerUser(command, args) {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Resolves with { host, port, user, database, env (n8n's DB_* settings), stop() } once Postgres accepts connections.
 */
async function startPostgres({ onOutput = () => {} } = {}) {
	await ensureDebianPackages({ packages: ['postgresql'], services: ['postgresql'], present: () => binDir() !== undefined });
	const bin = binDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acs-e2e-pg-'));
	const data = path.join(dir, 'data');
	const remove = () => fs.rmSync(dir, { recursive: true, force: true });
	try {
		if (process.getuid?.() === 0) {
			const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
			const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
			fs.chownSync(dir, uid, gid);
		}
		await runOrThrow(...asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']));
	} catch (error) {
		remove();
		throw error;
	}
	const port = await freePort();
	let output = '';
	const server = spawnGroup(
		...asServerUser(path.join(bin, 'postgres'), [
			'-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
		]),
		{ cwd: dir, folder: dir, onOutput: (text) => { output += text; onOutput(text); } },
	);
	// SIGINT is Postgres's fast shutdown: it ends open sessions instead of waiting for them.
	const stop = async () => {
		await server.stop({ signal: 'SIGINT', killAfterMs: 10_000 });
		remove();
	};
	try {
		await until('Postgres ready', () => {
			if (server.isGone()) throw new Error(`postgres exited before it was ready:\n${output}`);
			return /ready to accept connections/.test(output);
		}, { timeoutMs: 30_000 });
	} catch (error) {
		await stop();
		throw error;
	}
	const settings = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
	return {
		...settings,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: settings.host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: settings.user,
			DB_POSTGRESDB_DATABASE: settings.database,
		},
		output: () => output,
		stop,
	};
}

module.exports = { startPostgres };
