'use strict';

// Installs Debian packages a suite needs (Postgres, Redis for queue mode) when their binaries are missing, the way
// CI's clean machine gets them: as root, from the machine's apt sources. Nothing is kept: the one piece of state is
// a policy-rc.d that exists only during the install, so that the packages' services neither start nor stay enabled
// (the suites run their own servers from temporary folders on free ports).
const fs = require('node:fs');
const { run, runOrThrow } = require('./run');
const { step, log } = require('./log');
const { withLock } = require('./lock');
const path = require('node:path');
const { cacheRoot } = require('./paths');

const POLICY = '/usr/sbin/policy-rc.d';
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

async function aptInstall(packages) {
	const args = ['install', '-y', '--no-install-recommends', ...packages];
	const first = await run('apt-get', args, { env: APT_ENV });
	if (first.code === 0) return;
	// A fresh machine's package lists may be missing or stale.
	await runOrThrow('apt-get', ['update'], { env: APT_ENV });
	await runOrThrow('apt-get', args, { env: APT_ENV });
}

/**
 * Makes sure `present()` holds, installing `packages` with apt-get when it does not; `services` are the systemd
 * units the packages enable, disabled again afterwards. Throws with what to do when not root.
 */
async function ensureDebianPackages({ packages, services = [], present }) {
	if (present()) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`${packages.join(' and ')} not found; install them (\`sudo apt-get install -y ${packages.join(' ')}\`) or run as root.`);
	}
	await withLock(path.join(cacheRoot, 'apt.lock'), async () => {
		if (present()) return;
		const ownPolicy = !fs.existsSync(POLICY);
		// Exit 101 tells invoke-rc.d "action forbidden": the install starts no service.
		if (ownPolicy) fs.writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
		try {
			await step(`apt-get install ${packages.join(' ')}`, () => aptInstall(packages));
		} finally {
			if (ownPolicy) fs.rmSync(POLICY, { force: true });
		}
		for (const service of services) {
			const disabled = await run('systemctl', ['disable', service]).catch((error) => ({ code: -1, stderr: error.message }));
			if (disabled.code !== 0) log(`systemctl disable ${service}: ${disabled.stderr.trim() || `exit ${disabled.code}`}`);
		}
	});
	if (!present()) throw new Error(`${packages.join(' and ')} installed, but their binaries are still missing`);
}

module.exports = { ensureDebianPackages };
