/**
 * The shared secret that proves a delivery comes from the Event Grid subscription: Event Grid does not sign
 * deliveries, so the subscription is made to send a secret the node knows, in a delivery attribute header (the
 * automatic mode sets one; a user may set either in the portal) or as a `secret` query parameter of the endpoint
 * URL (manual mode only). Pure functions, no state.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

export const SECRET_HEADER = 'x-acs-webhook-secret';

export const SECRET_QUERY_PARAMETER = 'secret';

/** 256 random bits, URL-safe: the value of the delivery attribute header of a subscription the node creates. */
export function newSecret(): string {
	return randomBytes(32).toString('base64url');
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares in constant time (over equal-length digests), so the answer's timing tells nothing about the secret. */
export function secretsMatch(sent: string, expected: string): boolean {
	return expected !== '' && timingSafeEqual(digest(sent), digest(expected));
}

function single(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** The secret a delivery carries: the header, or (when allowed) the query parameter; undefined when neither. */
export function sentSecret(
	headers: IDataObject,
	query: IDataObject,
	acceptQueryParameter: boolean,
): string | undefined {
	const header = single(headers[SECRET_HEADER]);
	if (header !== undefined) return header;
	return acceptQueryParameter ? single(query[SECRET_QUERY_PARAMETER]) : undefined;
}
