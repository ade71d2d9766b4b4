'use strict';

// A signed-in session on a fresh n8n's REST API, calling it the way the editor does. Every answer's text is
// kept in `answers()`, so a suite can assert that no secret came back in any of them.
const path = require('node:path');
const { hostDir } = require('../host/paths');

const hostRequire = (name) => require(path.join(hostDir, 'node_modules', name));

/**
 * A session on a fresh n8n's REST API: creates the owner exactly as the editor's first-visit form does and
 * keeps its auth cookie. n8n serves node and credential types (/types/*.json) only to a signed-in user.
 */
async function ownerSession(baseUrl) {
	const answers = [];

	async function call(method, pathAndQuery, { body, cookie } = {}) {
		const headers = { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
		const response = await fetch(`${baseUrl}${pathAndQuery}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await response.text();
		answers.push({ where: `${method} ${pathAndQuery} (${response.status})`, text });
		return { response, text };
	}

	const setup = await call('POST', '/rest/owner/setup', {
		body: { email: 'owner@e2e.invalid', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-password-1' },
	});
	if (setup.response.status !== 200) throw new Error(`owner setup answered ${setup.response.status}: ${setup.text}`);
	const cookie = setup.response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.join('; ');

	/** The answer's JSON; anything but 200 throws with the answer's text. */
	async function json(method, pathAndQuery, body) {
		const { response, text } = await call(method, pathAndQuery, { body, cookie });
		if (response.status !== 200) throw new Error(`${method} ${pathAndQuery} answered ${response.status}: ${text}`);
		return JSON.parse(text);
	}
	const get = (pathAndQuery) => json('GET', pathAndQuery);
	const unwrap = async (answer) => (await answer).data;

	let credentialTypes;
	/** A credential type's properties as the editor receives them. */
	async function credentialProperties(type) {
		credentialTypes ??= await get('/types/credentials.json');
		const found = credentialTypes.find(({ name }) => name === type);
		if (!found) throw new Error(`n8n does not know the credential type ${type}`);
		return found.properties;
	}

	/** What the editor's form holds for a new credential: every property's default, then what the user typed. */
	async function newForm(type, typed) {
		const properties = await credentialProperties(type);
		return { ...Object.fromEntries(properties.map(({ name, default: value }) => [name, value])), ...typed };
	}

	/**
	 * What the editor saves from a form: n8n's own getNodeParameters without defaults or hidden-by-display
	 * fields, so a value the form holds unchanged (a redacted password field) is sent as it came.
	 */
	async function savedData(type, form) {
		const { NodeHelpers } = hostRequire('n8n-workflow');
		return NodeHelpers.getNodeParameters(await credentialProperties(type), form, false, false, null, null);
	}

	/** One execution with its run data; n8n stores that as a `flatted` string, parsed with n8n's own copy. */
	async function execution(id) {
		const { data } = await get(`/rest/executions/${id}`);
		return { ...data, data: hostRequire('flatted').parse(data.data) };
	}

	return {
		get,
		execution,
		/** Every answer n8n gave this session: [{ where, text }]. */
		answers: () => answers.map((answer) => ({ ...answer })),
		/** The workflow's executions, oldest first. */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			// n8n answers 20 at a time unless asked for more, at most 100.
			const { data } = await get(`/rest/executions?filter=${filter}&limit=100`);
			return [...data.results].sort((a, b) => Number(a.id) - Number(b.id));
		},
		/** Saves a new credential from plaintext data, as the editor's Save does; resolves with its id. */
		async createCredential({ name, type, data }) {
			return (await unwrap(json('POST', '/rest/credentials', { name, type, data }))).id;
		},
		/** Saves changes to a stored workflow (its pinned data, say), as the editor's Save does; resolves with the workflow. */
		updateWorkflow: (id, changes) => unwrap(json('PATCH', `/rest/workflows/${id}`, changes)),
		/** Publishes a stored workflow's current version, as the editor's Publish does (its triggers go live). */
		async activateWorkflow(id) {
			const { versionId } = await unwrap(json('GET', `/rest/workflows/${id}`));
			return unwrap(json('POST', `/rest/workflows/${id}/activate`, { versionId }));
		},
		/** Takes a published workflow offline, as the editor's Unpublish does (its triggers' webhook methods delete). */
		deactivateWorkflow: (id) => unwrap(json('POST', `/rest/workflows/${id}/deactivate`, {})),
		/** Saves a new workflow with the id it carries; resolves with that id. */
		async createWorkflow({ id, name, nodes, connections, settings }) {
			return (await unwrap(json('POST', '/rest/workflows', { id, name, nodes, connections, settings }))).id;
		},
		/**
		 * Creates a credential and tests it, as the editor's Save does for a new one: POST the saved form, then
		 * POST /rest/credentials/test with the whole form. Resolves with { id, result: { status, message } }.
		 */
		async createAndTest({ name, type, typed }) {
			const form = await newForm(type, typed);
			const { id } = await unwrap(json('POST', '/rest/credentials', { name, type, data: await savedData(type, form) }));
			const result = await unwrap(json('POST', '/rest/credentials/test', { credentials: { id, name, type, data: form } }));
			return { id, result };
		},
		/** The credential as the editor opens it: password fields come back as n8n's redaction placeholder. */
		credential: (id) => unwrap(json('GET', `/rest/credentials/${id}?includeData=true`)),
		/**
		 * Opens the credential, changes `changes` in its form and saves it, as the editor does: the redacted
		 * fields go back as the placeholders they came as, and n8n restores their saved values.
		 */
		async editCredential(id, changes) {
			const opened = await unwrap(json('GET', `/rest/credentials/${id}?includeData=true`));
			const form = { ...opened.data, ...changes };
			const body = {
				id,
				name: opened.name,
				type: opened.type,
				data: await savedData(opened.type, form),
				isGlobal: opened.isGlobal ?? false,
				isResolvable: opened.isResolvable ?? false,
			};
			await json('PATCH', `/rest/credentials/${id}`, body);
			return { opened, sent: body.data };
		},
		/**
		 * Runs a stored workflow from its trigger, as the editor's "Execute workflow" does, waits for it to end
		 * and resolves with the execution and its run data.
		 */
		async run(workflowId, trigger = 'Manual Trigger', { timeoutMs = 60_000 } = {}) {
			const { executionId } = await unwrap(json('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } }));
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = await execution(executionId);
				if (!['new', 'running', 'waiting'].includes(found.status)) return found;
				if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${found.status} after ${timeoutMs / 1000} s`);
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		},
	};
}

module.exports = { ownerSession };
