import type { IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { signRequest } from './accessKey';
import { acsPath } from './path';

export const IDENTITY_API_VERSION = '2023-10-01';

export interface IssuedToken {
	token: string;
	expiresOn: string;
}

/**
 * POST /identities/{id}/:issueAccessToken, signed with the resource access key: a `chat` token for one
 * existing ACS user. The body is serialised once, because the signature covers exactly the bytes sent.
 */
export async function issueChatToken(
	helpers: IHttpRequestHelper['helpers'],
	request: { endpoint: string; accessKey: string; userId: string; lifetimeMinutes: number },
	sending: { timeoutMs: number; signal?: AbortSignal },
): Promise<IssuedToken> {
	const url = `${request.endpoint}${acsPath`/identities/${request.userId}/:issueAccessToken`}?api-version=${IDENTITY_API_VERSION}`;
	const body = JSON.stringify({ scopes: ['chat'], expiresInMinutes: request.lifetimeMinutes });
	const { host: _host, ...signature } = signRequest({ method: 'POST', url, body, accessKey: request.accessKey });
	const response = (await helpers.httpRequest({
		method: 'POST',
		url,
		body,
		headers: { ...signature, 'Content-Type': 'application/json', Accept: 'application/json' },
		json: true,
		timeout: sending.timeoutMs,
		abortSignal: sending.signal,
	})) as IDataObject;
	return {
		token: typeof response?.token === 'string' ? response.token : '',
		expiresOn: typeof response?.expiresOn === 'string' ? response.expiresOn : '',
	};
}
