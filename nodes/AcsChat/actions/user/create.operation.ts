import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { identityOptions } from '../../descriptions/options';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { identityRequest } from '../../transport/identityRequest';
import { getTokenLifetime, tokenLifetimeField } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Issue a Chat Token',
		name: 'issueToken',
		type: 'boolean',
		default: false,
		description: 'Whether to issue the new user an access token with the chat scope in the same request. The token appears in the output.',
	},
	{ ...tokenLifetimeField, displayOptions: { show: { issueToken: [true] } } },
	identityOptions(),
];

export const option = {
	name: 'Create',
	value: 'create',
	description: 'Create an ACS user (Identity API), optionally with a chat access token',
	action: 'Create an ACS user, optionally with a chat access token; returns its raw ID (8:acs:…)',
};

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['create'] } }, properties);

/**
 * POST /identities: CommunicationIdentityCreateRequest, empty for a user alone (as the SDK's createUser sends it),
 * else `createTokenWithScopes: ['chat']` and the lifetime. Creating is not safe to repeat (a second user), so it is
 * resent only after a refusal that proves nothing was created.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const withToken = this.getNodeParameter('issueToken', itemIndex, false) === true;
	const body = withToken ? { createTokenWithScopes: ['chat'], expiresInMinutes: getTokenLifetime(this, itemIndex) } : undefined;
	const answer = (await identityRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/identities`,
		body,
		resend: 'refusedOnly',
		answers: withToken ? ['identity.id', 'accessToken.token', 'accessToken.expiresOn'] : ['identity.id'],
	})) as { identity: { id: string }; accessToken?: { token: string; expiresOn: string } };
	const userId = answer.identity.id;
	return answer.accessToken ? { userId, token: answer.accessToken.token, expiresOn: answer.accessToken.expiresOn } : { userId };
}
