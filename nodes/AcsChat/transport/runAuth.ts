/**
 * What a node run knows about its tokens, so that a refused token costs the run one request, not one per item.
 *
 * State, per node run (one execute() call, shared by its items): the tokens ACS refused with a 401, each with the
 * failure that refused it; the refreshes under way, each keyed by the token it replaces; and a session n8n could
 * not open at all (a failed token check or token request). An item meeting any of these fails at once with that
 * answer and sends nothing. A pasted access token cannot be replaced, so its first 401 is final. With a connection
 * string the first item refused a token replaces it: it hands n8n the credential with an empty session field, so
 * n8n's preAuthentication issues a new token, saves it with the credential and sends the item again; items refused
 * the same token meanwhile wait for that one resend and then either send again with the new session or, if the new
 * token was refused too, fail with its answer.
 *
 * n8n's own refresh-on-401 is switched off for these requests (the transport passes an empty list of statuses):
 * it would refresh and resend once per item.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { ResolvedCredentials } from './credentials';
import { httpFailure } from './errors';
import type { RetryOutcome } from './retry';
import type { SessionContext } from './session';
import { sessionContext } from './session';
import { currentSession, fingerprintOf, tokenKeyOf } from './sessionRecord';

type Data = ICredentialDataDecryptedObject;

/** Sends one item's request with the given credential data; n8n writes a session it opens into `data`. */
export type Attempt<T> = (data: Data) => Promise<RetryOutcome<T>>;

export interface Sent<T> {
	outcome: RetryOutcome<T>;
	/** The credential data the last attempt was sent with, including any session n8n opened for it. */
	data: Data;
}

interface Refusal {
	error: unknown;
}

interface Refresh extends Sent<unknown> {
	/** Set when the new session was refused as well (or could not be opened): the answer every waiter fails with. */
	refusal?: Refusal;
}

function isUnauthorized(outcome: RetryOutcome<unknown>): boolean {
	return !outcome.ok && httpFailure(outcome.error).status === 401;
}

class RunAuth {
	private readonly refused = new Map<string, Refusal>();

	private readonly refreshes = new Map<string, Promise<Refresh>>();

	/** Credential fingerprint → why n8n could not open a session for it in this run. */
	private readonly unopened = new Map<string, Refusal>();

	async send<T>(
		resolved: ResolvedCredentials,
		stored: Data,
		context: SessionContext,
		attempt: Attempt<T>,
	): Promise<Sent<T>> {
		const data = this.copy(stored, context);
		if (!currentSession(data.sessionToken, resolved)) data.sessionToken = '';
		const known = this.knownFailure(resolved, data);
		if (known) return { outcome: { ok: false, error: known.error, attempts: 0 }, data };

		const outcome = await attempt(data);
		if (outcome.ok) return { outcome, data };
		if (!currentSession(data.sessionToken, resolved)) {
			// n8n could not open a session (the token check or the token request failed, after the retries the
			// request allows): every later item of the run would only ask again.
			this.unopened.set(fingerprintOf(resolved), { error: outcome.error });
			return { outcome, data };
		}
		if (!isUnauthorized(outcome)) return { outcome, data };
		const usedKey = tokenKeyOf(resolved, data.sessionToken);
		if (resolved.mode === 'accessToken' || usedKey === undefined) {
			this.remember(resolved, data, outcome);
			return { outcome, data };
		}

		let refresh = this.refreshes.get(usedKey);
		if (!refresh) {
			refresh = this.refresh(resolved, data, context, usedKey, attempt as Attempt<unknown>);
			this.refreshes.set(usedKey, refresh);
			return (await refresh) as Sent<T>;
		}
		const result = await refresh;
		if (result.refusal) return { outcome: { ok: false, error: result.refusal.error, attempts: outcome.attempts }, data };
		const again = this.copy(result.data, context);
		const second = await attempt(again);
		if (isUnauthorized(second)) this.remember(resolved, again, second);
		return { outcome: second, data: again };
	}

	private async refresh(
		resolved: ResolvedCredentials,
		data: Data,
		context: SessionContext,
		replacing: string,
		attempt: Attempt<unknown>,
	): Promise<Refresh> {
		const fresh = this.copy({ ...data, sessionToken: '' }, { ...context, replacing });
		const outcome = await attempt(fresh);
		if (outcome.ok || (currentSession(fresh.sessionToken, resolved) && !isUnauthorized(outcome))) {
			return { outcome, data: fresh };
		}
		const refusal = { error: outcome.error };
		this.remember(resolved, fresh, outcome);
		// Items still holding the replaced token fail with this answer too, without sending.
		this.refused.set(replacing, refusal);
		return { outcome, data: fresh, refusal };
	}

	private knownFailure(resolved: ResolvedCredentials, data: Data): Refusal | undefined {
		const key = tokenKeyOf(resolved, data.sessionToken);
		if (key !== undefined && this.refused.has(key)) return this.refused.get(key);
		return data.sessionToken === '' ? this.unopened.get(fingerprintOf(resolved)) : undefined;
	}

	private remember(resolved: ResolvedCredentials, data: Data, outcome: RetryOutcome<unknown>): void {
		const key = tokenKeyOf(resolved, data.sessionToken);
		if (key !== undefined && !outcome.ok) this.refused.set(key, { error: outcome.error });
	}

	private copy(data: Data, context: SessionContext): Data {
		const copy = { ...data };
		sessionContext(copy, context);
		return copy;
	}
}

const runs = new WeakMap<object, RunAuth>();

/** The token memory of the node run a context belongs to. */
export function runAuthOf(context: object): RunAuth {
	let run = runs.get(context);
	if (!run) runs.set(context, (run = new RunAuth()));
	return run;
}
