'use strict';

// n8n in queue mode for one suite: a Postgres and a Redis of its own (postgres.js, redis.js), an `n8n start` main
// with EXECUTIONS_MODE=queue and `workers` × `n8n worker`, all on loopback and free ports, sharing one user folder
// (the installed package) and one N8N_ENCRYPTION_KEY so each process can read the credentials the others saved.
// State: the processes started and each one's output, kept so a suite can tell which worker ran an execution
// (a worker logs "Worker started execution <id>"). The main can be swapped for one in regular mode on the same
// database, to run the same workflow on one process. stop() ends every process, then the servers and their folders.
const crypto = require('node:crypto');
const { startN8n } = require('./n8n-server');
const { startPostgres } = require('./postgres');
const { startRedis } = require('./redis');
const { freePort } = require('./ports');
const { step } = require('./log');

/** Resolves with { main, workers: [{ pid, output() }], ranBy(executionId), startMain(mode), stopN8n(), stop() }. */
async function startQueueMode({ userFolder, workers: workerCount = 2, env = {} }) {
	const started = [];
	const outputs = new Map();
	const collect = (name) => {
		outputs.set(name, '');
		return (text) => outputs.set(name, outputs.get(name) + text);
	};
	let n8nProcesses = [];
	async function stopN8n() {
		const stopping = n8nProcesses;
		n8nProcesses = [];
		// Workers first: a main that stops first leaves them polling a queue nobody fills.
		await Promise.all(stopping.filter(({ role }) => role === 'worker').map(({ child }) => child.stop()));
		await Promise.all(stopping.filter(({ role }) => role !== 'worker').map(({ child }) => child.stop()));
	}
	async function stop() {
		await stopN8n();
		while (started.length) await started.pop().stop();
	}

	try {
		const postgres = await step('Postgres', () => startPostgres());
		started.push(postgres);
		const redis = await step('Redis', () => startRedis());
		started.push(redis);
		const shared = { ...postgres.env, ...redis.env, N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'), ...env };

		const launch = async (role, name, command, extra, port) => {
			const child = await startN8n({
				userFolder,
				command,
				port: port ?? (await freePort()),
				brokerPort: await freePort(),
				env: { ...shared, ...extra },
				onOutput: collect(name),
			});
			n8nProcesses.push({ role, child });
			return child;
		};
		let mains = 0;
		let mainPort;
		/**
		 * Starts a main (`queue` or `regular` executions) and resolves with it; one at a time, each on the first one's
		 * port, so a REST session signed in on the first one (its cookie is checked against the database) goes on.
		 */
		const startMain = async (mode = 'queue') => {
			mainPort ??= await freePort();
			return step(`n8n start (${mode} mode)`, () => launch('main', `main-${mains++}`, 'start', { EXECUTIONS_MODE: mode }, mainPort));
		};

		const main = await startMain('queue');
		const names = Array.from({ length: workerCount }, (_, index) => `worker-${index}`);
		const workers = await step(`${workerCount} × n8n worker`, () =>
			Promise.all(names.map((name) => launch('worker', name, 'worker', { EXECUTIONS_MODE: 'queue' }))),
		);
		return {
			main,
			postgres,
			redis,
			workers: workers.map((worker, index) => ({ pid: worker.pid, name: names[index], output: () => outputs.get(names[index]) })),
			/** The worker whose log says it started `executionId`, or undefined. */
			ranBy(executionId) {
				const pattern = new RegExp(`Worker started execution ${executionId} \\(`);
				return names.find((name) => pattern.test(outputs.get(name)));
			},
			output: (name) => outputs.get(name),
			startMain,
			stopN8n,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueueMode };
