import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { typeName } from '../../helpers/idText';
import { describeAcsUserIdProblem } from '../../helpers/identifiers';
import { invalidParameterError } from '../../helpers/invalidParameter';
import type { CheckedParameter } from '../../helpers/parameters';
import { TOKEN_LIFETIME_MINUTES } from '../../transport/credentials';

export const userIdParameter: CheckedParameter = {
	name: 'userId',
	displayName: 'User ID',
	describeProblem: describeAcsUserIdProblem,
};

export const userIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '8:acs:…',
	description: 'The ACS user, as its raw ID (8:acs:…), as User → Create returns it',
};

/** ACS takes 60 to 1440 minutes and issues 1440 when none is asked for. */
const DEFAULT_LIFETIME_MINUTES = TOKEN_LIFETIME_MINUTES.max;

/** The lifetime of a token the node issues. */
export const tokenLifetimeField: INodeProperties = {
	displayName: 'Token Lifetime (Minutes)',
	name: 'expiresInMinutes',
	type: 'number',
	typeOptions: { minValue: TOKEN_LIFETIME_MINUTES.min, maxValue: TOKEN_LIFETIME_MINUTES.max, numberPrecision: 0 },
	default: DEFAULT_LIFETIME_MINUTES,
	description: `How long the token is valid, from ${TOKEN_LIFETIME_MINUTES.min} to ${TOKEN_LIFETIME_MINUTES.max} minutes (24 hours)`,
};

export function getTokenLifetime(context: IExecuteFunctions, itemIndex: number): number {
	const value = context.getNodeParameter('expiresInMinutes', itemIndex, DEFAULT_LIFETIME_MINUTES);
	if (typeof value !== 'number' || !Number.isInteger(value) || value < TOKEN_LIFETIME_MINUTES.min || value > TOKEN_LIFETIME_MINUTES.max) {
		throw invalidParameterError(
			context.getNode(),
			itemIndex,
			{ name: 'expiresInMinutes', displayName: 'Token Lifetime (Minutes)' },
			`must be a whole number from ${TOKEN_LIFETIME_MINUTES.min} to ${TOKEN_LIFETIME_MINUTES.max}, got ${typeof value === 'number' ? value : typeName(value)}`,
		);
	}
	return value;
}
