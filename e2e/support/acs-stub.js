'use strict';

const http = require('node:http');

/**
 * The ACS Chat calls the smoke workflow makes, answered as the service does, and nothing else: Get Thread,
 * Remove Participant, and List Threads (the credential checks a pasted access token with it). Any other
 * method, path or api-version gets a 404 so that a wrong request fails the test loudly.
 * Every request is recorded as { method, url, headers, body }.
 */
function startAcsStub({ thread }) {
	const requests = [];
	const threadPath = /^\/chat\/threads\/([^/]+)$/;
	const removePath = /^\/chat\/threads\/([^/]+)\/participants\/:remove$/;

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
			const url = new URL(req.url, 'http://stub');
			const apiVersion = url.searchParams.get('api-version');
			if (req.method === 'GET' && url.pathname === '/chat/threads' && apiVersion === '2024-03-07') {
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
				res.end(JSON.stringify({ value: [{ id: thread.id, topic: thread.topic }] }));
				return;
			}
			if (req.method === 'GET' && threadPath.test(url.pathname) && apiVersion === '2024-03-07') {
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
				res.end(JSON.stringify(thread));
				return;
			}
			if (req.method === 'POST' && removePath.test(url.pathname) && apiVersion === '2025-03-15') {
				res.writeHead(204);
				res.end();
				return;
			}
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { code: 'NotFound', message: `stub has no route for ${req.method} ${req.url}` } }));
		});
	});

	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				endpoint: `http://127.0.0.1:${port}`,
				requests,
				close: () =>
					new Promise((done) => {
						server.close(done);
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { startAcsStub };
