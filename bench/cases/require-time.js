'use strict';

const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { median } = require('../figures');

// How long n8n's loader spends in require() of the built node and credential (median of 7 fresh processes).
function requireTime({ packageRoot, print }) {
	const script = (withHost) => `
		${withHost ? "require('n8n-workflow');" : ''}
		const started = performance.now();
		require(${JSON.stringify(path.join(packageRoot, 'dist/nodes/AcsChat/AcsChat.node.js'))});
		require(${JSON.stringify(path.join(packageRoot, 'dist/credentials/AzureCommunicationServicesApi.credentials.js'))});
		console.log(performance.now() - started);`;
	const timeOf = (withHost) => median(Array.from({ length: 7 }, () => Number(execFileSync(process.execPath, ['-e', script(withHost)], { cwd: packageRoot, encoding: 'utf8' }))));
	const row = { own: timeOf(true), cold: timeOf(false) };
	print(
		`(require) the built node + credential: ${row.own.toFixed(1)} ms with n8n-workflow already loaded (as in n8n; target < 50 ms),` +
			` ${row.cold.toFixed(1)} ms including n8n-workflow itself (median of 7)`,
	);
	return row;
}

module.exports = { requireTime };
