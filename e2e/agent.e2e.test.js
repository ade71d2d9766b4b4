'use strict';

// The node as an AI Agent's tools in a real n8n (`n8n start`, workflows run through the REST API as the editor's
// Execute does): the example workflow the repository ships (examples/ai-agent-acs-chat.json, imported as it is,
// only its credentials pointed at this suite's) runs a Manual Trigger into an AI Agent whose OpenAI Chat Model
// talks to a scripted stand-in for OpenAI (support/openai-stub.js), with three ACS Chat tools (Send Message, Get
// Many Messages, Remove Participant) acting with a connection-string credential on the emulator. Each case scripts
// the model's tool calls and checks what reached ACS (the emulator's log) and what came back to the model (the
// tool messages of the stub's next request). The last cases look for every ACS secret in everything the model was
// sent, and print the tool schemas it was given, checking that each says what it does and what its IDs look like.
const crypto = require('node:crypto');
const path = require('node:path');
const { startEmulator } = require('../emulator');
const host = require('./host');
const wf = require('./support/workflows');
const { liveN8n } = require('./support/live-n8n');
const { leakCheck } = require('./support/leaks');
const { startOpenAiStub } = require('./support/openai-stub');

const { ids } = wf;

const EXAMPLE_FILE = 'examples/ai-agent-acs-chat.json';
const example = require(path.join(__dirname, '..', EXAMPLE_FILE));
const EXAMPLE_ID = 'acsAgentExample1';
const TRIGGER = example.nodes.find(({ type }) => type === 'n8n-nodes-base.manualTrigger').name;
const AGENT = example.nodes.find(({ type }) => type === '@n8n/n8n-nodes-langchain.agent');
/** The tools the example gives the agent, named as n8n names them after their nodes. */
const TOOLS = { send: 'Send_Message', getMany: 'Get_Many_Messages', remove: 'Remove_Participant' };

const threadPath = (threadId) => `/chat/threads/${encodeURIComponent(threadId)}`;

/**
 * The example with its credential references given this suite's ids. The example names its credentials only
 * (a user picks their own on import); the suite saves credentials of those names, so they cannot drift apart.
 */
function exampleWorkflow(credentialsByType) {
	const nodes = example.nodes.map((node) => {
		if (!node.credentials) return node;
		const credentials = Object.fromEntries(
			Object.entries(node.credentials).map(([type, ref]) => {
				if (Object.keys(ref).join() !== 'name') throw new Error(`the example's ${type} credential must be named only, got ${JSON.stringify(ref)}`);
				return [type, { id: credentialsByType[type].id, name: ref.name }];
			}),
		);
		return { ...node, credentials };
	});
	return { ...example, id: EXAMPLE_ID, nodes };
}

/** The credential name the example gives `type`. */
function exampleCredentialName(type) {
	const names = new Set(example.nodes.flatMap(({ credentials }) => (credentials?.[type] ? [credentials[type].name] : [])));
	if (names.size !== 1) throw new Error(`the example must name one ${type} credential, names ${[...names].join(', ') || 'none'}`);
	return [...names][0];
}

