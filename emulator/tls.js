'use strict';

const crypto = require('node:crypto');

// A self-signed certificate is built with node:crypto rather than the openssl binary, so the
// emulator runs the same on machines without OpenSSL tools. Only the few DER shapes an X.509 v3
// certificate needs are encoded here.

function der(tag, ...parts) {
	const body = Buffer.concat(parts);
	let length;
	if (body.length < 0x80) {
		length = Buffer.from([body.length]);
	} else {
		const bytes = [];
		for (let n = body.length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
		length = Buffer.from([0x80 | bytes.length, ...bytes]);
	}
	return Buffer.concat([Buffer.from([tag]), length, body]);
}

const seq = (...parts) => der(0x30, ...parts);

function oid(dotted) {
	const [a, b, ...rest] = dotted.split('.').map(Number);
	const bytes = [40 * a + b];
	for (const n of rest) {
		const chunk = [n & 0x7f];
		for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
		bytes.push(...chunk);
	}
	return der(0x06, Buffer.from(bytes));
}

// DER wants the shortest form: leading zero bytes go (OpenSSL refuses the certificate otherwise, "illegal
// padding", about once in 512 random serials), and one comes back where the top bit would make it negative.
function positiveInteger(buf) {
	let start = 0;
	while (start < buf.length - 1 && buf[start] === 0) start++;
	const digits = buf.subarray(start);
	return der(0x02, digits[0] & 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits);
}

function utcTime(date) {
	const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
	return der(0x17, Buffer.from(text));
}

function ipBytes(ip) {
	if (ip.includes(':')) {
		const [head, tail] = ip.split('::');
		const groups = (s) => (s ? s.split(':') : []);
		const missing = 8 - groups(head).length - groups(tail).length;
		const all = [...groups(head), ...Array(missing).fill('0'), ...groups(tail)];
		return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
	}
	return Buffer.from(ip.split('.').map(Number));
}

/**
 * @param {{ dnsNames?: string[], ips?: string[], days?: number }} [options]
 * @returns {{ key: string, cert: string }} PEM private key and certificate for an https server
 */
function createSelfSignedCertificate({ dnsNames = ['localhost'], ips = ['127.0.0.1', '::1'], days = 365 } = {}) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
	const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from('ACS Chat emulator')))));
	const now = Date.now();
	const altNames = seq(
		...dnsNames.map((n) => der(0x82, Buffer.from(n))),
		...ips.map((ip) => der(0x87, ipBytes(ip))),
	);
	// Marked as a CA, like `openssl req -x509` output, so clients can add it as a trust anchor.
	const extensions = der(
		0xa3,
		seq(
			seq(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), der(0x04, seq(der(0x01, Buffer.from([0xff]))))),
			seq(oid('2.5.29.17'), der(0x04, altNames)),
		),
	);
	const tbs = seq(
		der(0xa0, der(0x02, Buffer.from([2]))),
		positiveInteger(crypto.randomBytes(16)),
		ecdsaWithSha256,
		name,
		seq(utcTime(new Date(now - 60 * 60 * 1000)), utcTime(new Date(now + days * 24 * 60 * 60 * 1000))),
		name,
		publicKey.export({ type: 'spki', format: 'der' }),
		extensions,
	);
	const signature = crypto.sign('sha256', tbs, privateKey);
	const certificate = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
	const pem = certificate.toString('base64').match(/.{1,64}/g).join('\n');
	return {
		key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
		cert: `-----BEGIN CERTIFICATE-----\n${pem}\n-----END CERTIFICATE-----\n`,
	};
}

module.exports = { createSelfSignedCertificate };
