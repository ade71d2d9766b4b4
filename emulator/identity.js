'use strict';

const crypto = require('node:crypto');
const { send, errors } = require('./respond');
const { signToken, verifyHmac, ALL_SCOPES } = require('./auth');

const API_VERSIONS = ['2023-10-01', '2025-06-30'];
const MIN_MINUTES = 60;
const MAX_MINUTES = 1440;

/** The service writes a 7-digit fraction and a `+00:00` offset (contract §3.2). */
function serviceTimestamp(ms) {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000+00:00');
}

/**
 * Identity operations (create, issue token, revoke tokens, delete), authenticated with the resource's access key (HMAC) as Azure does. Tokens are signed with
 * the key the emulator started with, which the chat API checks them against: rotating the access key leaves
 * issued tokens valid, as in ACS, where the service, not the access key, signs them. Every issued token is
 * recorded, so a test can look for it where it must not be.
 */
function createIdentityApi({ store, key }) {
	let accessKey = key;
	let issued = [];

	/** @returns true when the request may proceed, after answering 400/401 otherwise */
	function begin(ctx) {
		if (!ctx.apiVersion(API_VERSIONS)) return false;
		const reason = verifyHmac({ method: ctx.req.method, url: ctx.req.url, headers: ctx.req.headers, body: ctx.body }, accessKey);
		if (reason) {
			errors.unauthorized(ctx.res, reason);
			return false;
		}
		return true;
	}

	/** @returns the validated lifetime in minutes, or undefined after answering 400 */
	function lifetime(ctx, value) {
		if (value === undefined) return MAX_MINUTES;
		if (Number.isInteger(value) && value >= MIN_MINUTES && value <= MAX_MINUTES) return value;
		errors.badRequest(ctx.res, `expiresInMinutes must be an integer from ${MIN_MINUTES} to ${MAX_MINUTES}.`);
		return undefined;
	}

	/** @returns the scopes, or undefined after answering 400 */
	function scopes(ctx, value, field) {
		if (Array.isArray(value) && value.length > 0 && value.every((s) => ALL_SCOPES.includes(s))) return value;
		errors.badRequest(ctx.res, `${field} must be a non-empty array of ${ALL_SCOPES.join(', ')}.`);
		return undefined;
	}

	function accessToken(userId, tokenScopes, minutes) {
		// Whole seconds, so the JWT `exp` and `expiresOn` name the same instant.
		const expiresOnMs = Math.floor(Date.now() / 1000 + minutes * 60) * 1000;
		const token = signToken({ userId, scopes: tokenScopes, expiresOnMs, resourceId: store.resourceId, generation: store.tokenGeneration(userId) }, key);
		issued.push({ userId, token });
		return { token, expiresOn: serviceTimestamp(expiresOnMs) };
	}

	function echoHeaders(ctx) {
		const id = ctx.req.headers['x-ms-client-request-id'];
		return id ? { 'x-ms-client-request-id': id } : {};
	}

	function createIdentity(ctx) {
		if (!begin(ctx)) return;
		const body = ctx.body.length ? ctx.json() : {};
		if (body === undefined) return;
		if (!body || typeof body !== 'object' || Array.isArray(body)) return errors.badRequest(ctx.res, 'The body must be an object.');
		let token;
		if (body.createTokenWithScopes !== undefined) {
			const tokenScopes = scopes(ctx, body.createTokenWithScopes, 'createTokenWithScopes');
			if (!tokenScopes) return;
			const minutes = lifetime(ctx, body.expiresInMinutes);
			if (minutes === undefined) return;
			token = { tokenScopes, minutes };
		}
		const id = store.createIdentity();
		const result = { identity: { id } };
		if (token) result.accessToken = accessToken(id, token.tokenScopes, token.minutes);
		send(ctx.res, 201, result, echoHeaders(ctx));
	}

	function issueAccessToken(ctx, userId) {
		if (!begin(ctx) || !known(ctx, userId)) return;
		const body = ctx.json();
		if (body === undefined) return;
		const tokenScopes = scopes(ctx, body?.scopes, 'scopes');
		if (!tokenScopes) return;
		const minutes = lifetime(ctx, body.expiresInMinutes);
		if (minutes === undefined) return;
		send(ctx.res, 200, accessToken(userId, tokenScopes, minutes), echoHeaders(ctx));
	}

	/** @returns true when the identity exists, after answering 404 otherwise */
	function known(ctx, userId) {
		if (store.hasIdentity(userId)) return true;
		errors.notFound(ctx.res, `Identity ${userId} was not found.`);
		return false;
	}

	/** Every token issued to the user so far is refused by chat from now on (ACS: within 15 minutes); later ones work. */
	function revokeAccessTokens(ctx, userId) {
		if (!begin(ctx) || !known(ctx, userId)) return;
		store.revokeTokens(userId);
		send(ctx.res, 204, undefined, echoHeaders(ctx));
	}

	/** The identity is gone: its tokens are refused, and it can neither get a token nor join a thread. */
	function deleteIdentity(ctx, userId) {
		if (!begin(ctx) || !known(ctx, userId)) return;
		store.deleteIdentity(userId);
		send(ctx.res, 204, undefined, echoHeaders(ctx));
	}

	const tokens = {
		/** Every token issued since the start or the last reset: [{ userId, token }]. */
		issued: () => issued.map((entry) => ({ ...entry })),
		/** Replaces the access key, as regenerating it in the portal does; resolves with the new one. */
		rotateKey() {
			accessKey = randomKey();
			return accessKey;
		},
		reset() {
			accessKey = key;
			issued = [];
		},
	};

	return { createIdentity, issueAccessToken, revokeAccessTokens, deleteIdentity, tokens };
}

/** 64 random bytes in base64, the shape of a real ACS access key. */
function randomKey() {
	return crypto.randomBytes(64).toString('base64');
}

module.exports = { createIdentityApi };
