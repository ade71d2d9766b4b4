/**
 * What the credential's hidden, expirable `sessionToken` field holds: a small JSON record, never a bare word
 * or token, so each meaning has its own shape.
 *   connection string: { for, token, expiresOn }  a chat token n8n issued for the credential's user
 *   access token:      { for }                     the pasted token was checked once; it is sent from its own field
 * `for` is the fingerprint of what the session was made for (mode, endpoint, user, a hash of the access key,
 * lifetime; or a hash of the pasted token). n8n puts the saved value of hidden password fields back when a user
 * edits a credential, so a session outlives the settings it was made for: the transport compares `for` with the
 * credential as it is now and starts a new session when they differ. An empty field, or anything that is not such
 * a record, is no session.
 */
import { createHash } from 'node:crypto';

import type { ResolvedCredentials } from './credentials';

export interface SessionRecord {
	for: string;
	/** The issued chat token (connection-string mode only). */
	token?: string;
	expiresOn?: string;
}

function sha256(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** How a token is named in memory: refused and replaced tokens are remembered by this, never in the clear. */
export function tokenHash(token: string): string {
	return sha256(`token:${token}`);
}

/** Hashes only: the fingerprint is stored beside the token and used as a map key, never a secret in the clear. */
export function fingerprintOf(resolved: ResolvedCredentials): string {
	const parts =
		resolved.mode === 'connectionString'
			? [resolved.mode, resolved.endpoint, resolved.userId, sha256(resolved.accessKey), resolved.lifetimeMinutes]
			: [resolved.mode, resolved.endpoint, sha256(resolved.accessToken)];
	return sha256(JSON.stringify(parts));
}

export function writeSession(record: SessionRecord): string {
	return JSON.stringify(record);
}

export function readSession(value: unknown): SessionRecord | undefined {
	if (typeof value !== 'string' || !value.startsWith('{')) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(value);
	} catch {
		return undefined;
	}
	const record = parsed as Partial<SessionRecord> | null;
	if (!record || typeof record.for !== 'string') return undefined;
	if (record.token !== undefined && (typeof record.token !== 'string' || record.token === '')) return undefined;
	return { for: record.for, token: record.token, expiresOn: record.expiresOn };
}

/** The stored session when it was made for the credential as it is now; undefined when a new one is needed. */
export function currentSession(sessionToken: unknown, resolved: ResolvedCredentials): SessionRecord | undefined {
	const record = readSession(sessionToken);
	if (!record || record.for !== fingerprintOf(resolved)) return undefined;
	if (resolved.mode === 'connectionString' && record.token === undefined) return undefined;
	return record;
}

/** A key naming the token a request was sent with, for remembering which tokens ACS refused. */
export function tokenKeyOf(resolved: ResolvedCredentials, sessionToken: unknown): string | undefined {
	if (resolved.mode === 'accessToken') return fingerprintOf(resolved);
	const token = currentSession(sessionToken, resolved)?.token;
	return token === undefined ? undefined : tokenHash(token);
}
