'use strict';

// Preloaded into the benchmark's n8n (NODE_OPTIONS=--require): counts how often n8n decrypts a stored credential
// and writes the count to BENCH_COUNTS_DIR/decrypts-<pid>.json on SIGUSR2, so the benchmark can say how many
// credential reads an item costs. n8n 2.41's Cipher.decryptV2 unwraps its data key with AES-256-GCM, then
// deciphers the credential itself with AES-256-CBC: one CBC decipher is one credential decryption.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_COUNTS_DIR;
if (dir) {
	let decrypts = 0;
	const createDecipheriv = crypto.createDecipheriv;
	crypto.createDecipheriv = function countedDecipheriv(...args) {
		if (args[0] === 'aes-256-cbc') decrypts++;
		return createDecipheriv.apply(this, args);
	};
	process.on('SIGUSR2', () => {
		fs.writeFileSync(path.join(dir, `decrypts-${process.pid}.json`), JSON.stringify({ decrypts, at: Date.now() }));
	});
}
