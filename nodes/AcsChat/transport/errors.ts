import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AcsErrorDetails } from '../helpers/invalidParameter';
import { retryAfterMs } from './retryAfter';

type AnyError = NodeApiError | NodeOperationError;

const STATUS_NAMES: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	408: 'RequestTimeout',
	409: 'Conflict',
	412: 'PreconditionFailed',
	413: 'PayloadTooLarge',
	429: 'TooManyRequests',
	500: 'InternalServerError',
	502: 'BadGateway',
	503: 'ServiceUnavailable',
	504: 'GatewayTimeout',
};

const STATUS_HINTS: Record<number, string> = {
	400: 'ACS rejected the request as invalid: check the thread ID, the participant ID and the API version.',
	401: 'The access token is missing, invalid or expired. ACS user access tokens live at most 24 hours: issue a new one and update the credential.',
	403: 'The user behind the access token may not do this: it is not (or no longer) a participant of this thread, or its token scope does not allow the operation.',
	404: 'No such thread (or participant) exists for this resource, or it was deleted.',
	429: 'ACS is rate limiting this user or thread. Wait before sending more requests.',
};

const NETWORK_MESSAGES: Record<string, string> = {
	ECONNRESET: 'the connection was reset before ACS answered',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	EHOSTUNREACH: 'the host is unreachable',
	ERR_CANCELED: 'the request was cancelled',
	EPROTO: 'the TLS handshake failed',
	CERT_HAS_EXPIRED: 'the server certificate has expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate could not be verified',
};

const MAX_TEXT = 300;

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function truncate(value: string): string {
	return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

/** Replaces every secret in every string of a value, so nothing the service echoes can leak a token. */
function redact<T>(value: T, secrets: string[]): T {
	if (typeof value === 'string') {
		let out: string = value;
		for (const secret of secrets) out = out.split(secret).join('[redacted]');
		return out as T;
	}
	if (Array.isArray(value)) return value.map((entry) => redact(entry, secrets)) as T;
	const object = asObject(value);
	if (object) {
		const copy: IDataObject = {};
		for (const [key, entry] of Object.entries(object)) copy[key] = redact(entry, secrets);
		return copy as T;
	}
	return value;
}

/** A CommunicationError, kept to the fields the contract declares (renaming `innererror` as the SDK does). */
function communicationError(value: unknown): IDataObject | undefined {
	const error = asObject(value);
	if (!error || (!text(error.code) && !text(error.message))) return undefined;
	const out: IDataObject = { code: text(error.code) ?? '', message: text(error.message) ?? '' };
	if (text(error.target)) out.target = error.target;
	if (Array.isArray(error.details)) {
		const details = error.details.map(communicationError).filter((d): d is IDataObject => !!d);
		if (details.length) out.details = details;
	}
	const inner = communicationError(error.innererror ?? error.innerError);
	if (inner) out.innerError = inner;
	return out;
}

function parseBody(data: unknown): { acs?: IDataObject; snippet?: string } {
	let body = data;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed === '') return {};
		try {
			body = JSON.parse(trimmed);
		} catch {
			// A proxy or gateway answered, not ACS: keep a readable, short piece of its page.
			const plain = trimmed
				.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
				.replace(/<[^>]*>/g, ' ')
				.replace(/\s+/g, ' ')
				.trim();
			return { snippet: truncate(plain) };
		}
	}
	const acs = communicationError(asObject(body)?.error);
	return acs ? { acs } : {};
}

function describeInner(error: IDataObject, depth = 0): string[] {
	const lines: string[] = [];
	const indent = '  '.repeat(depth);
	for (const detail of (error.details as IDataObject[] | undefined) ?? []) {
		lines.push(`${indent}- ${detail.code}: ${detail.message}${detail.target ? ` (target ${detail.target})` : ''}`);
	}
	const inner = error.innerError as IDataObject | undefined;
	if (inner) {
		lines.push(`${indent}Inner error ${inner.code}: ${inner.message}`);
		lines.push(...describeInner(inner, depth + 1));
	}
	return lines;
}

export interface HttpFailure {
	status?: number;
	statusText?: string;
	data?: unknown;
	headers?: IDataObject;
	code?: string;
	message?: string;
}

/**
 * n8n's helper throws a NodeApiError around the axios error, and a refused credential check (session.ts) carries
 * the service's answer one level further down: read plain facts from the first response and code on the way down.
 */
export function httpFailure(error: unknown): HttpFailure {
	const chain: IDataObject[] = [];
	for (let link = asObject(error); link && chain.length < 4; link = asObject(link.cause)) chain.push(link);
	const response = chain.map((link) => asObject(link.response)).find(Boolean);
	const status = Number(response?.status ?? response?.statusCode);
	// The innermost message is the specific one; the outer wrapper only repeats or generalises it.
	const message = [...chain.slice(1), ...chain.slice(0, 1)].map((link) => text(link.message)).find(Boolean);
	return {
		status: Number.isInteger(status) && status > 0 ? status : undefined,
		statusText: text(response?.statusText) ?? text(response?.statusMessage),
		data: response?.data ?? response?.body,
		headers: asObject(response?.headers),
		code: chain.map((link) => text(link.code)).find(Boolean),
		message,
	};
}

