'use strict';

// A scripted stand-in for OpenAI's Chat Completions API on loopback, for the AI Agent suite: n8n's OpenAI Chat
// Model node, its credential's Base URL pointed here, talks to it as to api.openai.com. It keeps every request it
// was sent (method, path, headers, parsed body) until cleared, and the script a test sets: the model's turns in
// order, each the tool calls it makes or its final text. Which turn answers a request is read from the request
// alone, as the number of tool-calling assistant messages already in its conversation, so the stub keeps no
// conversation state, and a request the client sends again gets the same answer. A request past the script's end,
// or to a path OpenAI's node is not expected to call, is answered with an OpenAI-style error (a 400, which the
// OpenAI client does not retry), so a test whose script does not match what n8n does fails at once.
const http = require('node:http');

function send(response, status, body) {
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	response.end(text);
}

function openAiError(response, status, message) {
	send(response, status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
}

/** How many turns of the model the conversation already holds: its assistant messages that called tools. */
function turnsTaken(messages) {
	return messages.filter((message) => message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0).length;
}

/** One `chat.completion` answer, from `model`, for a turn of the script: { toolCalls: [{ name, arguments }] } or { text }. */
function completion(turn, index, model) {
	const toolCalls = (turn.toolCalls ?? []).map((call, position) => ({
		id: `call_${index}_${position}`,
		type: 'function',
		function: { name: call.name, arguments: JSON.stringify(call.arguments) },
	}));
	const message = toolCalls.length > 0 ? { role: 'assistant', content: null, tool_calls: toolCalls } : { role: 'assistant', content: turn.text };
	return {
		id: `chatcmpl-stub-${index}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/**
 * Starts the stub on 127.0.0.1. Resolves with { url (the Base URL for the credential, ending in /v1), script(turns),
 * requests(), completions(), clear(), close() }.
 */
async function startOpenAiStub() {
	const recorded = [];
	let turns = [];

	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = raw === '' ? undefined : JSON.parse(raw);
			} catch {
				body = raw;
			}
			const entry = { method: request.method, path: request.url, headers: request.headers, raw, body };
			recorded.push(entry);
			if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
				return openAiError(response, 404, `the stub does not serve ${request.method} ${request.url}`);
			}
			if (body?.stream === true) return openAiError(response, 400, 'the stub answers only requests without stream');
			const index = turnsTaken(body?.messages ?? []);
			if (index >= turns.length) return openAiError(response, 400, `the script has ${turns.length} turns; this request asks for turn ${index + 1}`);
			return send(response, 200, completion(turns[index], index, body.model));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	return {
		url: `http://127.0.0.1:${port}/v1`,
		/** The model's turns from now on: [{ toolCalls: [{ name, arguments }] } | { text }], the last one a text. */
		script(next) {
			turns = next;
		},
		/** Every request since the start or the last clear(): [{ method, path, headers, raw, body }]. */
		requests: () => [...recorded],
		/** The chat completion requests' bodies, in the order they came. */
		completions: () => recorded.filter(({ path }) => path === '/v1/chat/completions').map(({ body }) => body),
		clear() {
			recorded.length = 0;
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
		},
	};
}

module.exports = { startOpenAiStub };
