'use strict';

const net = require('node:net');

// Asks the OS for a free loopback port; parallel n8n processes each need their own broker and HTTP ports.
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

module.exports = { freePort };
