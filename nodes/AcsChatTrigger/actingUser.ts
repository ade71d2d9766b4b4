/**
 * The ACS user the action node acts as, read from the Azure Communication Services credential, so the trigger
 * can drop the events that user caused (a workflow that replies must not trigger itself). With a connection
 * string it is the credential's User ID; with a pasted access token it is the user the token was issued for,
 * named by the token's `skypeid` claim (the raw ID without its `8:`), as ACS's tokens carry it. No state.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeAcsUserIdProblem } from '../AcsChat/helpers/identifiers';
import { CREDENTIAL_TYPE } from '../AcsChat/transport';
import { resolveCredentials } from '../AcsChat/transport/credentials';

/** The ACS user an access token was issued for, or undefined when it does not say (or is not a JWT). */
export function userOfAccessToken(token: string): string | undefined {
	const payload = token.split('.')[1];
	if (payload === undefined || payload === '') return undefined;
	let claims: unknown;
	try {
		claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
	const skypeId = (claims as { skypeid?: unknown } | null)?.skypeid;
	if (typeof skypeId !== 'string') return undefined;
	const userId = `8:${skypeId}`;
	return describeAcsUserIdProblem(userId) === undefined ? userId : undefined;
}

const TURN_OFF = 'or turn off "Ignore Own Events" if the workflow never acts in the threads it listens to.';

export async function actingUser(context: IHookFunctions | IWebhookFunctions): Promise<string> {
	const node = context.getNode();
	const resolved = resolveCredentials(await context.getCredentials(CREDENTIAL_TYPE));
	if ('problem' in resolved) {
		throw new NodeOperationError(node, `${resolved.field.displayName} ${resolved.problem}`, {
			description: `"Ignore Own Events" reads the acting ACS user from this credential: correct it, ${TURN_OFF}`,
		});
	}
	if (resolved.mode === 'connectionString') return resolved.userId;
	const user = userOfAccessToken(resolved.accessToken);
	if (user === undefined) {
		throw new NodeOperationError(node, 'The acting ACS user is unknown: the credential\'s access token does not name its user', {
			description: `"Ignore Own Events" needs to know which user's events to drop. Use a token issued by ACS (it names its user), switch the credential to Connection String mode (it names the User ID), ${TURN_OFF}`,
		});
	}
	return user;
}
