import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { describeAcsUserIdProblem } from '../helpers/identifiers';
import { parseConnectionString } from './accessKey';
import { parseEndpoint } from './endpoint';
import { readSession } from './sessionRecord';

export const TOKEN_LIFETIME_MINUTES = { min: 60, max: 1440 };

/** One credential field a problem is reported against, named as the credential form shows it. */
export interface CredentialProblem {
	field: { name: string; displayName: string };
	problem: string;
}

export type ResolvedCredentials =
	| { mode: 'accessToken'; endpoint: string; accessToken: string }
	| { mode: 'connectionString'; endpoint: string; accessKey: string; userId: string; lifetimeMinutes: number };

function problem(name: string, displayName: string, text: string): CredentialProblem {
	return { field: { name, displayName: `The credential ${displayName}` }, problem: text };
}

function userIdProblem(value: unknown): string | undefined {
	return describeAcsUserIdProblem(typeof value === 'string' ? value.trim() : value);
}

/**
 * Everything a request needs from the credential, checked before anything is sent, in either
 * authentication mode; credentials saved before the mode existed have none and use the access token.
 */
export function resolveCredentials(
	credentials: ICredentialDataDecryptedObject,
): ResolvedCredentials | CredentialProblem {
	if (credentials.authentication !== 'connectionString') {
		const resolved = parseEndpoint(credentials.endpoint);
		if ('problem' in resolved) return problem('endpoint', 'Endpoint', resolved.problem);
		const accessToken = typeof credentials.accessToken === 'string' ? credentials.accessToken.trim() : '';
		if (accessToken === '') {
			return problem('accessToken', 'Access Token', 'is empty: paste a user access token with the chat scope');
		}
		return { mode: 'accessToken', endpoint: resolved.endpoint, accessToken };
	}
	let parsed: { endpoint: string; accessKey: string };
	try {
		parsed = parseConnectionString(credentials.connectionStringSecret);
	} catch (error) {
		// parseConnectionString never puts the key or the string in its messages.
		const text = (error as Error).message.replace(/^Connection string\s*/, '');
		return problem('connectionStringSecret', 'Connection String', text);
	}
	const userProblem = userIdProblem(credentials.userId);
	if (userProblem) return problem('userId', 'User ID', userProblem);
	const lifetime = Number(credentials.expiresInMinutes ?? TOKEN_LIFETIME_MINUTES.max);
	if (!Number.isInteger(lifetime) || lifetime < TOKEN_LIFETIME_MINUTES.min || lifetime > TOKEN_LIFETIME_MINUTES.max) {
		return problem(
			'expiresInMinutes',
			'Token Lifetime (Minutes)',
			`must be a whole number from ${TOKEN_LIFETIME_MINUTES.min} to ${TOKEN_LIFETIME_MINUTES.max}`,
		);
	}
	return {
		mode: 'connectionString',
		...parsed,
		userId: String(credentials.userId).trim(),
		lifetimeMinutes: lifetime,
	};
}

/**
 * Every value of the credential that must never appear in an output, error or log. A caller that has already
 * resolved the credential passes the result, so the connection string is not parsed twice per item.
 */
export function secretsOf(
	credentials: ICredentialDataDecryptedObject,
	resolved: ResolvedCredentials | CredentialProblem = resolveCredentials(credentials),
): string[] {
	const secrets = [credentials.accessToken, credentials.connectionStringSecret, readSession(credentials.sessionToken)?.token]
		.filter((value): value is string => typeof value === 'string')
		.map((value) => value.trim());
	if ('accessKey' in resolved) secrets.push(resolved.accessKey);
	return secrets.filter((value) => value.length >= 4);
}
