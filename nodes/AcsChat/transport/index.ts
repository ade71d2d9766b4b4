import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { UnexpectedError } from 'n8n-workflow';

import { endpointOf, secretsOf } from './credentials';
import { invalidParameterError, toNodeApiError } from './errors';

export const CREDENTIAL_TYPE = 'azureCommunicationServicesApi';

export const DEFAULT_TIMEOUT_MS = 30_000;

function encodePathSegment(value: string): string {
	// URL parsing resolves `.` and `..` segments away (even as %2E), and an empty one changes the route:
	// none of them can name a resource, so they never become part of a path.
	if (value === '' || value === '.' || value === '..') {
		throw new UnexpectedError(`"${value}" cannot be used as an ID in a request path`);
	}
	return encodeURIComponent(value);
}

/**
 * Builds a request path in which every interpolated value is exactly one percent-encoded segment, so an ID
 * containing `/`, `?`, `#` or `..` can never reach another route: acsPath`/chat/threads/${threadId}`.
 */
export function acsPath(literals: TemplateStringsArray, ...ids: string[]): string {
	return literals.reduce((path, literal, index) => path + encodePathSegment(ids[index - 1]) + literal);
}

export interface AcsRequest {
	method: IHttpRequestMethods;
	/** Built with {@link acsPath}. */
	path: string;
	apiVersion: string;
	body?: IDataObject;
	qs?: IDataObject;
}

/**
 * The one place that talks to ACS: resolves the endpoint, applies the credential, sends, and turns every
 * failure into a NodeApiError carrying status and ACS code. Returns the parsed body (undefined for 204).
 */
export async function acsRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	request: AcsRequest,
): Promise<IDataObject | undefined> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = endpointOf(credentials);
	if ('problem' in resolved) {
		throw invalidParameterError(this.getNode(), itemIndex, resolved.field, resolved.problem);
	}
	const secrets = secretsOf(credentials);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${resolved.endpoint}${request.path}`,
		qs: { ...request.qs, 'api-version': request.apiVersion },
		headers: { Accept: 'application/json' },
		json: true,
		timeout: DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
	};
	if (request.body !== undefined) options.body = request.body;

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw toNodeApiError(this.getNode(), error, {
			itemIndex,
			secrets,
			timeoutMs: options.timeout,
		});
	}
	const body = response.body;
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
		return body as IDataObject;
	}
	throw toNodeApiError(
		this.getNode(),
		{ response: { status: 502, statusText: 'Unexpected response', data: body, headers: response.headers } },
		{ itemIndex, secrets },
	);
}
