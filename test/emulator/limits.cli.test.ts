import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';

// The CLI's limit flags reach the emulator's settings.
const CLI = path.join(__dirname, '../../emulator/cli.js');
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startCli(args: string[]): Promise<string> {
	const child = spawn(process.execPath, [CLI, '--port', '0', ...args]);
	children.push(child);
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
			if (url && /^demo token .*\n/m.test(out)) resolve(url);
		});
		child.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
	});
}

it('sets the rate limit shape and the ACS limits from flags', async () => {
	const url = await startCli(['--rate-limit', '40', '--rate-limit-shape', 'fixed', '--acs-limits-scale', '10', '--acs-limits-window', 'sliding']);
	const { rateLimit, acsLimits } = (await (await fetch(`${url}/admin/limits`)).json()) as Record<string, unknown>;
	expect(rateLimit).toEqual({ shape: 'fixed', limit: 40, windowMs: 1000, rps: 40, retryAfter: 'seconds' });
	expect(acsLimits).toMatchObject({ enabled: true, scale: 10, window: 'sliding', retryAfter: 'seconds' });
});

it('keeps the bare --rate-limit a token bucket and the ACS limits off', async () => {
	const url = await startCli(['--rate-limit', '5']);
	const { rateLimit, acsLimits } = (await (await fetch(`${url}/admin/limits`)).json()) as Record<string, unknown>;
	expect(rateLimit).toEqual({ shape: 'bucket', rps: 5, retryAfter: 'ms' });
	expect(acsLimits).toEqual({ enabled: false });
});

it('exits 1 on a rate it cannot enforce exactly', async () => {
	const child = spawn(process.execPath, [CLI, '--port', '0', '--rate-limit', '0.5', '--rate-limit-shape', 'sliding']);
	// Killed after the file if it wrongly keeps serving, so the test fails instead of hanging the run.
	children.push(child);
	let err = '';
	child.stderr.on('data', (chunk) => (err += chunk));
	expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
	expect(err).toContain('give a whole limit per windowMs');
});
