'use strict';

const { ensureN8n, N8N_VERSION } = require('./ensure-n8n');
const { buildAndPack, extractTarball, packageJson } = require('./package-tarball');
const { installPackage, nodesDir } = require('./install-package');
const { n8n, importCredentials, importWorkflows, executeWorkflow, nodeItems } = require('./n8n-cli');
const { startN8n } = require('./n8n-server');
const { freePort } = require('./ports');
const { tempUserFolder, persistentUserFolder } = require('./user-folder');
const { log, step } = require('./log');

/**
 * Everything before a workflow can run: n8n installed, the package built, packed and installed into
 * `userFolder`. Resolves with { n8nBin, version, pack, installedAt }; `pack.dir` is a temp folder the
 * caller may remove.
 */
async function prepareHost({ userFolder, build = true }) {
	const host = await ensureN8n();
	const pack = await buildAndPack({ build });
	const installedAt = await installPackage(userFolder, pack);
	log(`${pack.name}@${pack.version} (${pack.size} bytes packed) installed in ${installedAt}`);
	return { n8nBin: host.n8nBin, version: host.version, pack, installedAt };
}

module.exports = {
	N8N_VERSION,
	prepareHost,
	ensureN8n,
	buildAndPack,
	extractTarball,
	packageJson,
	installPackage,
	nodesDir,
	n8n,
	importCredentials,
	importWorkflows,
	executeWorkflow,
	nodeItems,
	startN8n,
	freePort,
	tempUserFolder,
	persistentUserFolder,
	log,
	step,
};
