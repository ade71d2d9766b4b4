/**
 * Azure Resource Manager requests of the trigger, sent with the service-principal credential through n8n's
 * OAuth2 client-credentials flow, and ARM's answers turned into errors that name the fix. No state: the token
 * lives in the credential, where n8n keeps and renews it.
 */
import type { IDataObject, IHookFunctions, IHttpRequestMethods, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clip } from '../AcsChat/transport/boundedText';
import { httpFailure } from '../AcsChat/transport/errors';
import { armOrigin } from './clouds';

export const SERVICE_PRINCIPAL_CREDENTIAL = 'azureServicePrincipalOAuth2Api';

export const EVENT_GRID_API_VERSION = '2025-02-15';

/** ARM answers within seconds; a request still open after this has failed. */
const TIMEOUT_MS = 30_000;

const MAX_TEXT = 500;

const ROLE = 'EventGrid EventSubscription Contributor';

/** How n8n-core words a failed client-credentials token request (oauth.js, requestOAuth2). */
const TOKEN_FAILURE = 'Failed to acquire OAuth2 access token';

// A GUID, or a verified domain name of the tenant (contoso.onmicrosoft.com).
const TENANT_ID = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/;

/** Where and as whom the trigger talks to ARM, checked before any request. */
export interface ArmTarget {
	origin: string;
	/** Values no error may show: the client secret and the token n8n holds. */
	secrets: string[];
}

function credentialProblem(node: INode, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(node, `The Azure Service Principal credential's ${field} ${problem}`, {
		description: 'Open the credential selected under "Credential for Azure Resource Manager" and correct it.',
	});
}

export async function armTarget(context: IHookFunctions): Promise<ArmTarget> {
	const node = context.getNode();
	const credentials = await context.getCredentials(SERVICE_PRINCIPAL_CREDENTIAL);
	const tenantId = String(credentials.tenantId ?? '').trim();
	if (!TENANT_ID.test(tenantId)) {
		throw credentialProblem(node, 'Tenant ID', 'must be the Directory (tenant) ID, a GUID, or its domain name');
	}
	if (String(credentials.clientId ?? '').trim() === '') throw credentialProblem(node, 'Client ID', 'is empty');
	if (String(credentials.clientSecret ?? '') === '') throw credentialProblem(node, 'Client Secret', 'is empty');
	const origin = armOrigin(credentials);
	if ('problem' in origin) throw credentialProblem(node, origin.field, origin.problem);
	const token = (credentials.oauthTokenData as IDataObject | undefined)?.access_token;
	const secrets = [credentials.clientSecret, token].filter(
		(value): value is string => typeof value === 'string' && value.length >= 4,
	);
	return { origin: origin.origin, secrets };
}

export interface ArmCall {
	method: IHttpRequestMethods;
	/** An ARM path built from checked parts: the resource ID and the subscription name. */
	path: string;
	body?: IDataObject;
	/** What the request does, for the error message: "create Event Grid subscription n8n-… on …". */
	what: string;
	/** Extra values no error may show (the webhook secret of a PUT). */
	secrets?: string[];
}

/** The body ARM answered, or null when it answered 404 and `notFound` is 'null'. */
export async function armRequest(
	context: IHookFunctions,
	target: ArmTarget,
	call: ArmCall,
	notFound: 'throw' | 'null' = 'throw',
): Promise<IDataObject | null> {
	try {
		const answer = (await context.helpers.httpRequestWithAuthentication.call(context, SERVICE_PRINCIPAL_CREDENTIAL, {
			method: call.method,
			url: `${target.origin}${call.path}`,
			qs: { 'api-version': EVENT_GRID_API_VERSION },
			body: call.body,
			json: true,
			timeout: TIMEOUT_MS,
		})) as unknown;
		return answer !== null && typeof answer === 'object' ? (answer as IDataObject) : {};
	} catch (error) {
		if (notFound === 'null' && httpFailure(error).status === 404) return null;
		throw armError(context.getNode(), error, call.what, [...target.secrets, ...(call.secrets ?? [])]);
	}
}

