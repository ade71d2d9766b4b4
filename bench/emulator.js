'use strict';

const { fork } = require('node:child_process');
const path = require('node:path');

/**
 * The emulator CLI in a process of its own (so its work is not counted against n8n), driven through its admin
 * endpoints. One for the whole benchmark; every case resets it first.
 */
async function startEmulatorProcess({ seedFile }) {
	const child = fork(path.join(__dirname, '../emulator/cli.js'), ['--port', '0', '--seed', seedFile], { silent: true });
	const { url, demoToken, demoUserId } = await new Promise((resolve, reject) => {
		let seen = '';
		child.stdout.on('data', (chunk) => {
			seen += chunk;
			const listening = /listening on (http:\/\/\S+)/.exec(seen);
			const demo = /demo token \(user ([^)]*)\): (\S+)/.exec(seen);
			if (listening && demo) resolve({ url: listening[1], demoUserId: demo[1], demoToken: demo[2] });
		});
		child.on('exit', () => reject(new Error(`emulator exited: ${seen}`)));
	});
	const admin = async (method, route, body) => {
		const response = await fetch(`${url}/admin/${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (response.status >= 400) throw new Error(`emulator ${method} /admin/${route} answered ${response.status}: ${await response.text()}`);
		return response.headers.get('content-type')?.includes('json') ? await response.json() : undefined;
	};
	return {
		url,
		demoToken,
		demoUserId,
		reset: () => admin('POST', 'reset'),
		latency: (ms) => admin('PUT', 'latency', { ms }),
		rateLimit: (value) => admin('PUT', 'rate-limit', value),
		acsLimits: (value) => admin('PUT', 'limits', value),
		fault: (fault) => admin('POST', 'faults', fault),
		requests: async () => (await admin('GET', 'requests')).requests,
		clearRequests: () => admin('DELETE', 'requests'),
		close: async () => {
			child.kill();
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

/** What the closing note counts from the emulator's log for a run: requests, 429s and 503s it answered. */
function logCounts(log) {
	return {
		requests: log.length,
		throttled: log.filter((entry) => entry.status === 429).length,
		unavailable: log.filter((entry) => entry.status === 503).length,
	};
}

module.exports = { startEmulatorProcess, logCounts };
