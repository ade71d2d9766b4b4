'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Reads a V8 .cpuprofile (n8n started with --cpu-prof) and sums the CPU time of the samples that fall in a time
 * window: by where the running function lives (self time per package) and, for a few functions n8n spends an
 * item's work in, the time spent inside them (inclusive). Windows are in the monotonic clock V8 stamps samples
 * with (CLOCK_MONOTONIC on Linux, the clock of process.hrtime in every process), so the benchmark marks a run's
 * start and end with process.hrtime.bigint().
 */

/** Functions whose inclusive time says where an item goes: credentials, authentication, the HTTP helper, parameters and expressions. */
const WATCHED = [
	'getCredentials',
	'getDecrypted',
	'getCredentialsProperties',
	'preAuthentication',
	'authenticate',
	'httpRequestWithAuthentication',
	'requestWithAuthentication',
	'httpRequest',
	'proxyRequestToAxios',
	'getNodeParameter',
	'renderExpression',
	'saveExecutionProgress',
];

function loadProfile(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
	const times = [];
	let t = profile.startTime;
	for (const delta of profile.timeDeltas) times.push((t += delta));
	return { profile, byId, parentOf, times };
}

function placeOf(callFrame) {
	const { functionName, url } = callFrame;
	if (functionName.startsWith('(')) return functionName;
	if (!url) return '(native)';
	if (url.includes('n8n-nodes-acs-chat')) return 'this node (n8n-nodes-acs-chat)';
	if (url.includes('/nodes/HttpRequest/')) return 'HTTP Request node';
	if (url.startsWith('node:')) return 'Node.js built-ins';
	const parts = url.split('node_modules/').pop().split('/');
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * CPU ms in [fromUs, toUs] by place (self time) and inside each WATCHED function (inclusive), idle excluded.
 * @returns {{ totalMs: number, places: Array<[string, number]>, watched: Array<[string, number]> }}
 */
function summarize({ profile, byId, parentOf, times }, fromUs, toUs) {
	const places = new Map();
	const watched = new Map();
	let totalUs = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		if (times[i] < fromUs || times[i] > toUs) continue;
		const weight = (times[i + 1] ?? times[i]) - times[i];
		const node = byId.get(profile.samples[i]);
		if (node.callFrame.functionName === '(idle)') continue;
		totalUs += weight;
		const place = placeOf(node.callFrame);
		places.set(place, (places.get(place) ?? 0) + weight);
		const seen = new Set();
		for (let id = node.id; id !== undefined; id = parentOf.get(id)) {
			const name = byId.get(id).callFrame.functionName;
			if (WATCHED.includes(name) && !seen.has(name)) {
				seen.add(name);
				watched.set(name, (watched.get(name) ?? 0) + weight);
			}
		}
	}
	const sorted = (map) => [...map].map(([name, us]) => [name, us / 1000]).sort((a, b) => b[1] - a[1]);
	return { totalMs: totalUs / 1000, places: sorted(places), watched: sorted(watched) };
}

/** The profile n8n's main process wrote (the task runner writes one too, under its own pid). */
function mainProfile(dir, pid) {
	// CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; thread 0 is the main thread.
	const file = fs.readdirSync(dir).find((name) => {
		const parts = name.split('.');
		return name.endsWith('.cpuprofile') && parts[3] === String(pid) && parts[4] === '0';
	});
	if (!file) throw new Error(`no .cpuprofile of pid ${pid} in ${dir}`);
	return path.join(dir, file);
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

module.exports = { loadProfile, summarize, mainProfile, monotonicUs };
