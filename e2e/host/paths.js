'use strict';

const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.resolve(__dirname, '..', '..');
const cacheRoot = path.join(projectRoot, '.cache');
const hostDir = path.join(cacheRoot, 'n8n-host');

// n8n 2.x needs Node >= 24 while the machine runs Node 20; the `node` dev dependency brings Node 24.
function node24Binary() {
	const link = path.join(projectRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
	if (!fs.existsSync(link)) {
		throw new Error(`Node 24 not found at ${link}: run \`npm ci\` in ${projectRoot} first.`);
	}
	return fs.realpathSync(link);
}

// A PATH whose first entry holds only Node 24, so npm, node-gyp and n8n's task runner all run on it
// without the project's other binaries shadowing anything.
function pathWithNode24(basePath = process.env.PATH || '') {
	return [path.dirname(node24Binary()), basePath].join(path.delimiter);
}

function n8nBin() {
	return path.join(hostDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

module.exports = { projectRoot, cacheRoot, hostDir, node24Binary, pathWithNode24, n8nBin };
