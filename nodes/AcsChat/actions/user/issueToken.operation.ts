import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { identityOptions } from '../../descriptions/options';
import { invalidParameterError } from '../../helpers/invalidParameter';
import { getCheckedString } from '../../helpers/parameters';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { identityRequest } from '../../transport/identityRequest';
import { getTokenLifetime, tokenLifetimeField, userIdField, userIdParameter } from './fields';

/** The scopes of the Identity API (2023-10-01). */
const SCOPES = [
	{ name: 'Chat', value: 'chat', description: 'Everything in chat threads the user takes part in' },
	{ name: 'Chat Join', value: 'chat.join', description: 'Chat, but no creating, updating or deleting threads' },
	{ name: 'Chat Join Limited', value: 'chat.join.limited', description: 'Chat Join, and no adding or removing participants' },
	{ name: 'VoIP', value: 'voip', description: 'Calls' },
	{ name: 'VoIP Join', value: 'voip.join', description: 'Joining existing calls only' },
];

const scopesParameter = { name: 'scopes', displayName: 'Scopes' };

const properties: INodeProperties[] = [
	userIdField,
	{
		displayName: 'Scopes',
		name: 'scopes',
		type: 'multiOptions',
		options: SCOPES,
		default: ['chat'],
		required: true,
		description: 'What the token allows',
	},
	tokenLifetimeField,
	identityOptions(),
];

export const option = {
	name: 'Issue Token',
	value: 'issueToken',
	description: 'Issue an access token for an ACS user (Identity API)',
	action: 'Issue an access token (in the output) for an ACS user by raw ID (8:acs:…)',
};

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['issueToken'] } }, properties);

function getScopes(context: IExecuteFunctions, itemIndex: number): string[] {
	const scopes = context.getNodeParameter('scopes', itemIndex, ['chat']);
	const fail = (problem: string) => invalidParameterError(context.getNode(), itemIndex, scopesParameter, problem);
	if (!Array.isArray(scopes) || scopes.length === 0) throw fail('must name at least one scope');
	const known = SCOPES.map((scope) => scope.value);
	const unknown = scopes.find((scope) => !known.includes(scope as string));
	if (unknown !== undefined) throw fail(`may only hold ${known.join(', ')}, got ${JSON.stringify(unknown)}`);
	return scopes as string[];
}

/** POST /identities/{id}/:issueAccessToken with `scopes` and the lifetime. A repeat only issues one more token. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const userId = getCheckedString(this, itemIndex, userIdParameter);
	const scopes = getScopes(this, itemIndex);
	const expiresInMinutes = getTokenLifetime(this, itemIndex);
	const answer = (await identityRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/identities/${userId}/:issueAccessToken`,
		body: { scopes, expiresInMinutes },
		resend: 'safe',
		answers: ['token', 'expiresOn'],
	})) as { token: string; expiresOn: string };
	return { userId, scopes, token: answer.token, expiresOn: answer.expiresOn };
}
