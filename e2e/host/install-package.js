'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { extractTarball } = require('./package-tarball');

// Where n8n's community package loader looks, relative to N8N_USER_FOLDER.
function nodesDir(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

function readJson(file, fallback) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return fallback;
	}
}

/**
 * Installs a packed tarball the way n8n 2.41's Community Nodes UI leaves it
 * (CommunityPackagesService.downloadPackage): unpacked into <userFolder>/.n8n/nodes/node_modules/<name>,
 * dev, peer and optional dependencies deleted from its package.json, and the package recorded in the
 * nodes folder's package.json ledger. n8n's follow-up `npm install` in the package folder only fetches
 * runtime dependencies; this package must have none, so that step is replaced by a check, which also
 * keeps the install offline. Resolves with the installed folder.
 */
async function installPackage(userFolder, { tarball, name }) {
	const target = path.join(nodesDir(userFolder), 'node_modules', name);
	await extractTarball(tarball, target);
	const manifestPath = path.join(target, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = readJson(manifestPath);
	const runtime = Object.keys(manifest.dependencies || {});
	if (runtime.length > 0) {
		throw new Error(`${name} declares runtime dependencies (${runtime.join(', ')}); community nodes must not have any.`);
	}
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf-8');

	const ledgerPath = path.join(nodesDir(userFolder), 'package.json');
	const ledger = readJson(ledgerPath, { name: 'installed-nodes', private: true, dependencies: {} });
	ledger.dependencies = { ...ledger.dependencies, [name]: manifest.version };
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf-8');
	return target;
}

module.exports = { installPackage, nodesDir };
