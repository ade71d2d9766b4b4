'use strict';

// Progress goes to stderr so that stdout stays free for results a caller may parse.
function log(message) {
	process.stderr.write(`[n8n-host] ${message}\n`);
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

async function step(label, fn) {
	log(`${label} …`);
	const started = Date.now();
	const result = await fn();
	log(`${label}: done in ${seconds(Date.now() - started)}`);
	return result;
}

module.exports = { log, seconds, step };
