'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { projectRoot, cacheRoot, node24Binary } = require('./paths');
const { npmEnv } = require('./npm-env');
const { runOrThrow } = require('./run');
const { step } = require('./log');

function hasHeaders(dir) {
	return fs.existsSync(path.join(dir, 'include', 'node', 'common.gypi'));
}

/**
 * A folder usable as `npm_config_nodedir` for Node 24 (include/node/common.gypi and the headers).
 * The `node` dev dependency's preinstall puts node-<platform>-<arch> (which carries include/) under
 * node_modules/node/node_modules, but npm does not know about that folder and drops it on the next
 * `npm install` in the project. Then the same package is installed from the npm registry into .cache,
 * which keeps node-gyp from downloading headers off nodejs.org.
 */
async function ensureNode24Headers() {
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	const pkg = `node-${platform}-${process.arch}`;
	const local = [path.join(projectRoot, 'node_modules', pkg), path.join(projectRoot, 'node_modules', 'node', 'node_modules', pkg)];
	const found = local.find(hasHeaders);
	if (found) return found;

	const { stdout } = await runOrThrow(node24Binary(), ['-p', 'process.versions.node']);
	const version = stdout.trim();
	const dir = path.join(cacheRoot, 'node-headers', version);
	const installed = path.join(dir, 'node_modules', pkg);
	if (hasHeaders(installed)) return installed;
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'node-headers', private: true })}\n`);
	await step(`npm install ${pkg}@${version} (Node 24 headers)`, () =>
		runOrThrow('npm', ['install', '--ignore-scripts', '--no-save', '--no-package-lock', `${pkg}@${version}`], {
			cwd: dir,
			env: npmEnv(),
		}),
	);
	if (!hasHeaders(installed)) throw new Error(`${pkg}@${version} has no include/node/common.gypi`);
	return installed;
}

module.exports = { ensureNode24Headers };
