'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { projectRoot } = require('./paths');
const { npmEnv } = require('./npm-env');
const { runOrThrow } = require('./run');
const { step } = require('./log');

function packageJson() {
	return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
}

/**
 * `npm run build`, then `npm pack` into a fresh temp folder: the same bytes a publish would upload.
 * Resolves with { tarball, name, version, size, files: [{ path, size }] , dir }. `root` is the checkout to
 * pack: this one unless ACS_E2E_PACKAGE_ROOT names another (an older commit's `git archive` with this
 * checkout's node_modules linked in), so the same suites can show what fails on the old code.
 */
async function buildAndPack({ build = true, root = process.env.ACS_E2E_PACKAGE_ROOT || projectRoot } = {}) {
	const env = npmEnv();
	if (build) {
		await step(`npm run build in ${root}`, () => runOrThrow('npm', ['run', 'build'], { cwd: root, env }));
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acs-chat-pack-'));
	const { stdout } = await step('npm pack', () =>
		runOrThrow('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, env }),
	);
	// Lifecycle scripts may print before npm's JSON report.
	const [report] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return {
		tarball: path.join(dir, report.filename),
		dir,
		name: report.name,
		version: report.version,
		size: report.size,
		files: report.files.map(({ path: file, size }) => ({ path: file, size })),
	};
}

function extractTarball(tarball, destination) {
	fs.rmSync(destination, { recursive: true, force: true });
	fs.mkdirSync(destination, { recursive: true });
	// npm tarballs put everything under `package/`.
	return runOrThrow('tar', ['-xzf', tarball, '--strip-components=1', '-C', destination]);
}

module.exports = { packageJson, buildAndPack, extractTarball };