describe('the node as an AI Agent’s tools in a real n8n, with a scripted OpenAI model and the ACS emulator', () => {
	const leaks = leakCheck();
	/** Every request the stub was sent over the whole file, for the leak check and the schemas. */
	const modelRequests = [];
	/** Tokens the emulator issued (the credential's minted token), kept across resets. */
	const issued = [];
	const openAiKey = `sk-e2e-${crypto.randomBytes(24).toString('hex')}`;
	let emulator;
	let stub;
	let live;

	beforeAll(async () => {
		emulator = await startEmulator({ ...wf.emulatorOptions });
		stub = await startOpenAiStub();
		const acs = wf.connectionStringCredential({ id: 'acsAgentConnStr1', name: exampleCredentialName('azureCommunicationServicesApi'), emulator });
		const openAi = { id: 'acsAgentOpenAi01', name: exampleCredentialName('openAiApi'), type: 'openAiApi', data: { apiKey: openAiKey, url: stub.url } };
		leaks.plant('the access key', emulator.key);
		leaks.plant('the connection string', emulator.connectionString, { pieces: false });
		leaks.plant('the demo token', emulator.demoToken);
		// It belongs in the Authorization header of each request to the model, never in what the model reads.
		leaks.plant('the OpenAI API key', openAiKey);
		live = await liveN8n({
			credentials: [acs, openAi],
			workflows: [exampleWorkflow({ azureCommunicationServicesApi: acs, openAiApi: openAi })],
		});
	});

	beforeEach(() => emulator.reset());
	afterEach(() => {
		issued.push(...emulator.issuedTokens());
		modelRequests.push(...stub.requests());
	});

	afterAll(async () => {
		await live?.remove();
		await stub?.close();
		await emulator?.close();
	});

	/**
	 * Runs the example with the model answering `turns` (support/openai-stub.js), on empty request logs. Resolves
	 * with the agent's answer, the chat completion requests the model got, and what the emulator received (the
	 * credential's token minting left out).
	 */
	async function runAgent(turns) {
		stub.script(turns);
		stub.clear();
		emulator.clearRequests();
		const execution = await live.session.run(EXAMPLE_ID, TRIGGER, { timeoutMs: 120_000 });
		if (execution.status !== 'success') {
			throw new Error(`the example ended ${execution.status}: ${JSON.stringify(execution.data.resultData.error, null, 2)}`);
		}
		const agentRuns = execution.data.resultData.runData[AGENT.name];
		const [answer] = host.nodeItems({ [AGENT.name]: agentRuns }, AGENT.name, { runIndex: agentRuns.length - 1 });
		return {
			output: answer.json.output,
			completions: stub.completions(),
			chatRequests: emulator.requests().filter(({ path: sentTo }) => sentTo.startsWith('/chat/')),
		};
	}

	/** What the model was told a tool call returned: the tool message answering call `id` in the last request. */
	function toolResult(completions, id) {
		const found = completions.at(-1).messages.find(({ role, tool_call_id: callId }) => role === 'tool' && callId === id);
		if (!found) throw new Error(`no tool message answers ${id} in the model's last request`);
		return found.content;
	}

	test('Send Message: the model’s thread and text reach ACS as one POST, and the new message ID comes back to it', async () => {
		const content = 'We are looking into your order.';
		const { output, completions, chatRequests } = await runAgent([
			{ toolCalls: [{ name: TOOLS.send, arguments: { threadId: ids.demoThread, content } }] },
			{ text: 'I posted it.' },
		]);

		// The example's prompt is what the model was asked.
		expect(completions[0].messages).toContainEqual(expect.objectContaining({ role: 'user', content: AGENT.parameters.text }));
		expect(chatRequests.map(({ method, path: sentTo, status, body }) => ({ call: `${method} ${sentTo} ${status}`, body }))).toEqual([
			{ call: `POST ${threadPath(ids.demoThread)}/messages 201`, body: { content } },
		]);
		const [posted] = emulator.state().threads.find(({ id }) => id === ids.demoThread).messages.filter(({ type }) => type === 'text');
		expect(posted).toMatchObject({ content, senderId: ids.demoUser });
		expect(JSON.parse(toolResult(completions, 'call_0_0'))).toEqual([{ id: posted.id, threadId: ids.demoThread }]);
		expect(completions).toHaveLength(2);
		expect(output).toBe('I posted it.');
	});

	test('Get Many Messages: the model’s limit is the page ACS is asked for, and the newest messages come back to it', async () => {
		emulator.addMessages(ids.demoThread, { count: 5, content: 'Order update' });
		const newest = emulator.state().threads.find(({ id }) => id === ids.demoThread).messages.slice(-2).reverse();
		const { completions, chatRequests } = await runAgent([
			{ toolCalls: [{ name: TOOLS.getMany, arguments: { threadId: ids.demoThread, limit: 2 } }] },
			{ text: 'The two newest messages are order updates.' },
		]);

		expect(chatRequests.map(({ method, path: sentTo, status, query }) => ({ call: `${method} ${sentTo} ${status}`, query }))).toEqual([
			{ call: `GET ${threadPath(ids.demoThread)}/messages 200`, query: expect.objectContaining({ maxPageSize: '2' }) },
		]);
		const listed = JSON.parse(toolResult(completions, 'call_0_0'));
		expect(listed.map(({ id, threadId, content }) => ({ id, threadId, content }))).toEqual(
			newest.map(({ id, content }) => ({ id, threadId: ids.demoThread, content: { message: content } })),
		);
		expect(listed.every(({ senderId }) => senderId === ids.demoUser)).toBe(true);
	});

	test('Remove Participant: an ACS 404 and a malformed thread ID both come back to the model as text it can read', async () => {
		const { output, completions, chatRequests } = await runAgent([
			{ toolCalls: [{ name: TOOLS.remove, arguments: { threadId: ids.unknownThread, participantId: ids.phone } }] },
			{ toolCalls: [{ name: TOOLS.remove, arguments: { threadId: 'general', participantId: ids.phone } }] },
			{ text: 'That thread does not exist.' },
		]);

		// Only the first call was sent: the malformed ID was refused before any request.
		expect(chatRequests.map(({ method, path: sentTo, status, body }) => ({ call: `${method} ${sentTo} ${status}`, body }))).toEqual([
			{ call: `POST ${threadPath(ids.unknownThread)}/participants/:remove 404`, body: expect.objectContaining({ rawId: ids.phone }) },
		]);
		const notFound = toolResult(completions, 'call_0_0');
		expect(JSON.parse(notFound)).toEqual([{ error: expect.stringMatching(/^ACS answered 404 NotFound: Thread .+ was not found/) }]);
		const malformed = toolResult(completions, 'call_1_0');
		expect(JSON.parse(malformed)).toEqual([{ error: expect.stringMatching(/^Thread ID in item 0 is not an ACS chat thread ID \(expected 19:…@thread\.v2, got "general"\)/) }]);
		expect(completions).toHaveLength(3);
		expect(output).toBe('That thread does not exist.');
	});

	test('no access key, connection string or ACS token reaches the model; the OpenAI key only in its Authorization header', () => {
		expect(modelRequests.length).toBeGreaterThanOrEqual(7);
		// The OpenAI Chat Model asks for nothing else while it runs (no model list), and never streams: the stub refuses that.
		expect(new Set(modelRequests.map(({ method, path: sentTo }) => `${method} ${sentTo}`))).toEqual(new Set(['POST /v1/chat/completions']));
		expect(issued.length).toBeGreaterThanOrEqual(1);
		for (const { userId, token } of issued) leaks.plant(`a token minted for ${userId}`, token);
		const sent = modelRequests.map(({ method, path: sentTo, raw }, index) => ({ where: `request ${index + 1} to the model (${method} ${sentTo})`, text: raw }));
		expect(leaks.find({ texts: sent })).toEqual([]);
		expect(new Set(modelRequests.map(({ headers }) => headers.authorization))).toEqual(new Set([`Bearer ${openAiKey}`]));
	});

	test('the tool schemas the agent sends the model: each says what it does and what its IDs look like', () => {
		const schemas = modelRequests.map(({ body }) => JSON.stringify(body.tools));
		expect(new Set(schemas).size).toBe(1);
		const tools = JSON.parse(schemas[0]).map(({ type, function: { name, description, parameters } }) => ({ type, name, description, parameters }));
		// The closing note quotes these.
		console.log(`The tools the AI Agent of ${EXAMPLE_FILE} sent the model:\n${JSON.stringify(tools, null, 2)}`);

		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual(Object.values(TOOLS).sort());
		for (const { type, description, parameters } of tools) {
			expect(type).toBe('function');
			// n8n's own wording around the operation's action phrase.
			expect(description).toMatch(/ in ACS Chat$/);
			expect(description).toContain('19:…@thread.v2');
			expect(parameters.properties.threadId).toEqual({ type: 'string', description: expect.stringMatching(/19:.*@thread\.v2/) });
			expect(parameters.required).toEqual(expect.arrayContaining(Object.keys(parameters.properties)));
		}
		expect(byName[TOOLS.send].description).toMatch(/^Send a message to a chat thread\b/);
		expect(byName[TOOLS.send].description).toMatch(/Create Thread or Get Many Threads/);
		expect(Object.keys(byName[TOOLS.send].parameters.properties).sort()).toEqual(['content', 'threadId']);

		expect(byName[TOOLS.getMany].description).toMatch(/^Get (many|the newest) messages of a chat thread\b/);
		expect(byName[TOOLS.getMany].parameters.properties.limit).toMatchObject({ type: 'number' });
		expect(Object.keys(byName[TOOLS.getMany].parameters.properties).sort()).toEqual(['limit', 'threadId']);

		expect(byName[TOOLS.remove].description).toMatch(/^Remove a participant \(raw ID\b.*\) from a chat thread\b/);
		expect(byName[TOOLS.remove].description).toContain('8:acs:…');
		expect(byName[TOOLS.remove].parameters.properties.participantId).toEqual({ type: 'string', description: expect.stringContaining('8:acs:…') });
		expect(Object.keys(byName[TOOLS.remove].parameters.properties).sort()).toEqual(['participantId', 'threadId']);
	});
});
