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
	name: 'Delete',
	value: 'delete',
	description: 'Delete an ACS user and revoke all its tokens (Identity API)',
	action: 'Delete an ACS user and revoke all its tokens, by raw ID (8:acs:…, from Create User)',
};

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

/** DELETE /identities/{id} → 204. Deleting a deleted user changes nothing more. */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const userId = getCheckedString(this, itemIndex, userIdParameter);
	await identityRequest.call(this, call, {
		method: 'DELETE',
		path: acsPath`/identities/${userId}`,
		bodyless: true,
		resend: 'safe',
	});
	return { deleted: true, userId };
}
