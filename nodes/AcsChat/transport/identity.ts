import type { IDataObject, IHttpRequestHelper, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { signRequest } from './accessKey';
import { acsPath } from './path';

export const IDENTITY_API_VERSION = '2023-10-01';

export interface IssuedToken {
	token: string;
	expiresOn: string;
}

export interface SignedCall {
	endpoint: string;
	accessKey: string;
	method: IHttpRequestMethods;
	/** Built with {@link acsPath}. */
	path: string;
	/** Sent as JSON; omitted for calls without a body. */
	body?: IDataObject;
}

/**
 * A request to the Identity API, signed with the resource access key. The body is serialised once, because the
 * signature covers exactly the bytes sent; it is signed afresh for every send (`x-ms-date` is part of it).
 */
export function signedRequest(call: SignedCall, timeoutMs: number, signal?: AbortSignal): IHttpRequestOptions {
	const url = `${call.endpoint}${call.path}?api-version=${IDENTITY_API_VERSION}`;
	const body = call.body === undefined ? '' : JSON.stringify(call.body);
	const { host: _host, ...signature } = signRequest({ method: call.method, url, body, accessKey: call.accessKey });
	const options: IHttpRequestOptions = {
		method: call.method,
		url,
		headers: { ...signature, 'Content-Type': 'application/json', Accept: 'application/json' },
		json: true,
		timeout: timeoutMs,
		abortSignal: signal,
	};
	if (body !== '') options.body = body;
	return options;
}

/** POST /identities/{id}/:issueAccessToken: a `chat` token for one existing ACS user (the credential's own). */
export async function issueChatToken(
	helpers: IHttpRequestHelper['helpers'],
	request: { endpoint: string; accessKey: string; userId: string; lifetimeMinutes: number },
	sending: { timeoutMs: number; signal?: AbortSignal },
): Promise<IssuedToken> {
	const response = (await helpers.httpRequest(
		signedRequest(
			{
				...request,
				method: 'POST',
				path: acsPath`/identities/${request.userId}/:issueAccessToken`,
				body: { scopes: ['chat'], expiresInMinutes: request.lifetimeMinutes },
			},
			sending.timeoutMs,
			sending.signal,
		),
	)) as IDataObject;
	return {
		token: typeof response?.token === 'string' ? response.token : '',
		expiresOn: typeof response?.expiresOn === 'string' ? response.expiresOn : '',
	};
}
