'use strict';

const crypto = require('node:crypto');

/** Headers the real service adds to every response; clients may log them but must not need them. */
function serviceHeaders() {
	return {
		'MS-CV': crypto.randomBytes(16).toString('base64').slice(0, 22) + '.0',
		'X-Processing-Time': '1ms',
	};
}

function send(res, status, body, headers = {}) {
	const payload = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		...serviceHeaders(),
		...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
		'Content-Length': Buffer.byteLength(payload),
		...headers,
	});
	res.end(payload);
}

/** Every failure carries the contract's CommunicationErrorResponse body (§2.2). */
function sendError(res, status, code, message, headers) {
	send(res, status, { error: { code, message } }, headers);
}

const errors = {
	badRequest: (res, message) => sendError(res, 400, 'BadRequest', message),
	unauthorized: (res, message = 'Request is not authorized.') => sendError(res, 401, 'Unauthorized', message),
	forbidden: (res, message = 'User is not allowed to perform specified action.') => sendError(res, 403, 'Forbidden', message),
	notFound: (res, message) => sendError(res, 404, 'NotFound', message),
};

module.exports = { send, sendError, errors };
