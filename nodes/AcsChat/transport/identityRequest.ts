import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AcsErrorDetails } from '../helpers/invalidParameter';
import type { ItemCall } from './index';
import { itemCredentials } from './index';
import { secretsOf } from './credentials';
import { toNodeApiError } from './errors';
import { signedRequest } from './identity';
import { bucketKey } from './limits';
import type { Resend } from './retry';
import { DEFAULT_RETRY_POLICY, sendWithRetry } from './retry';
import { fingerprintOf } from './sessionRecord';
import { pacerFor } from './throttle';

export interface IdentityRequest {
	method: IHttpRequestMethods;
	/** Built with acsPath. */
	path: string;
	body?: IDataObject;
	/**
	 * The call takes no body at all (revoke, delete), so no Content-Type is sent, as the SDK sends none; without
	 * a body, others (create a user) still declare JSON, as the SDK does.
	 */
	bodyless?: true;
	resend: Resend;
	/**
	 * The text fields (dotted paths, e.g. `identity.id`) a successful answer must hold; without one the item fails,
	 * as the answer cannot be what the request asked for.
	 */
	answers?: string[];
}

function textAt(body: IDataObject, path: string): string | undefined {
	const value = path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as IDataObject)[key] : undefined), body);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A 2xx answer that is not what was asked for. Unlike other unreadable answers, none of it is shown: an Identity
 * answer can hold an access token, and a token the user asked for belongs in the output only, never in an error.
 */
function unreadableAnswer(node: INode, itemIndex: number, status: number, what: string): NodeApiError {
	const details: AcsErrorDetails = { httpCode: status, code: 'UnexpectedResponse', message: `The answer ${what}` };
	const error = new NodeApiError(node, { message: details.message } as JsonObject, {
		message: `The Identity API answered ${status}, but the answer ${what}`,
		description:
			'The request may have been carried out (a user created, a token issued), but its answer could not be read. It is not shown, because it may hold an access token.',
		httpCode: String(status),
		itemIndex,
	});
	error.context.acsError = details;
	return error;
}

/**
 * A call to the Identity API (users and their tokens), signed with the credential's access key, paced in the
 * identity's own bucket, resent by the same rules as chat requests, with failures mapped the same way. Only a
 * connection-string credential holds a key; with a pasted token the item fails before anything is sent. Returns
 * the answer's JSON object (undefined for 204), checked to hold `answers`.
 */
export async function identityRequest(
	this: IExecuteFunctions,
	call: ItemCall,
	request: IdentityRequest,
): Promise<IDataObject | undefined> {
	const { itemIndex, settings } = call;
	const { credentials, resolved } = await itemCredentials(this, itemIndex);
	if (resolved.mode !== 'connectionString') {
		throw new NodeOperationError(
			this.getNode(),
			`The User operations in item ${itemIndex} need a credential that uses a Connection String`,
			{
				itemIndex,
				description:
					'Creating users and issuing or revoking their tokens is signed with the resource access key. A pasted user access token cannot do it: set the credential’s Authentication to Connection String (Keys page of the Communication Services resource).',
			},
		);
	}
	const signal = this.getExecutionCancelSignal?.();
	const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries };
	const outcome = await sendWithRetry(
		async () => {
			const signed = signedRequest({ ...resolved, ...request }, settings.timeoutMs, signal);
			// Content-Type is not signed: leaving it out changes no signature.
			if (request.bodyless) delete signed.headers?.['Content-Type'];
			return (await this.helpers.httpRequest({ ...signed, returnFullResponse: true })) as IN8nHttpFullResponse;
		},
		{ policy, signal, pacer: pacerFor(bucketKey(fingerprintOf(resolved), 'identity', undefined)), run: this, resend: request.resend },
	);
	const secrets = secretsOf(credentials, resolved);
	if (!outcome.ok) {
		throw toNodeApiError(this.getNode(), outcome.error, {
			itemIndex,
			secrets,
			timeoutMs: settings.timeoutMs,
			attempts: outcome.attempts,
			refusedWaitMs: outcome.refusedWaitMs,
			maxWaitMs: policy.maxWaitMs,
			mayHaveBeenSent: outcome.mayHaveBeenSent,
		});
	}
	const { body, statusCode } = outcome.value;
	const empty = body === undefined || body === null || body === '';
	if (!empty && (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))) {
		throw unreadableAnswer(this.getNode(), itemIndex, statusCode, 'is not a JSON object');
	}
	const answer = empty ? undefined : (body as IDataObject);
	const missing = request.answers?.find((path) => answer === undefined || textAt(answer, path) === undefined);
	if (missing !== undefined) throw unreadableAnswer(this.getNode(), itemIndex, statusCode, `has no ${missing}`);
	return answer;
}
