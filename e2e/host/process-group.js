'use strict';

// A long-running child (n8n, a worker, Postgres, Redis) in a process group of its own, and the one way the suites
// stop it. State: the child and whether it has exited. The group, not just the child, is signalled because n8n
// leaves a task runner beside it and `runuser` leaves Postgres beneath it; a terminal's Ctrl-C reaches only the
// caller, which then decides how to stop it. A caller that crashes or calls process.exit() without stopping it
// still kills the group on its way out, so no test leaves a server behind.
const { spawn } = require('node:child_process');
const fs = require('node:fs');

/**
 * Spawns `command args` detached, its output to `onOutput` as written. Resolves nothing; returns
 * { pid, exited, isGone(), signal(name), stop({ signal, killAfterMs }) }. stop() sends `signal` (default SIGTERM)
 * to the group, SIGKILL after `killAfterMs`, waits for the child's exit, then kills whatever is left of the group.
 * `folder` (the server's data) is removed with the group when the caller exits first; stop() leaves it to the caller.
 */
function spawnGroup(command, args, { cwd, env, folder, onOutput = (text) => process.stderr.write(text) } = {}) {
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	child.stdout.on('data', (chunk) => onOutput(chunk.toString()));
	child.stderr.on('data', (chunk) => onOutput(chunk.toString()));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const signalGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch (error) {
			if (error.code !== 'ESRCH') throw error;
		}
	};
	const killOnExit = () => {
		signalGroup('SIGKILL');
		if (folder) fs.rmSync(folder, { recursive: true, force: true });
	};
	process.on('exit', killOnExit);
	let gone = false;
	exited.then(() => {
		gone = true;
		process.off('exit', killOnExit);
	});
	async function stop({ signal = 'SIGTERM', killAfterMs = 15_000 } = {}) {
		if (!gone) signalGroup(signal);
		const timer = setTimeout(() => signalGroup('SIGKILL'), killAfterMs);
		await exited;
		clearTimeout(timer);
		signalGroup('SIGKILL');
	}
	return { pid: child.pid, exited, isGone: () => gone, signal: signalGroup, stop };
}

module.exports = { spawnGroup };
