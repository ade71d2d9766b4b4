import type { IDataObject } from 'n8n-workflow';

import { THREAD_ID } from '../../fixtures/acs';
import { checked } from '../../fixtures/session';
import type { RunOptions } from '../../harness/runNode';
import { BASE_URL, runAcsChat, TEST_TOKEN } from '../../harness/runNode';

/** The node's parameters for one thread operation; values are `unknown` so tests can feed wrong types. */
export function threadParameters(operation: string, fields: Record<string, unknown> = {}, options: Record<string, unknown> = {}): IDataObject {
	return { resource: 'thread', operation, ...fields, options } as IDataObject;
}

export const locator = (threadId: unknown = THREAD_ID) => ({ __rl: true, mode: 'id', value: threadId });

// A 429 or 503 pauses its throttle bucket for every later request of the same identity in this process; each run
// here acts as an identity of its own (a token that still begins with TEST_TOKEN, so a leak is still found).
let identity = 0;
export const runAsOwnUser = (options: RunOptions) =>
	runAcsChat({ credential: checked({ endpoint: BASE_URL, accessToken: `${TEST_TOKEN}${++identity}` }), ...options });

export const acsError = (status: number, code: string, message: string): [number, IDataObject] => [status, { error: { code, message } }];
