'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { cacheRoot } = require('./paths');

/** A fresh, empty n8n user folder under the OS temp dir (tests). */
function tempUserFolder(prefix = 'n8n-e2e-') {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A user folder that keeps its database, key and workflows between runs (`npm start`). */
function persistentUserFolder(name) {
	const folder = path.join(cacheRoot, name);
	fs.mkdirSync(folder, { recursive: true });
	return folder;
}

module.exports = { tempUserFolder, persistentUserFolder };
