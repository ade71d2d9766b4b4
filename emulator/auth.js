'use strict';

const crypto = require('node:crypto');

/** How far `x-ms-date` may be from the emulator's clock, as Azure's HMAC validation allows. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const CHAT_SCOPES = ['chat', 'chat.join', 'chat.join.limited'];
const ALL_SCOPES = [...CHAT_SCOPES, 'voip', 'voip.join'];

function hmacKey(keyBase64) {
	return Buffer.from(keyBase64, 'base64');
}

function safeEqual(a, b) {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/**
 * Issues a JWT-shaped user access token. Real tokens are RS256 with more claims; the SDKs only read
 * `exp` (common's tokenParser), so HS256 with the resource key keeps verification self-contained.
 * `skypeid` is the claim real ACS tokens carry the user in (raw ID without its `8:`). `gen` (the emulator's
 * own claim, absent while 0) is how many times the user's tokens had been revoked when this one was issued:
 * revoking makes every token of an older generation invalid, exactly, whatever the clock says.
 */
function signToken({ userId, scopes, expiresOnMs, resourceId, issuedAtMs = Date.now(), generation = 0 }, keyBase64) {
	const iat = Math.floor(issuedAtMs / 1000);
	const header = { alg: 'HS256', typ: 'JWT' };
	const payload = {
		skypeid: userId.replace(/^8:/, ''),
		scp: 1792,
		csi: String(iat),
		exp: Math.floor(expiresOnMs / 1000),
		acsScope: scopes.join(','),
		resourceId,
		resourceLocation: 'emulator',
		iat,
		...(generation ? { gen: generation } : {}),
	};
	const unsigned = `${b64json(header)}.${b64json(payload)}`;
	const signature = crypto.createHmac('sha256', hmacKey(keyBase64)).update(unsigned).digest('base64url');
	return `${unsigned}.${signature}`;
}

function b64json(value) {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** @returns {{ userId: string, scopes: string[], generation: number } | { reason: string }} */
function verifyToken(token, keyBase64, nowMs = Date.now()) {
	const parts = token.split('.');
	if (parts.length !== 3) return { reason: 'The access token is malformed.' };
	const expected = crypto.createHmac('sha256', hmacKey(keyBase64)).update(`${parts[0]}.${parts[1]}`).digest('base64url');
	if (!safeEqual(parts[2], expected)) return { reason: 'The access token signature is invalid.' };
	let claims;
	try {
		claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
	} catch {
		return { reason: 'The access token is malformed.' };
	}
	if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { reason: 'The access token has expired.' };
	if (typeof claims.skypeid !== 'string') return { reason: 'The access token has no user.' };
	return {
		userId: `8:${claims.skypeid}`,
		scopes: String(claims.acsScope || '').split(',').filter(Boolean),
		generation: Number.isInteger(claims.gen) ? claims.gen : 0,
	};
}

/**
 * The user a token names, read from its claims without checking them, so the request log can say whom a
 * client acted as even when the token is refused.
 * @returns {string|undefined}
 */
function tokenUser(token) {
	try {
		const { skypeid } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
		return typeof skypeid === 'string' ? `8:${skypeid}` : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Verifies an `HMAC-SHA256 SignedHeaders=…&Signature=…` request the way Azure does (contract §4):
 * the signed headers' values, joined by `;`, follow `VERB\npath?query\n`; the key is base64-decoded;
 * `x-ms-content-sha256` must be the hash of the body actually received.
 * @param {{ method: string, url: string, headers: Record<string, string|string[]|undefined>, body: Buffer }} request
 * @returns {string|undefined} why the request is rejected, or undefined when it is authentic
 */
function verifyHmac(request, keyBase64, nowMs = Date.now()) {
	const match = /^HMAC-SHA256\s+SignedHeaders=([^&]+)&Signature=(.+)$/i.exec(request.headers.authorization || '');
	if (!match) return 'The Authorization header is not an HMAC-SHA256 signature.';
	const signedHeaders = match[1].toLowerCase().split(';');
	for (const required of ['host', 'x-ms-content-sha256']) {
		if (!signedHeaders.includes(required)) return `SignedHeaders must include ${required}.`;
	}
	const dateHeader = signedHeaders.includes('x-ms-date') ? 'x-ms-date' : signedHeaders.includes('date') ? 'date' : undefined;
	if (!dateHeader) return 'SignedHeaders must include x-ms-date or date.';
	const values = [];
	for (const name of signedHeaders) {
		const value = request.headers[name];
		if (typeof value !== 'string') return `The signed header ${name} is missing.`;
		values.push(value);
	}
	const sentAt = Date.parse(request.headers[dateHeader]);
	if (Number.isNaN(sentAt)) return `The ${dateHeader} header is not a valid date.`;
	if (Math.abs(nowMs - sentAt) > MAX_CLOCK_SKEW_MS) {
		return `The ${dateHeader} header is more than 15 minutes away from the server time.`;
	}
	const bodyHash = crypto.createHash('sha256').update(request.body).digest('base64');
	if (request.headers['x-ms-content-sha256'] !== bodyHash) return 'The x-ms-content-sha256 header does not match the body.';
	const stringToSign = `${request.method.toUpperCase()}\n${request.url}\n${values.join(';')}`;
	const expected = crypto.createHmac('sha256', hmacKey(keyBase64)).update(stringToSign, 'utf8').digest('base64');
	if (!safeEqual(match[2], expected)) return 'The request signature does not match.';
	return undefined;
}

module.exports = { signToken, verifyToken, tokenUser, verifyHmac, CHAT_SCOPES, ALL_SCOPES };
