import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AcsErrorDetails } from '../helpers/invalidParameter';
import { clip, pageSnippet } from './boundedText';
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

/**
 * Bounds on what an error carries, whatever the body (the README states them): characters of a message (the
 * ACS one, a page's text, a network failure's), of an ACS code, of a target and of any other text taken from
 * the answer; how many details and inner errors are kept below the top error in all, how many levels deep,
 * and how many entries of one details list are looked at. A text body longer than MAX_JSON_BODY is not parsed:
 * ACS errors are a few hundred bytes, and parsing a huge one would cost time and memory for nothing.
 */
const MAX_MESSAGE = 500;
const MAX_CODE = 100;
const MAX_TARGET = 200;
const MAX_NESTED = 10;
const MAX_DEPTH = 4;
const MAX_DETAILS_READ = 10;
const MAX_JSON_BODY = 1024 * 1024;

function asObject(value: unknown): IDataObject | undefined {
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The fields of one CommunicationError the contract declares, clipped; undefined when it is not one. */
function errorFields(value: unknown, secrets: string[]): IDataObject | undefined {
	const error = asObject(value);
	const code = text(error?.code);
	const message = text(error?.message);
	if (code === undefined && message === undefined) return undefined;
	const out: IDataObject = { code: clip(code ?? '', secrets, MAX_CODE), message: clip(message ?? '', secrets, MAX_MESSAGE) };
	const target = text(error?.target);
	if (target !== undefined) out.target = clip(target, secrets, MAX_TARGET);
	return out;
}

/**
 * A CommunicationError with its details and inner error (renamed from `innererror`, as the SDK does), read
 * breadth first within the bounds above, so the first levels are kept whatever lies below them and no body,
 * however deep or wide, costs more than a fixed amount of work.
 */
function communicationError(value: unknown, secrets: string[]): IDataObject | undefined {
	const top = errorFields(value, secrets);
	if (!top) return undefined;
	const queue = [{ source: value as IDataObject, out: top, depth: 0 }];
	let room = MAX_NESTED;
	for (let next = 0; next < queue.length && room > 0; next++) {
		const { source, out, depth } = queue[next];
		if (depth === MAX_DEPTH) continue;
		const keep = (entry: unknown): IDataObject | undefined => {
			const fields = room > 0 ? errorFields(entry, secrets) : undefined;
			if (fields) {
				room--;
				queue.push({ source: entry as IDataObject, out: fields, depth: depth + 1 });
			}
			return fields;
		};
		if (Array.isArray(source.details)) {
			const details = source.details.slice(0, MAX_DETAILS_READ).map(keep).filter((entry) => entry !== undefined);
			if (details.length) out.details = details;
		}
		const inner = keep(source.innererror ?? source.innerError);
		if (inner) out.innerError = inner;
	}
	return top;
}

function parseJson(body: string): unknown {
	if (body.length > MAX_JSON_BODY) return undefined;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/** The head of a text or binary body, as text: a Buffer is decoded only as far as it could be used. */
function bodyText(data: unknown): string | undefined {
	if (Buffer.isBuffer(data)) return data.subarray(0, MAX_JSON_BODY + 1).toString('utf8');
	return typeof data === 'string' ? data : undefined;
}

function parseBody(data: unknown, secrets: string[]): { acs?: IDataObject; snippet?: string } {
	let body = data;
	const raw = bodyText(data);
	if (raw !== undefined) {
		if (!/\S/.test(raw)) return {};
		body = parseJson(raw);
		// A proxy or gateway answered, not ACS: keep a readable, short piece of its page.
		if (body === undefined) return { snippet: pageSnippet(raw, secrets, MAX_MESSAGE) };
	}
	const acs = communicationError(asObject(body)?.error, secrets);
	return acs ? { acs } : {};
}

/** What a 2xx answer that is not a JSON object held, for a reader: a piece of it, or what kind of value it was. */
function unexpectedBody(data: unknown, secrets: string[]): string {
	const raw = bodyText(data);
	if (raw !== undefined) return pageSnippet(raw, secrets, MAX_MESSAGE) || '(an empty body)';
	if (Array.isArray(data)) return `a JSON array of ${data.length} ${data.length === 1 ? 'entry' : 'entries'}`;
	return clip(String(data), secrets, MAX_MESSAGE);
}

function describeNested(error: IDataObject, depth = 0): string[] {
	const lines: string[] = [];
	const indent = '  '.repeat(depth);
	for (const detail of (error.details as IDataObject[] | undefined) ?? []) {
		lines.push(`${indent}- ${detail.code}: ${detail.message}${detail.target ? ` (target ${detail.target})` : ''}`);
		lines.push(...describeNested(detail, depth + 1));
	}
	const inner = error.innerError as IDataObject | undefined;
	if (inner) {
		lines.push(`${indent}Inner error ${inner.code}: ${inner.message}`);
		lines.push(...describeNested(inner, depth + 1));
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
	/**
	 * The request is not safe to repeat and the failure (a 503, a reset, a timeout) leaves open whether ACS
	 * carried it out, so it was not sent again: the error says so, and `details.mayHaveBeenSent` is true.
	 */
	mayHaveBeenSent?: boolean;
}

const MAY_HAVE_BEEN_SENT =
	'ACS may or may not have carried out this request: a message may or may not have been delivered, a change may or may not have been made. ' +
	'The node did not send it again, because repeating it is not safe. Check the thread before retrying.';

/** What a 2xx answer without a JSON object means for the request: it probably took effect. */
const UNEXPECTED_SUCCESS =
	'ACS answered with success, so the request may have been carried out, but the answer could not be read: a proxy or gateway may be in the way. ' +
	'Check the result before repeating the request.';

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

	if (failure.status !== undefined && failure.status >= 200 && failure.status < 300) {
		const status = failure.status;
		details = { httpCode: status, code: 'UnexpectedResponse', message: unexpectedBody(failure.data, secrets) };
		message = `ACS answered ${status} with a body that is not a JSON object`;
		description = UNEXPECTED_SUCCESS;
	} else if (failure.status !== undefined) {
		const { acs, snippet } = parseBody(failure.data, secrets);
		const status = failure.status;
		const code = text(acs?.code) ?? STATUS_NAMES[status] ?? `Http${status}`;
		const statusText = failure.statusText === undefined ? undefined : clip(failure.statusText, secrets, MAX_CODE);
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
			message = `ACS answered ${status} ${statusText ?? code} with a page that is not an ACS error (a proxy or gateway may be in the way)`;
		} else {
			details.message = statusText ?? code;
			message = `ACS answered ${status} ${code} with no error details`;
		}
		if (waitMs !== undefined) details.retryAfterSeconds = Math.ceil(waitMs / 1000);
		failureCause = failureOf(status, waitMs);
		if (options.refusedWaitMs !== undefined) {
			const what = status === 429 ? 'ACS rate limited the request' : `ACS answered ${status} ${code}`;
			message = `${what}: retry after ${details.retryAfterSeconds} s, longer than the ${Math.round((options.maxWaitMs ?? 0) / 1000)} s this node waits`;
		}
		const requestIdHeader = text(failure.headers?.['ms-cv']) ?? text(failure.headers?.['x-ms-client-request-id']);
		const requestId = requestIdHeader === undefined ? undefined : clip(requestIdHeader, secrets, MAX_CODE);
		if (requestId) details.requestId = requestId;
		const hint = options.mayHaveBeenSent
			? MAY_HAVE_BEEN_SENT
			: (STATUS_HINTS[status] ??
				(status >= 500 ? 'ACS could not process the request right now; it is safe to retry later.' : ''));
		description = [
			hint,
			waitMs !== undefined ? `The service asked to retry after ${details.retryAfterSeconds} s.` : '',
			acs?.target ? `Target: ${acs.target}` : '',
			...(acs ? describeNested(acs) : []),
			requestId ? `Request ID (for Azure support): ${requestId}` : '',
		]
			.filter(Boolean)
			.join('\n');
		if (options.mayHaveBeenSent) message += '. ACS may or may not have carried out the request; it was not sent again';
	} else {
		const code = clip(failure.code ?? 'NetworkError', secrets, MAX_CODE);
		const what =
			code === 'ECONNABORTED' && options.timeoutMs
				? `no answer within ${options.timeoutMs} ms`
				: (NETWORK_MESSAGES[code] ?? clip(failure.message ?? 'the request failed', secrets, MAX_MESSAGE));
		details = { httpCode: null, code, message: what };
		// The code stays out of the message: n8n replaces any message naming a common network code with its own text.
		if (options.mayHaveBeenSent) {
			message = `ACS may or may not have carried out the request: ${what}, and it was not sent again`;
			description = MAY_HAVE_BEEN_SENT;
		} else {
			message = `Could not reach the ACS endpoint: ${what}`;
			description =
				'Check the Endpoint in the credential and that this n8n instance can reach it. It is safe to retry.';
		}
	}

	if (options.attempts !== undefined) details.attempts = options.attempts;
	if (options.mayHaveBeenSent) details.mayHaveBeenSent = true;
	// Every text above was clipped from the answer with its secrets already replaced.
	const apiError = new NodeApiError(node, { message: details.message } as JsonObject, {
		message,
		description,
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
