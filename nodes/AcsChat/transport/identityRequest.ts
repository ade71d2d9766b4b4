import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidParameterError } from '../helpers/invalidParameter';
import type { ItemCall } from './index';
import { CREDENTIAL_TYPE } from './index';
import { resolveCredentials, secretsOf } from './credentials';
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
	resend: Resend;
}

/**
 * A call to the Identity API (users and their tokens), signed with the credential's access key, paced in the
 * identity's own bucket, resent by the same rules as chat requests, with failures mapped the same way. Only a
 * connection-string credential holds a key; with a pasted token the item fails before anything is sent.
 */
export async function identityRequest(
	this: IExecuteFunctions,
	call: ItemCall,
	request: IdentityRequest,
): Promise<IDataObject | undefined> {
	const { itemIndex, settings } = call;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const resolved = resolveCredentials(credentials);
	if ('problem' in resolved) {
		throw invalidParameterError(this.getNode(), itemIndex, resolved.field, resolved.problem);
	}
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
		async () =>
			(await this.helpers.httpRequest({
				...signedRequest({ ...resolved, ...request }, settings.timeoutMs, signal),
				returnFullResponse: true,
			})) as IN8nHttpFullResponse,
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
	const { body, statusCode, statusMessage, headers } = outcome.value;
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return body as IDataObject;
	throw toNodeApiError(
		this.getNode(),
		{ response: { status: statusCode, statusText: statusMessage, data: body, headers } },
		{ itemIndex, secrets },
	);
}
