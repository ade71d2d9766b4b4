/**
 * Token sessions, opened by n8n's preAuthentication when the hidden session field is empty and in the credential
 * test. With a connection string a session is a chat token issued for the configured user; with a pasted access
 * token it is the record that the token was checked once. Either is stored as a SessionRecord (sessionRecord.ts).
 *
 * State, per process and keyed by the credential's fingerprint: the request in flight (parallel items that all
 * need a session share one identity call) and the last token issued, with the hashes of the tokens it is known to
 * be newer than (a run that was refused one of those, after another run in this process already replaced it, takes
 * the new one instead of issuing a third). A refused token this process does not know to be older is never
 * answered with the last one: in n8n's queue mode each worker is a process of its own, the credential row they
 * share may hold a token another worker issued after this one's, and a revocation refuses both (measured in
 * e2e/queue: handing back the older token failed a third of the items). Nothing here holds a secret in the clear
 * as a key.
 *
 * The node's transport hands n8n its own copy of the credential data; `sessionContext` attaches to that copy what
 * the hook cannot otherwise know: the item's timeout and cancel signal, the chat API version, and which token is
 * being replaced. The credential test has no such copy and uses the defaults.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import type { ResolvedCredentials } from './credentials';
import { resolveCredentials } from './credentials';
import { issueChatToken } from './identity';
import { fingerprintOf, tokenHash, writeSession } from './sessionRecord';

type Helpers = IHttpRequestHelper['helpers'];

export interface SessionContext {
	timeoutMs: number;
	signal?: AbortSignal;
	/** The chat API version the token check calls. */
	apiVersion: string;
	/** The token a refused request was sent with: it must not be handed out again. */
	replacing?: string;
}

/** Used where no node run is behind the call (the credential test): one quick request, no cancellation. */
export const DEFAULT_SESSION_CONTEXT: SessionContext = { timeoutMs: 30_000, apiVersion: '2024-03-07' };

const contexts = new WeakMap<ICredentialDataDecryptedObject, SessionContext>();

export function sessionContext(credentials: ICredentialDataDecryptedObject, context: SessionContext): void {
	contexts.set(credentials, context);
}

/** A token issued less than this long ago by another caller is handed out instead of issuing again. */
const REUSE_WINDOW_MS = 5 * 60_000;

const inFlight = new Map<string, Promise<string>>();
const lastIssued = new Map<string, { tokenHash: string; session: string; at: number; newerThan: string[] }>();
/** How many older token hashes the last issued token keeps; a run holds a token at most a few issues old. */
const NEWER_THAN_KEPT = 8;

/**
 * The error for a refused check or token request. Its message is what n8n's credential test shows, so it carries
 * the service's own words. The answer rides in `cause`, not on the error itself, so that nothing up the chain
 * takes it for an expired token and asks again at once; the transport still maps it like any other answer. Only
 * status, text, headers and body are kept, never the request's headers.
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

async function checkAccessToken(
	helpers: Helpers,
	resolved: Extract<ResolvedCredentials, { mode: 'accessToken' }>,
	context: SessionContext,
): Promise<void> {
	try {
		await helpers.httpRequest({
			method: 'GET',
			url: `${resolved.endpoint}/chat/threads`,
			qs: { 'api-version': context.apiVersion, maxPageSize: 1 },
			headers: { Authorization: `Bearer ${resolved.accessToken}`, Accept: 'application/json' },
			json: true,
			timeout: context.timeoutMs,
			abortSignal: context.signal,
		});
	} catch (error) {
		throw rejected(
			error,
			'ACS rejected the access token; user access tokens live at most 24 hours, so issue a new one',
		);
	}
}

async function issue(
	helpers: Helpers,
	resolved: Extract<ResolvedCredentials, { mode: 'connectionString' }>,
	context: SessionContext,
): Promise<{ token: string; expiresOn: string }> {
	let issued: { token: string; expiresOn: string };
	try {
		issued = await issueChatToken(helpers, resolved, context);
	} catch (error) {
		throw rejected(error, `Could not issue a chat token for ${resolved.userId} with the connection string's access key`);
	}
	if (issued.token === '') {
		throw new Error(`ACS answered the token request for ${resolved.userId} without a token; nothing was stored`);
	}
	return issued;
}

async function open(
	helpers: Helpers,
	resolved: ResolvedCredentials,
	fingerprint: string,
	context: SessionContext,
): Promise<string> {
	if (resolved.mode === 'accessToken') {
		await checkAccessToken(helpers, resolved, context);
		return writeSession({ for: fingerprint });
	}
	const { token, expiresOn } = await issue(helpers, resolved, context);
	const session = writeSession({ for: fingerprint, token, expiresOn });
	// Known older: the refused token this one replaces, and whatever this process issued before it.
	const previous = lastIssued.get(fingerprint);
	const older = [context.replacing, previous?.tokenHash, ...(previous?.newerThan ?? [])].filter((hash): hash is string => hash !== undefined);
	lastIssued.set(fingerprint, { tokenHash: tokenHash(token), session, at: Date.now(), newerThan: [...new Set(older)].slice(0, NEWER_THAN_KEPT) });
	return session;
}

/**
 * n8n's preAuthentication. Returns the new value of the session field; concurrent calls for the same credential
 * share one request.
 */
export async function openSession(
	helpers: Helpers,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ sessionToken: string }> {
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) throw new Error(`${resolved.field.displayName} ${resolved.problem}`);
	const context = contexts.get(credentials) ?? DEFAULT_SESSION_CONTEXT;
	const fingerprint = fingerprintOf(resolved);

	if (resolved.mode === 'connectionString') {
		const recent = lastIssued.get(fingerprint);
		const replacesOlder = context.replacing === undefined || recent?.newerThan.includes(context.replacing);
		if (recent && replacesOlder && Date.now() - recent.at < REUSE_WINDOW_MS) {
			return { sessionToken: recent.session };
		}
	}
	let pending = inFlight.get(fingerprint);
	if (!pending) {
		pending = open(helpers, resolved, fingerprint, context).finally(() => inFlight.delete(fingerprint));
		inFlight.set(fingerprint, pending);
	}
	return { sessionToken: await pending };
}
