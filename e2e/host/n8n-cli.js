'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { node24Binary, n8nBin } = require('./paths');
const { n8nEnv } = require('./n8n-env');
const { run } = require('./run');

/** Runs one `n8n <args>` command on Node 24 against a user folder. Resolves with { code, signal, stdout, stderr, ms }. */
function n8n(args, { userFolder, brokerPort, env = {}, timeoutMs = 120_000 }) {
	return run(node24Binary(), [n8nBin(), ...args], {
		cwd: userFolder,
		env: n8nEnv({ userFolder, brokerPort, extra: env }),
		timeoutMs,
	});
}

// Import files carry plaintext secrets: they live only inside the user folder, readable by the owner
// only, and only while n8n reads them.
async function importFile(kind, items, options) {
	const file = path.join(options.userFolder, `import-${kind}-${process.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(items), { mode: 0o600 });
	try {
		const result = await n8n([`import:${kind}`, `--input=${file}`], options);
		if (result.code !== 0) {
			throw new Error(`n8n import:${kind} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
		}
		return result;
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** Imports credentials given with plaintext `data` (n8n encrypts them with the user folder's key): [{ id, name, type, data }]. */
function importCredentials(credentials, options) {
	return importFile('credentials', credentials, options);
}

/** Imports workflows: [{ id, name, nodes, connections, ... }]. */
function importWorkflows(workflows, options) {
	return importFile('workflow', workflows, options);
}

// `--rawOutput` prints log lines, then the JSON document pretty-printed from a line that is exactly `{`
// to one that is exactly `}`; a failed run adds a plain-text error report after it.
function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start === -1 || end === -1) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

/**
 * Executes a stored workflow by id (`n8n execute --id <id> --rawOutput`; `--file` exits 0 in n8n 2.x
 * without running anything, so it is never used). Resolves with
 * { ok, code, status, data, runData, error, stdout, stderr, ms }: `data` is n8n's parsed run, `runData` maps
 * node names to their task data, `error` is the run's error (or the whole output when n8n printed no run).
 */
async function executeWorkflow(id, options) {
	const result = await n8n(['execute', `--id=${id}`, '--rawOutput'], options);
	const data = parseRawOutput(result.stdout);
	const resultData = data?.data?.resultData;
	const ok = result.code === 0 && data?.status === 'success' && resultData?.runData !== undefined;
	return {
		ok,
		code: result.code,
		status: data?.status,
		data,
		runData: resultData?.runData,
		error: ok ? undefined : (resultData?.error ?? { stdout: result.stdout, stderr: result.stderr }),
		stdout: result.stdout,
		stderr: result.stderr,
		ms: result.ms,
	};
}

/** The `json` of every item a node output on its first run and first output. */
function nodeItems(runData, nodeName, { runIndex = 0, output = 0 } = {}) {
	const task = runData && runData[nodeName] && runData[nodeName][runIndex];
	if (!task) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData || {}).join(', ')})`);
	return task.data.main[output] || [];
}

module.exports = { n8n, importCredentials, importWorkflows, executeWorkflow, nodeItems, parseRawOutput };