/** Entra ID's answer to a refused token request (client-oauth2's AuthError keeps the body), if that is what failed. */
function tokenRefusal(error: unknown): { code?: string; text?: string } | undefined {
	const chain: IDataObject[] = [];
	for (let link = error as IDataObject | undefined; link && chain.length < 5; link = link.cause as IDataObject | undefined) {
		chain.push(link);
	}
	const body = chain.map((link) => link.body as IDataObject | undefined).find((entry) => typeof entry?.error === 'string');
	if (body) {
		return { code: String(body.error), text: typeof body.error_description === 'string' ? body.error_description : undefined };
	}
	const message = chain.map((link) => link.message).find((text) => typeof text === 'string' && text.startsWith(TOKEN_FAILURE));
	return typeof message === 'string' ? { text: message.slice(TOKEN_FAILURE.length).replace(/^:\s*/, '') } : undefined;
}

const HINTS: Record<number, string> = {
	400: "ARM refused the request. If it names the endpoint or its validation, Event Grid could not reach n8n's webhook URL: it must be a public https URL (set n8n's WEBHOOK_URL to the address the internet reaches n8n at).",
	401: "ARM did not accept the service principal's token. Check the credential's Cloud: a token from one cloud is refused by another's Resource Manager.",
	403: `The service principal may not manage Event Grid subscriptions on this resource. In the Azure portal, open the Communication Services resource → Access control (IAM) → Add role assignment, and give the app registration the role "${ROLE}".`,
	404: "No such Communication Services resource (or the service principal cannot see it). Copy the Resource ID from the resource's Properties page in the Azure portal, and check the credential's tenant is the resource's.",
	409: 'Another change to this subscription is still in progress; activate the workflow again in a minute.',
	429: 'ARM is throttling this service principal; activate the workflow again in a minute.',
};

/**
 * A fresh NodeApiError from plain facts about a failed ARM call (n8n hands a re-wrapped NodeApiError back
 * unchanged, and the original carries the request, Authorization header included). `details` holds what a
 * workflow or a reader needs: httpCode, ARM's code and message.
 */
export function armError(node: INode, error: unknown, what: string, secrets: string[]): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const failure = httpFailure(error);
	const refusal = failure.status === undefined ? tokenRefusal(error) : undefined;
	let message: string;
	let description: string;
	let details: IDataObject;
	if (refusal) {
		const text = clip(refusal.text ?? 'no reason given', secrets, MAX_TEXT);
		details = { httpCode: null, code: refusal.code ?? 'TokenRequestFailed', message: text };
		message = `Entra ID refused the service principal's token request, so the trigger could not ${what}: ${text}`;
		description =
			'Check the Azure Service Principal credential: Tenant ID (Directory ID), Client ID (Application ID), the client secret Value (not its ID, and not expired) and the Cloud.';
	} else if (failure.status !== undefined) {
		const body = failure.data as { error?: { code?: unknown; message?: unknown } } | undefined;
		const code = typeof body?.error?.code === 'string' ? clip(body.error.code, secrets, 100) : `Http${failure.status}`;
		const text = typeof body?.error?.message === 'string' ? clip(body.error.message, secrets, MAX_TEXT) : '';
		details = { httpCode: failure.status, code, message: text };
		message = `Azure Resource Manager answered ${failure.status} ${code} when the trigger tried to ${what}${text ? `: ${text}` : ''}`;
		description = HINTS[failure.status] ?? (failure.status >= 500 ? 'Azure could not process the request right now; activate the workflow again later.' : '');
	} else {
		const text = clip(failure.message ?? 'the request failed', secrets, MAX_TEXT);
		details = { httpCode: null, code: failure.code ?? 'NetworkError', message: text };
		message = `Could not reach Azure Resource Manager to ${what}: ${text}`;
		description = "Check the credential's Cloud (or its Custom hosts) and that this n8n instance can reach them.";
	}
	const apiError = new NodeApiError(node, { message: String(details.message) } as JsonObject, {
		message,
		description,
		httpCode: details.httpCode === null ? undefined : String(details.httpCode),
	});
	// NodeApiError swaps a message naming a network code for stock text, and ARM codes such as ResourceNotFound
	// contain one (ENOTFOUND): the message built here says more, so it is put back.
	apiError.message = message;
	apiError.context.armError = details;
	return apiError;
}