/** Declared only where the answer proves it: a 429 is throttling, a 503 an outage (n8n-workflow's `Failure`). */
function failureOf(status: number, waitMs: number | undefined): NodeApiError['failure'] {
	const wait = waitMs === undefined ? {} : { retryAfterMs: waitMs };
	if (status === 429) return { cause: 'rate-limited', ...wait };
	if (status === 503) return { cause: 'temporarily-unavailable', ...wait };
	return undefined;
}

export interface MapErrorOptions {
	itemIndex: number;
	/** Values that must never appear in the error (the access token). */
	secrets: string[];
	/** The request timeout, so a timeout says how long it waited. */
	timeoutMs?: number;
	/** How often the request was sent, when the transport retried it. */
	attempts?: number;
	/** The wait the service asked for that was longer than the node accepts. */
	refusedWaitMs?: number;
	/** The retry policy's longest accepted wait, named in the message when a wait was refused. */
	maxWaitMs?: number;
}

/**
 * Builds a fresh NodeApiError from plain facts about a failed request. A fresh one, because n8n hands a
 * re-wrapped NodeApiError back unchanged (losing message, description and item index), and because the
 * original carries the request configuration, Authorization header included.
 */
export function toNodeApiError(node: INode, error: unknown, options: MapErrorOptions): AnyError {
	if (error instanceof NodeOperationError) return error;
	const secrets = options.secrets;
	const failure = httpFailure(error);
	let message: string;
	let description: string;
	let details: AcsErrorDetails;
	let failureCause: NodeApiError['failure'];

	if (failure.status !== undefined) {
		const { acs, snippet } = parseBody(failure.data);
		const status = failure.status;
		const code = text(acs?.code) ?? STATUS_NAMES[status] ?? `Http${status}`;
		const waitMs = retryAfterMs(failure.headers);
		details = { httpCode: status, code, message: '' };
		if (acs) {
			details.message = String(acs.message);
			if (acs.target) details.target = acs.target;
			if (acs.details) details.details = acs.details;
			if (acs.innerError) details.innerError = acs.innerError;
			message = `ACS answered ${status} ${code}: ${details.message}`;
		} else if (snippet !== undefined) {
			details.message = snippet;
			message = `ACS answered ${status} ${failure.statusText ?? code} with a page that is not an ACS error (a proxy or gateway may be in the way)`;
		} else {
			details.message = failure.statusText ?? code;
			message = `ACS answered ${status} ${code} with no error details`;
		}
		if (waitMs !== undefined) details.retryAfterSeconds = Math.ceil(waitMs / 1000);
		failureCause = failureOf(status, waitMs);
		if (options.refusedWaitMs !== undefined) {
			const what = status === 429 ? 'ACS rate limited the request' : `ACS answered ${status} ${code}`;
			message = `${what}: retry after ${details.retryAfterSeconds} s, longer than the ${Math.round((options.maxWaitMs ?? 0) / 1000)} s this node waits`;
		}
		const requestId = text(failure.headers?.['ms-cv']) ?? text(failure.headers?.['x-ms-client-request-id']);
		if (requestId) details.requestId = requestId;
		const hint =
			STATUS_HINTS[status] ??
			(status >= 500 ? 'ACS could not process the request right now; it is safe to retry later.' : '');
		description = [
			hint,
			waitMs !== undefined ? `The service asked to retry after ${details.retryAfterSeconds} s.` : '',
			acs?.target ? `Target: ${acs.target}` : '',
			...(acs ? describeInner(acs) : []),
			requestId ? `Request ID (for Azure support): ${requestId}` : '',
		]
			.filter(Boolean)
			.join('\n');
	} else {
		const code = failure.code ?? 'NetworkError';
		const what =
			code === 'ECONNABORTED' && options.timeoutMs
				? `no answer within ${options.timeoutMs} ms`
				: (NETWORK_MESSAGES[code] ?? truncate(failure.message ?? 'the request failed'));
		details = { httpCode: null, code, message: what };
		// The code stays out of the message: n8n replaces any message naming a common network code with its own text.
		message = `Could not reach the ACS endpoint: ${what}`;
		description =
			'Check the Endpoint in the credential and that this n8n instance can reach it. It is safe to retry.';
	}

	if (options.attempts !== undefined) details.attempts = options.attempts;
	details = redact(details, secrets);
	const apiError = new NodeApiError(node, { message: details.message } as JsonObject, {
		message: redact(message, secrets),
		description: redact(description, secrets),
		httpCode: details.httpCode === null ? undefined : String(details.httpCode),
		itemIndex: options.itemIndex,
		failure: failureCause,
	});
	apiError.context.acsError = details;
	return apiError;
}

/**
 * The item an error becomes when the node continues on fail. Only `error` and `details` at the top, because
 * n8n routes an item to the error output only when every key is one of error/message/details.
 */
export function errorItem(error: AnyError, itemIndex: number): INodeExecutionData {
	const details = (error.context.acsError as AcsErrorDetails | undefined) ?? {
		httpCode: null,
		code: 'NodeError',
		message: error.message,
	};
	return {
		json: { error: error.message, details: { ...details, description: error.description ?? '' } },
		pairedItem: { item: itemIndex },
	};
}
