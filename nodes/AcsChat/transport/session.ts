import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import type { ResolvedCredentials } from './credentials';
import { resolveCredentials } from './credentials';
import { issueChatToken } from './identity';

type Helpers = IHttpRequestHelper['helpers'];

/** What n8n stores in the credential's hidden expirable field. */
export interface Session extends IDataObject {
	sessionToken: string;
}

/** A token minted in this process, kept so a burst of 401s from parallel items mints once, not per item. */
interface Minted {
	token: string;
	at: number;
}

/** A token younger than this was minted by a concurrent refresh and is handed out instead of minting again. */
const REUSE_WINDOW_MS = 5 * 60_000;

const inFlight = new Map<string, Promise<Session>>();
const lastMinted = new Map<string, Minted>();

function keyOf(resolved: ResolvedCredentials): string {
	// Hashed so the map never holds a secret in the clear.
	const identity =
		resolved.mode === 'connectionString'
			? [resolved.endpoint, resolved.accessKey, resolved.userId, resolved.lifetimeMinutes]
			: [resolved.endpoint, resolved.accessToken];
	return createHash('sha256').update(JSON.stringify([resolved.mode, ...identity])).digest('hex');
}

/**
 * The error for a refused check or token request. Its message is what n8n's credential test shows, so it carries
 * the service's own words. The answer rides in `cause`, not on the error itself: n8n would take a `response` with
 * a 401 as "token expired" and ask again at once, sending the same refused request twice; the transport still
 * maps it like any other answer. Only status, text, headers and body are kept, never the request's headers.
 */
function rejected(error: unknown, what: string): Error {
	const response = (error as { response?: IDataObject }).response;
	if (!response) return error as Error;
	const body = response.data as { error?: { code?: string; message?: string } } | undefined;
	const status = `${String(response.status)} ${body?.error?.code ?? String(response.statusText ?? '')}`.trim();
	const text = `${what} (${status})${body?.error?.message ? `: ${body.error.message}` : ''}`;
	const { status: code, statusText, headers, data } = response;
	return new Error(text, { cause: { response: { status: code, statusText, headers, data } } });
}

async function verifyAccessToken(helpers: Helpers, endpoint: string, accessToken: string): Promise<void> {
	try {
		await helpers.httpRequest({
			method: 'GET',
			url: `${endpoint}/chat/threads`,
			qs: { 'api-version': '2024-03-07', maxPageSize: 1 },
			headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
			json: true,
			timeout: 30_000,
		});
	} catch (error) {
		throw rejected(
			error,
			'ACS rejected the access token; user access tokens live at most 24 hours, so issue a new one',
		);
	}
}

async function open(helpers: Helpers, resolved: ResolvedCredentials): Promise<Session> {
	if (resolved.mode === 'accessToken') {
		await verifyAccessToken(helpers, resolved.endpoint, resolved.accessToken);
		// The pasted token is what gets sent; this only records that it was checked, so n8n does not ask again.
		return { sessionToken: 'verified' };
	}
	try {
		const { token } = await issueChatToken(helpers, resolved);
		return { sessionToken: token };
	} catch (error) {
		throw rejected(error, `Could not issue a chat token for ${resolved.userId} with the connection string's access key`);
	}
}

/**
 * n8n's preAuthentication: runs when the hidden session field is empty, after a 401, and in the credential
 * test. With an access token it checks the token once against the chat service; with a connection string it
 * mints a chat token for the configured user. Concurrent calls for the same credential share one request, and
 * a caller still holding a token older than one just minted gets the new one instead of minting again.
 */
export async function openSession(
	helpers: Helpers,
	credentials: ICredentialDataDecryptedObject,
): Promise<Session> {
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) throw new Error(`${resolved.field.displayName} ${resolved.problem}`);
	const key = keyOf(resolved);

	const recent = lastMinted.get(key);
	if (recent && recent.token !== credentials.sessionToken && Date.now() - recent.at < REUSE_WINDOW_MS) {
		return { sessionToken: recent.token };
	}
	let pending = inFlight.get(key);
	if (!pending) {
		pending = open(helpers, resolved)
			.then((session) => {
				if (resolved.mode === 'connectionString') {
					lastMinted.set(key, { token: session.sessionToken, at: Date.now() });
				}
				return session;
			})
			.finally(() => inFlight.delete(key));
		inFlight.set(key, pending);
	}
	return await pending;
}
