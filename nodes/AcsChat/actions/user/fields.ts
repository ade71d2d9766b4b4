import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { quoteId, typeName } from '../../helpers/idText';
import { describeRawIdProblem, identifierKind, identifierModelFromRawId } from '../../helpers/identifiers';
import { invalidParameterError } from '../../helpers/invalidParameter';
import type { CheckedParameter } from '../../helpers/parameters';
import { TOKEN_LIFETIME_MINUTES } from '../../transport/credentials';

/** Why a value is not an ACS user of a resource (the only identities the Identity API manages), or undefined. */
function describeAcsUserProblem(value: unknown): string | undefined {
	const problem = describeRawIdProblem(value);
	if (problem !== undefined) return problem;
	if (identifierKind(identifierModelFromRawId(value as string)) !== 'communicationUser') {
		return `must be an ACS user (8:acs:…) of this resource, got ${quoteId(value as string, 120)}`;
	}
	return undefined;
}

export const userIdParameter: CheckedParameter = {
	name: 'userId',
	displayName: 'User ID',
	describeProblem: describeAcsUserProblem,
};

export const userIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '8:acs:…',
	description: 'The ACS user, as its raw ID (8:acs:…) from User → Create',
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
