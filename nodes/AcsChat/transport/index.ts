import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidParameterError } from '../helpers/invalidParameter';
import { resolveCredentials, secretsOf } from './credentials';
import { toNodeApiError } from './errors';
import type { LimitClass } from './limits';
import { bucketKey } from './limits';
import type { RetryOptions } from './retry';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from './retry';
import { runAuthOf } from './runAuth';
import { fingerprintOf } from './sessionRecord';
import { pacerFor } from './throttle';

export { acsPath } from './path';
export type { LimitClass } from './limits';

export const CREDENTIAL_TYPE = 'azureCommunicationServicesApi';

/** Who sends: a node run's item, or the editor listing what a field can pick (listSearch), which has no run to cancel. */
export type AcsContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface AcsRequest {
	method: IHttpRequestMethods;
	/** Built with {@link acsPath}. */
	path: string;
	apiVersion: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Sent besides Accept, e.g. a merge-patch Content-Type or `repeatability-request-id`. */
	headers?: Record<string, string>;
	/**
	 * A list's next page as ACS linked it: sent as it is (it carries api-version and the query), in place of
	 * `path` and `qs`, and only to the endpoint's own origin (the bearer token goes nowhere else).
	 */
	nextLink?: string;
	/** What sending it again could do: 'safe' when a repeat changes nothing more, else 'refusedOnly'. */
	resend: RetryOptions['resend'];
	/** The ACS rate limit it counts against, and the thread for limits counted per thread. */
	limit: LimitClass;
	threadId?: string;
}

/** How one item's requests are sent: handed in by the caller, which reads them from the node's options. */
export interface RequestSettings {
	timeoutMs: number;
	maxRetries: number;
}

/** One item's call: which item it is (errors name it) and how to send. */
export interface ItemCall {
	itemIndex: number;
	settings: RequestSettings;
}

/** The item's credential as stored and as resolved; a credential that cannot be used fails the item before sending. */
export async function itemCredentials(context: AcsContext, itemIndex: number) {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) {
		throw invalidParameterError(context.getNode(), itemIndex, resolved.field, resolved.problem);
	}
	return { credentials, resolved };
}

/** A next-page link, refused unless it points at the endpoint's own origin. */
function nextPageUrl(context: AcsContext, call: ItemCall, endpoint: string, nextLink: string): string {
	const url = URL.canParse(nextLink, endpoint) ? new URL(nextLink, endpoint) : undefined;
	// User info would make n8n send Basic credentials in place of the bearer token.
	if (url?.origin !== endpoint || url.username !== '' || url.password !== '') {
		throw new NodeOperationError(
			context.getNode(),
			`ACS answered item ${call.itemIndex} with a next page on another host; it was not followed, so the bearer token stays with ${endpoint}`,
			{ itemIndex: call.itemIndex },
		);
	}
	return url.href;
}

/**
 * The one place that talks to ACS: resolves the endpoint, hands n8n the credential with a session that matches
 * it, waits for the request's throttle bucket, sends, resends what may be resent, and turns every failure into a
 * NodeApiError carrying status and ACS code. Returns the parsed body (undefined for 204).
 */
export async function acsRequest(
	this: AcsContext,
	call: ItemCall,
	request: AcsRequest,
): Promise<IDataObject | undefined> {
	const { itemIndex, settings } = call;
	const { credentials, resolved } = await itemCredentials(this, itemIndex);
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal?.() : undefined;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.nextLink === undefined ? `${resolved.endpoint}${request.path}` : nextPageUrl(this, call, resolved.endpoint, request.nextLink),
		headers: { Accept: 'application/json', ...request.headers },
		json: true,
		timeout: settings.timeoutMs,
		returnFullResponse: true,
	};
	if (request.nextLink === undefined) options.qs = { ...request.qs, 'api-version': request.apiVersion };
	if (request.body !== undefined) options.body = request.body;
	const retry: RetryOptions = {
		policy: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
		signal,
		pacer: pacerFor(bucketKey(fingerprintOf(resolved), request.limit, request.threadId)),
		run: this,
		resend: request.resend,
	};

	const { outcome, data } = await runAuthOf(this).send(
		resolved,
		credentials,
		{ timeoutMs: settings.timeoutMs, signal, apiVersion: request.apiVersion },
		async (sendWith) =>
			await sendWithRetry(
				async () =>
					(await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
						credentialsDecrypted: { id: '', name: '', type: CREDENTIAL_TYPE, data: sendWith },
						preAuthenticationRetryStatusCode: [],
					})) as IN8nHttpFullResponse,
				retry,
			),
	);
	// A token issued while sending is a secret too.
	const secrets = [...secretsOf(credentials, resolved), ...secretsOf(data, resolved)];
	if (!outcome.ok) {
		throw toNodeApiError(this.getNode(), outcome.error, {
			itemIndex,
			secrets,
			timeoutMs: settings.timeoutMs,
			attempts: outcome.attempts,
			refusedWaitMs: outcome.refusedWaitMs,
			maxWaitMs: retry.policy.maxWaitMs,
			mayHaveBeenSent: outcome.mayHaveBeenSent,
		});
	}
	const { body, statusCode, statusMessage, headers } = outcome.value;
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return body as IDataObject;
	throw toNodeApiError(
		this.getNode(),
		{ response: { status: statusCode, statusText: statusMessage, data: body, headers } },
		{ itemIndex, secrets },
	);
}
