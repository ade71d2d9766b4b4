'use strict';

const path = require('node:path');
const { hostDir } = require('../host/paths');

/**
 * A session on a fresh n8n's REST API: creates the owner exactly as the editor's first-visit form does and
 * keeps its auth cookie. n8n serves node and credential types (/types/*.json) only to a signed-in user.
 */
async function ownerSession(baseUrl) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'owner@e2e.invalid', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-password-1' }),
	});
	if (response.status !== 200) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.join('; ');

	async function get(pathAndQuery) {
		const answer = await fetch(`${baseUrl}${pathAndQuery}`, { headers: { cookie } });
		if (answer.status !== 200) throw new Error(`GET ${pathAndQuery} answered ${answer.status}: ${await answer.text()}`);
		return answer.json();
	}

	return {
		get,
		/** One execution with its run data; n8n stores that as a `flatted` string, parsed with n8n's own copy. */
		async execution(id) {
			const { data } = await get(`/rest/executions/${id}`);
			const flatted = require(path.join(hostDir, 'node_modules', 'flatted'));
			return { ...data, data: flatted.parse(data.data) };
		},
		/** The workflow's executions, oldest first. */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const { data } = await get(`/rest/executions?filter=${filter}`);
			return [...data.results].sort((a, b) => Number(a.id) - Number(b.id));
		},
	};
}

module.exports = { ownerSession };
