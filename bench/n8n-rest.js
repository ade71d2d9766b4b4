'use strict';

const path = require('node:path');
const { hostDir } = require('../e2e/host/paths');

/**
 * The benchmark's session on a fresh n8n's REST API, as its owner: what the editor does to create credentials
 * and workflows, publish a workflow, and read an execution back. (e2e/support/n8n-rest.js signs in the same
 * way but only reads; the benchmark also writes.)
 */
async function ownerSession(baseUrl) {
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'owner@bench.invalid', firstName: 'Bench', lastName: 'Owner', password: 'Bench-owner-password-1' }),
	});
	if (setup.status !== 200) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
	const cookie = setup.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.join('; ');

	async function call(method, pathAndQuery, body) {
		const answer = await fetch(`${baseUrl}${pathAndQuery}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (answer.status !== 200) throw new Error(`${method} ${pathAndQuery} answered ${answer.status}: ${await answer.text()}`);
		return (await answer.json()).data;
	}

	// n8n stores run data as a `flatted` string; its own copy parses it.
	const flatted = require(path.join(hostDir, 'node_modules', 'flatted'));

	return {
		createCredential: ({ name, type, data }) => call('POST', '/rest/credentials', { name, type, data }),
		/** Creates the workflow and publishes it, so its production webhooks answer. Resolves with its id. */
		async publishWorkflow(workflow) {
			const { id, versionId } = await call('POST', '/rest/workflows', workflow);
			await call('POST', `/rest/workflows/${id}/activate`, { versionId });
			return id;
		},
		/** The newest execution of a workflow, or undefined. */
		async latestExecution(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const { results } = await call('GET', `/rest/executions?filter=${filter}&limit=1`);
			return results[0];
		},
		/** One execution with its run data parsed. */
		async execution(id) {
			const data = await call('GET', `/rest/executions/${id}`);
			return { ...data, data: flatted.parse(data.data) };
		},
	};
}

module.exports = { ownerSession };
