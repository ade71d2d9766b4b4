import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeEndpoint } from './endpoint';

/** The one credential field a problem is reported against, named as the credential form shows it. */
export interface CredentialProblem {
	field: { name: string; displayName: string };
	problem: string;
}

/** Where requests go, from either authentication mode of the credential. */
export function endpointOf(credentials: ICredentialDataDecryptedObject): { endpoint: string } | CredentialProblem {
	const resolved = normalizeEndpoint(credentials.endpoint);
	return 'problem' in resolved
		? { field: { name: 'endpoint', displayName: 'The credential Endpoint' }, problem: resolved.problem }
		: resolved;
}

/** Every value of the credential that must never appear in an output, error or log. */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.accessToken]
		.filter((value): value is string => typeof value === 'string')
		.map((value) => value.trim())
		.filter((value) => value.length >= 4);
}
