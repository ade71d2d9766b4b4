import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { identityOptions } from '../../descriptions/options';
import { getCheckedString } from '../../helpers/parameters';
import type { ItemCall } from '../../transport';
import { acsPath } from '../../transport';
import { identityRequest } from '../../transport/identityRequest';
import { userIdField, userIdParameter } from './fields';

const properties: INodeProperties[] = [userIdField, identityOptions()];

export const option = {
	name: 'Revoke Tokens',
	value: 'revokeTokens',
	description: 'Revoke every access token of an ACS user (Identity API); ACS may take up to 15 minutes',
	action: 'Revoke every access token of an ACS user by raw ID (8:acs:…, from Create User)',
};

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['revokeTokens'] } }, properties);

/** POST /identities/{id}/:revokeAccessTokens → 204. Revoking again changes nothing more. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const userId = getCheckedString(this, itemIndex, userIdParameter);
	await identityRequest.call(this, call, {
		method: 'POST',
		path: acsPath`/identities/${userId}/:revokeAccessTokens`,
		bodyless: true,
		resend: 'safe',
	});
	return { revoked: true, userId };
}
