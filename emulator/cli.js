#!/usr/bin/env node
'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { startEmulator } = require('./index');

const USAGE = `Usage: npm run emulator -- [options]
  --port N                 port to listen on (default 4000; 0 picks a free one)
  --https                  serve TLS with a self-signed certificate made at start (the SDKs need https)
  --cert-out FILE          with --https, write the certificate PEM there (for NODE_EXTRA_CA_CERTS)
  --seed FILE              seed JSON (default emulator/seed.json)
  --key BASE64             access key (default: the development key in emulator/README.md)
  --latency MS             delay every request by MS milliseconds
  --rate-limit RPS         answer 429 beyond RPS requests per second (a token bucket with Retry-After and
                           retry-after-ms, unless --rate-limit-shape says otherwise)
  --rate-limit-shape S     bucket (default), fixed (windows on a grid) or sliding (windows)
  --rate-limit-window MS   window length for fixed/sliding (default 1000; RPS x MS / 1000 must be whole)
  --rate-limit-retry-after U   seconds (Retry-After only; default for windows) or ms (also retry-after-ms)
  --acs-limits             enforce ACS Chat's documented per-operation limits (emulator/limits.js)
  --acs-limits-scale N     divide their windows by N for test speed (implies --acs-limits)
  --acs-limits-window W    fixed (default) or sliding windows for them (implies --acs-limits)
  --throttle N             answer the next N requests with 429 (see --retry-after, --retry-after-ms)
  --retry-after S          Retry-After seconds for --throttle (default 1)
  --retry-after-ms MS      also send retry-after-ms for --throttle
  --unavailable N          answer the next N requests with 503
  --reset-connections N    reset the connection of the next N requests
  --html-error N           answer the next N requests with a 502 text/html proxy page
  --remove-missing CODE    status for removing a non-participant: 204 (default), 403 or 404
Event Grid, ARM and Entra ID (emulator/README.md):
  --tenant-id ID           the Entra tenant (default: the development tenant)
  --client-id ID           the service principal's client id (default: the development one)
  --client-secret S        its client secret (default: the development secret)
  --resource-id ID         the ACS resource's ARM id (default: the development resource)
  --role R                 the principal's role on it: contributor (default), reader or none
  --event-grid-retry-scale N   multiply Event Grid's retry waits (10 s, 30 s, 1 min, ...) by N (default 0.001)
  --event-grid-timeout MS  how long a webhook may take to answer (default 30000)
  --event-grid-validation-window MS   how long a validation URL stays usable (default 300000)
  --event-grid-handshake-headers   send delivery attribute headers with the validation handshake too
  --help`;

function integer(value, name) {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer.`);
	return n;
}

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			https: { type: 'boolean' },
			'cert-out': { type: 'string' },
			seed: { type: 'string' },
			key: { type: 'string' },
			latency: { type: 'string' },
			'rate-limit': { type: 'string' },
			'rate-limit-shape': { type: 'string' },
			'rate-limit-window': { type: 'string' },
			'rate-limit-retry-after': { type: 'string' },
			'acs-limits': { type: 'boolean' },
			'acs-limits-scale': { type: 'string' },
			'acs-limits-window': { type: 'string' },
			throttle: { type: 'string' },
			'retry-after': { type: 'string' },
			'retry-after-ms': { type: 'string' },
			unavailable: { type: 'string' },
			'reset-connections': { type: 'string' },
			'html-error': { type: 'string' },
			'remove-missing': { type: 'string' },
			'tenant-id': { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			'resource-id': { type: 'string' },
			role: { type: 'string' },
			'event-grid-retry-scale': { type: 'string' },
			'event-grid-timeout': { type: 'string' },
			'event-grid-validation-window': { type: 'string' },
			'event-grid-handshake-headers': { type: 'boolean' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const rps = values['rate-limit'] === undefined ? 0 : Number(values['rate-limit']);
	const shaped = values['rate-limit-shape'] ?? values['rate-limit-window'] ?? values['rate-limit-retry-after'];
	const rateLimit =
		shaped === undefined
			? rps
			: {
					rps,
					shape: values['rate-limit-shape'],
					windowMs: values['rate-limit-window'] === undefined ? undefined : Number(values['rate-limit-window']),
					retryAfter: values['rate-limit-retry-after'],
				};
	const acsLimits =
		values['acs-limits'] || values['acs-limits-scale'] !== undefined || values['acs-limits-window'] !== undefined
			? { scale: values['acs-limits-scale'] === undefined ? 1 : Number(values['acs-limits-scale']), window: values['acs-limits-window'] }
			: false;
	const emulator = await startEmulator({
		port: integer(values.port, 'port') ?? 4000,
		https: values.https,
		seed: values.seed,
		key: values.key,
		latencyMs: integer(values.latency, 'latency') ?? 0,
		rateLimit,
		acsLimits,
		removeMissingParticipant: integer(values['remove-missing'], 'remove-missing') ?? 204,
		eventGrid: {
			tenantId: values['tenant-id'],
			clientId: values['client-id'],
			clientSecret: values['client-secret'],
			resourceId: values['resource-id'],
			role: values.role,
			retryScale: values['event-grid-retry-scale'] === undefined ? undefined : Number(values['event-grid-retry-scale']),
			timeoutMs: integer(values['event-grid-timeout'], 'event-grid-timeout'),
			validationWindowMs: integer(values['event-grid-validation-window'], 'event-grid-validation-window'),
			handshakeHeaders: values['event-grid-handshake-headers'],
		},
	});
	const queued = [
		['throttle', integer(values.throttle, 'throttle')],
		['unavailable', integer(values.unavailable, 'unavailable')],
		['reset', integer(values['reset-connections'], 'reset-connections')],
		['html', integer(values['html-error'], 'html-error')],
	];
	for (const [kind, count] of queued) {
		if (!count) continue;
		emulator.faults.add({
			kind,
			count,
			...(kind === 'throttle'
				? { retryAfter: integer(values['retry-after'], 'retry-after'), retryAfterMs: integer(values['retry-after-ms'], 'retry-after-ms') }
				: {}),
		});
	}

	// Written before anything is printed, so a script that waits for the banner finds the file.
	if (values['cert-out'] && emulator.certificate) fs.writeFileSync(values['cert-out'], emulator.certificate);
	console.log(`ACS emulator listening on ${emulator.url}`);
	console.log(`connection string: ${emulator.connectionString}`);
	console.log(`demo token (user ${emulator.demoUserId}): ${emulator.demoToken}`);
	const { azure } = emulator;
	console.log(`Entra ID: tenant ${azure.tenantId}, client ${azure.clientId}, secret ${azure.clientSecret} (authority host ${azure.authorityHost})`);
	console.log(`ACS resource id (ARM on ${azure.armHost}): ${azure.resourceId}`);
	if (values['cert-out'] && emulator.certificate) {
		console.log(`certificate: ${values['cert-out']} (e.g. NODE_EXTRA_CA_CERTS=${values['cert-out']} for the calling process)`);
	}

	const stop = () => {
		emulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`emulator: ${error.message}`);
	console.error(USAGE);
	process.exit(1);
});
