import crypto from 'node:crypto';
import https from 'node:https';

const { createSelfSignedCertificate } = require('../../emulator/tls') as { createSelfSignedCertificate: () => { key: string; cert: string } };

/** The certificate made when the 16 random serial bytes come out as `serial`. */
function certificateWithSerial(serial: number[]) {
	const spy = jest.spyOn(crypto, 'randomBytes').mockImplementationOnce(() => Buffer.from(serial));
	try {
		return createSelfSignedCertificate();
	} finally {
		spy.mockRestore();
	}
}

const rest = Array.from({ length: 14 }, (_, i) => i + 1);

describe("the emulator's self-signed certificate", () => {
	it.each([
		['a leading zero byte before a small one', [0x00, 0x12, ...rest], '12' + Buffer.from(rest).toString('hex')],
		['two leading zero bytes before a large one', [0x00, 0x00, 0x80, ...rest.slice(1)], '80' + Buffer.from(rest.slice(1)).toString('hex')],
		['a top bit set in the first byte', [0x80, 0x01, ...rest], '8001' + Buffer.from(rest).toString('hex')],
		['an ordinary serial', [0x12, 0x34, ...rest], '1234' + Buffer.from(rest).toString('hex')],
	])('is one OpenSSL accepts, for an https server, with %s in the random serial', (_label, serial, expectedHex) => {
		const { key, cert } = certificateWithSerial(serial);

		const parsed = new crypto.X509Certificate(cert);
		expect(parsed.serialNumber.toLowerCase()).toBe(expectedHex);
		expect(parsed.checkPrivateKey(crypto.createPrivateKey(key))).toBe(true);
		expect(() => https.createServer({ key, cert }).close()).not.toThrow();
	});
});
