'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { log } = require('./log');

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

// The owner writes its pid just after mkdir, so a missing file means "just taken", not "stale".
function readOwner(lockDir) {
	try {
		return Number(fs.readFileSync(`${lockDir}/pid`, 'utf8').trim()) || 0;
	} catch (error) {
		if (error.code === 'ENOENT') return 0;
		throw error;
	}
}

// `npm start` and the e2e tests may both find n8n missing; two npm installs into one folder corrupt it.
// mkdir is atomic, and a lock whose owner died is taken over.
async function withLock(lockDir, fn) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir, { recursive: false });
			fs.writeFileSync(`${lockDir}/pid`, String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = readOwner(lockDir);
			if (owner && !alive(owner)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for process ${owner || '?'} to finish with ${lockDir}`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

module.exports = { withLock };
