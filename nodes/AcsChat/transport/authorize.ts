import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { resolveCredentials } from './credentials';
import { currentSession } from './sessionRecord';

/**
 * The credential's `authenticate`: puts the bearer token on a request, after n8n's preAuthentication has opened
 * the session. A request with a relative URL (the credential test's) is sent to the endpoint as the node parses
 * it, so no URL is ever built from unparsed input; a request to any other origin gets no token. Errors name the
 * credential field and never repeat its value.
 */
export async function authorize(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) throw new Error(`${resolved.field.displayName} ${resolved.problem}`);

	const options = { ...requestOptions, headers: { ...requestOptions.headers } };
	if (!options.baseURL && options.url.startsWith('/')) options.baseURL = resolved.endpoint;
	const target = URL.canParse(options.url, options.baseURL) ? new URL(options.url, options.baseURL) : undefined;
	if (target?.origin !== resolved.endpoint) {
		throw new Error('The ACS token is only sent to the credential’s endpoint, and this request goes elsewhere');
	}

	let token: string;
	if (resolved.mode === 'accessToken') {
		token = resolved.accessToken;
	} else {
		const session = currentSession(credentials.sessionToken, resolved);
		if (session?.token === undefined) {
			throw new Error('No chat token has been issued for the credential as it is now; run the node again');
		}
		token = session.token;
	}
	options.headers.Authorization = `Bearer ${token}`;
	return options;
}
