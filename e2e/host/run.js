'use strict';

const { spawn } = require('node:child_process');

/**
 * Runs a command to completion and resolves with { code, signal, stdout, stderr, ms }; never rejects on a
 * non-zero exit, so callers decide what a failure means. `echo` streams the output live. Output is returned
 * exactly as written: nothing is hidden, so a test can assert that no secret is in it.
 */
function run(command, args, { cwd, env, echo = false, timeoutMs } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (chunk) => {
			out.push(chunk);
			if (echo) process.stderr.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			err.push(chunk);
			if (echo) process.stderr.write(chunk);
		});
		const timer =
			timeoutMs &&
			setTimeout(() => {
				child.kill('SIGKILL');
			}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString(),
				stderr: Buffer.concat(err).toString(),
				ms: Date.now() - started,
			});
		});
	});
}

function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
}

// Throws with the command's last output lines when it failed, so a broken step explains itself.
async function runOrThrow(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`\`${[command, ...args].join(' ')}\` failed (exit ${result.code ?? result.signal}):\n` +
				`${tail(result.stdout)}\n${tail(result.stderr)}`,
		);
	}
	return result;
}

module.exports = { run, runOrThrow };
