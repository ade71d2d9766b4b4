import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { invalidParameterError } from '../helpers/invalidParameter';
import { resolveCredentials, secretsOf } from './credentials';
import { toNodeApiError } from './errors';
import { pacerOf, sendWithRetry } from './retry';
import { requestSettings } from './settings';

export { acsPath } from './path';

export const CREDENTIAL_TYPE = 'azureCommunicationServicesApi';

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
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) {
		throw invalidParameterError(this.getNode(), itemIndex, resolved.field, resolved.problem);
	}
	const secrets = secretsOf(credentials, resolved);
	const settings = requestSettings(this, itemIndex);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${resolved.endpoint}${request.path}`,
		qs: { ...request.qs, 'api-version': request.apiVersion },
		headers: { Accept: 'application/json' },
		json: true,
		timeout: settings.timeoutMs,
		returnFullResponse: true,
	};
	if (request.body !== undefined) options.body = request.body;

	const outcome = await sendWithRetry(
		async () =>
			(await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse,
		{ policy: settings.retry, signal: this.getExecutionCancelSignal?.(), pacer: pacerOf(this) },
	);
	if (!outcome.ok) {
		// Read again: a token minted while sending (n8n's preAuthentication) is a secret too.
		const current = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
		throw toNodeApiError(this.getNode(), outcome.error, {
			itemIndex,
			secrets: [...secrets, ...secretsOf(current)],
			timeoutMs: settings.timeoutMs,
			attempts: outcome.attempts,
			refusedWaitMs: outcome.refusedWaitMs,
			maxWaitMs: settings.retry.maxWaitMs,
		});
	}
	const body = outcome.value.body;
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
		return body as IDataObject;
	}
	throw toNodeApiError(
		this.getNode(),
		{ response: { status: 502, statusText: 'Unexpected response', data: body, headers: outcome.value.headers } },
		{ itemIndex, secrets },
	);
}
