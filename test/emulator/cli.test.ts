import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEMO_THREAD, devKey, threadPath } from './support';

const CLI = path.join(__dirname, '../../emulator/cli.js');
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the CLI and resolves with its printed lines once the banner's last line (the ACS resource id) is complete. */
function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; lines: string[] }> {
	const child = spawn(process.execPath, [CLI, '--port', '0', ...args]);
	children.push(child);
	return new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (chunk) => {
			out += chunk;
			if (/^ACS resource id .*\n/m.test(out)) resolve({ child, lines: out.split('\n') });
		});
		child.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${out}`)));
	});
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

it('prints the url and a connection string with the development key, serves, and stops on SIGTERM', async () => {
	const { child, lines } = await startCli(['--throttle', '1', '--retry-after', '2']);
	const url = /^ACS emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0])![1];
	expect(lines[1]).toBe(`connection string: endpoint=${url}/;accesskey=${devKey}`);
	const demoToken = /^demo token \(user [^)]+\): (\S+)$/.exec(lines[2])![1];

	const call = () => fetch(`${url}${threadPath(DEMO_THREAD)}?api-version=2025-03-15`, { headers: { authorization: `Bearer ${demoToken}` } });
	const throttled = await call();
	expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '2']);
	expect((await call()).status).toBe(200);

	const exited = exitOf(child);
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
});

it('serves TLS with a certificate it can write out for other processes to trust', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'acs-emulator-'));
	try {
		const certFile = path.join(dir, 'cert.pem');
		const { child, lines } = await startCli(['--https', '--cert-out', certFile, '--key', Buffer.from('k').toString('base64')]);
		const url = /listening on (https:\/\/\S+)$/.exec(lines[0])![1];
		expect(lines[1]).toBe(`connection string: endpoint=${url}/;accesskey=${Buffer.from('k').toString('base64')}`);

		const status = await new Promise<number | undefined>((resolve, reject) => {
			https.get(`${url}/chat/threads`, { ca: readFileSync(certFile) }, (res) => {
				res.resume();
				resolve(res.statusCode);
			}).on('error', reject);
		});
		expect(status).toBe(400);

		const exited = exitOf(child);
		child.kill('SIGINT');
		expect(await exited).toBe(0);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

it('exits 1 with the usage on a bad option', async () => {
	const child = spawn(process.execPath, [CLI, '--port', 'x']);
	let err = '';
	child.stderr.on('data', (chunk) => (err += chunk));
	expect(await exitOf(child)).toBe(1);
	expect(err).toContain('--port must be a non-negative integer');
});

describe('limit flags', () => {
	async function limitsOf(args: string[]): Promise<Record<string, unknown>> {
		const { lines } = await startCli(args);
		const url = lines.map((line) => /listening on (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean);
		return (await (await fetch(`${url}/admin/limits`)).json()) as Record<string, unknown>;
	}

	it('sets the rate limit shape and the ACS limits from flags', async () => {
		const { rateLimit, acsLimits } = await limitsOf(['--rate-limit', '40', '--rate-limit-shape', 'fixed', '--acs-limits-scale', '10', '--acs-limits-window', 'sliding']);
		expect(rateLimit).toEqual({ shape: 'fixed', limit: 40, windowMs: 1000, rps: 40, retryAfter: 'seconds' });
		expect(acsLimits).toMatchObject({ enabled: true, scale: 10, window: 'sliding', retryAfter: 'seconds' });
	});

	it('keeps the bare --rate-limit a token bucket and the ACS limits off', async () => {
		const { rateLimit, acsLimits } = await limitsOf(['--rate-limit', '5']);
		expect(rateLimit).toEqual({ shape: 'bucket', rps: 5, retryAfter: 'ms' });
		expect(acsLimits).toEqual({ enabled: false });
	});

	it('exits 1 on a rate it cannot enforce exactly', async () => {
		const child = spawn(process.execPath, [CLI, '--port', '0', '--rate-limit', '0.5', '--rate-limit-shape', 'sliding']);
		// Killed after the file if it wrongly keeps serving, so the test fails instead of hanging the run.
		children.push(child);
		let err = '';
		child.stderr.on('data', (chunk) => (err += chunk));
		expect(await exitOf(child)).toBe(1);
		expect(err).toContain('give a whole limit per windowMs');
	});
});

it('prints the Entra identity and the ACS resource id, and takes the Event Grid settings', async () => {
	const { child, lines } = await startCli(['--role', 'none', '--client-secret', 'cli-secret', '--event-grid-retry-scale', '0.5']);
	const url = /listening on (\S+)$/.exec(lines[0])![1];
	const entra = /^Entra ID: tenant (\S+), client (\S+), secret (\S+) \(authority host (\S+)\)$/.exec(lines[3])!;
	expect([entra[3], entra[4]]).toEqual(['cli-secret', url]);
	const resourceId = /^ACS resource id \(ARM on (\S+)\): (\S+)$/.exec(lines[4])![2];

	const token = await fetch(`${url}/${entra[1]}/oauth2/v2.0/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: entra[2], client_secret: 'cli-secret', scope: 'https://management.azure.com/.default' }),
	});
	const { access_token } = (await token.json()) as { access_token: string };
	const put = await fetch(`${url}${resourceId}/providers/Microsoft.EventGrid/eventSubscriptions/cli-sub?api-version=2025-02-15`, { method: 'PUT', headers: { authorization: `Bearer ${access_token}` }, body: '{}' });
	expect(put.status).toBe(403);
	const settings = (await (await fetch(`${url}/admin/eventgrid`)).json()) as { settings: Record<string, unknown> };
	expect(settings.settings).toMatchObject({ role: 'none', retryScale: 0.5 });

	const exited = exitOf(child);
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
});
