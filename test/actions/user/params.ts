import { createHash, createHmac } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ACCESS_KEY, connectionStringCredential } from '../../fixtures/identity';
import type { RunOptions, RunResult } from '../../harness/runNode';
import { BASE_URL, runAcsChat } from '../../harness/runNode';

export const NEW_USER = '8:acs:5e1ec7ed-0000-4000-8000-00000000ac5e_00000042-0000-4000-8000-000000000000';
/** Token-shaped, so a leak is found by searching for it. */
export const ISSUED = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3N1ZWQiOiJ1c2VyIn0.aXNzdWVkLXRva2VuLWZvci1hLXVzZXI';
export const EXPIRES_ON = '2030-01-01T00:00:00.0000000+00:00';

export const userPath = (userId: string, suffix = '') => `/identities/${encodeURIComponent(userId)}${suffix}`;

/** A user operation's parameters; values are `unknown` so tests can feed wrong types. */
export function userParameters(operation: string, fields: Record<string, unknown> = {}, options: Record<string, unknown> = {}): IDataObject {
	return { resource: 'user', operation, ...fields, options } as IDataObject;
}

export interface SentIdentity {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: string;
}

/**
 * Answers Identity API requests on `path` with `answers` in turn (the last one again when they run out) and
 * records each request as sent, with its raw body, so tests can check the bytes the signature covers.
 */
export function identityRoute(method: 'POST' | 'DELETE', path: string, answers: Array<[number, (IDataObject | string)?]>) {
	const sent: SentIdentity[] = [];
	const interceptor = nock(BASE_URL).persist().intercept(path, method).query({ 'api-version': '2023-10-01' });
	interceptor.reply(function (uri, body) {
		sent.push({ method, path: uri, headers: this.req.headers as Record<string, string>, body: typeof body === 'string' ? body : JSON.stringify(body) });
		return answers[Math.min(sent.length, answers.length) - 1];
	});
	return sent;
}

/** Contract §4, computed here independently of the node: the signature the request must carry. */
export function expectSigned(request: SentIdentity) {
	const date = request.headers['x-ms-date'];
	const hash = createHash('sha256').update(request.body).digest('base64');
	const signed = `${request.method}\n${request.path}\n${date};${new URL(BASE_URL).host};${hash}`;
	const signature = createHmac('sha256', Buffer.from(ACCESS_KEY, 'base64')).update(signed).digest('base64');
	expect(request.headers['x-ms-content-sha256']).toBe(hash);
	expect(request.headers.authorization).toBe(`HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`);
	expect(new Date(date).toUTCString()).toBe(date);
}

/** Runs a user operation with a connection-string credential of its own. */
export const runAsResource = (options: Omit<RunOptions, 'credential'>) => runAcsChat({ ...options, credential: connectionStringCredential().data });

/** Everything a run left behind (outputs, errors with their stacks), to search for a secret. */
export function everything(result: RunResult): string {
	return JSON.stringify(result.run, (_key, value: unknown) =>
		value instanceof Error ? { ...value, message: value.message, stack: value.stack, description: (value as { description?: string }).description } : value,
	);
}
