'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { hostDir, node24Binary, n8nBin } = require('./paths');
const { npmEnv } = require('./npm-env');
const { runOrThrow } = require('./run');
const { log, seconds, step } = require('./log');
const { withLock } = require('./lock');
const { ensureNode24Headers } = require('./node-headers');

// 2.41.3 does not resolve against this registry (one of its exact dependencies is missing).
const N8N_VERSION = '2.41.1';

const markerFile = path.join(hostDir, 'installed.json');

async function nodeAbi() {
	const { stdout } = await runOrThrow(node24Binary(), ['-p', 'process.versions.modules']);
	return stdout.trim();
}

function readMarker() {
	try {
		return JSON.parse(fs.readFileSync(markerFile, 'utf8'));
	} catch {
		return undefined;
	}
}

async function install(abi) {
	// Without a marker the folder is either empty or a half-finished install; starting over is cheap
	// next to chasing a tree npm was killed in the middle of.
	fs.rmSync(path.join(hostDir, 'node_modules'), { recursive: true, force: true });
	fs.rmSync(markerFile, { force: true });
	fs.mkdirSync(hostDir, { recursive: true });
	fs.writeFileSync(
		path.join(hostDir, 'package.json'),
		`${JSON.stringify({ name: 'n8n-host', private: true, dependencies: { n8n: N8N_VERSION } }, null, 2)}\n`,
	);
	const env = npmEnv();
	// Install scripts stay off: a Kafka client's script downloads a binary, fails to compile offline, and
	// npm then rolls the whole install back. Only sqlite3's native part is needed.
	await step(`npm install n8n@${N8N_VERSION} (cold: a few minutes, ~3 GB)`, () =>
		runOrThrow('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: hostDir, env }),
	);
	const nodedir = await ensureNode24Headers();
	// build-from-source keeps prebuild-install from fetching a binary off GitHub; node-gyp compiles
	// against Node 24's headers instead.
	await step('npm rebuild sqlite3 (compiles against Node 24)', () =>
		runOrThrow('npm', ['rebuild', 'sqlite3'], {
			cwd: hostDir,
			env: { ...env, npm_config_nodedir: nodedir, npm_config_build_from_source: 'true' },
		}),
	);
	await runOrThrow(node24Binary(), ['-e', "require('sqlite3')"], { cwd: hostDir, env });
	fs.writeFileSync(
		markerFile,
		`${JSON.stringify({ n8n: N8N_VERSION, nodeAbi: abi, installedAt: new Date().toISOString() }, null, 2)}\n`,
	);
}

/**
 * Makes sure n8n@N8N_VERSION is installed under .cache/n8n-host and runnable on Node 24.
 * Resolves with { n8nBin, version, cached, ms }.
 */
async function ensureN8n() {
	const started = Date.now();
	const abi = await nodeAbi();
	const current = () => {
		const marker = readMarker();
		return Boolean(marker && marker.n8n === N8N_VERSION && marker.nodeAbi === abi && fs.existsSync(n8nBin()));
	};
	let cached = current();
	if (!cached) {
		await withLock(`${hostDir}.lock`, async () => {
			// Another process may have finished the install while this one waited for the lock.
			cached = current();
			if (!cached) await install(abi);
		});
	}
	const ms = Date.now() - started;
	log(cached ? `n8n ${N8N_VERSION} already installed in ${hostDir}` : `n8n ${N8N_VERSION} installed in ${seconds(ms)}`);
	return { n8nBin: n8nBin(), version: N8N_VERSION, cached, ms };
}

module.exports = { ensureN8n, N8N_VERSION };
