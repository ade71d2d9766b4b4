'use strict';

const crypto = require('node:crypto');
const { postJson } = require('./webhookPost');
const { deliveryHeaders } = require('./eventGridHeaders');
const { send, sendError } = require('./respond');

const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/**
 * The webhook validation handshake Event Grid runs before a subscription goes live (EventGridSchema): one POST
 * of a SubscriptionValidationEvent, then the outcome reported through `onResult`:
 * - 200 whose JSON `validationResponse` is the code → Succeeded;
 * - another 2xx (no or a wrong validationResponse) → AwaitingManualAction until the validation URL is opened
 *   with GET (→ Succeeded) or the window (5 minutes, `validationWindowMs`) ends (→ Failed);
 * - any other answer, no answer within `timeoutMs`, or a connection failure → Failed at once.
 * UNVERIFIED: which answers lead to AwaitingManualAction rather than Failed (the docs only say the URL works
 * for 5 minutes, during which the state is AwaitingManualAction). Delivery attribute headers go with the
 * validation only when `handshakeHeaders` is on (whether Azure sends them is not documented; off is the
 * case an endpoint must survive).
 *
 * State: the validations waiting for their URL to be opened, by token; cleared on reset.
 */
function createHandshake({ settings, work, log }) {
	let awaiting = new Map();

	function start(record, { baseUrl, topic, onResult }) {
		const code = crypto.randomUUID().toUpperCase();
		const token = crypto.randomBytes(16).toString('base64url');
		const t = new Date().toISOString();
		const validationUrl =
			`${baseUrl}/eventsubscriptions/${encodeURIComponent(record.name.toLowerCase())}/validate` +
			`?id=${code}&t=${encodeURIComponent(t)}&apiVersion=2025-02-15&token=${token}`;
		const event = {
			id: crypto.randomUUID(),
			topic,
			subject: '',
			data: { validationCode: code, validationUrl },
			eventType: VALIDATION_EVENT,
			eventTime: t,
			metadataVersion: '1',
			dataVersion: '2',
		};
		// After the PUT's answer is out, as Event Grid validates within the operation the answer names.
		work.run(async (signal) => {
			await new Promise((resolve) => setImmediate(resolve));
			await run({ record, event, token, onResult, signal });
		});
	}

	async function run({ record, event, token, onResult, signal }) {
		const headers = deliveryHeaders({ record, eventType: 'SubscriptionValidation', events: [event], deliveryCount: 0, withAttributes: settings.handshakeHeaders });
		const sentAt = new Date().toISOString();
		const answer = await postJson({ url: record.spec.endpointUrl, body: [event], headers, timeoutMs: settings.timeoutMs, signal });
		const entry = { deliveryId: event.id, subscription: record.name, events: [event], attempt: 1, status: answer.status ?? null, sentAt, answeredAt: new Date().toISOString() };
		if (answer.error === 'Canceled') return;
		if (answer.status === 200 && echoes(answer.text, event.data.validationCode)) {
			log.record({ ...entry, outcome: 'Validated' });
			return onResult('Succeeded');
		}
		if (answer.status >= 200 && answer.status <= 204) {
			log.record({ ...entry, outcome: 'AwaitingManualAction' });
			onResult('AwaitingManualAction');
			// Opening the URL ends the wait early, so nothing is left waiting once the subscription is live.
			const opened = new AbortController();
			awaiting.set(token, { record, code: event.data.validationCode, onResult, opened });
			const waitedOut = await work.sleep(settings.validationWindowMs, AbortSignal.any([signal, opened.signal]));
			if (waitedOut && awaiting.delete(token)) onResult('Failed', failure(record, 'the validation URL was not opened within the validation window'));
			return;
		}
		log.record({ ...entry, outcome: 'Failed', ...(answer.error ? { error: answer.error } : {}) });
		onResult('Failed', failure(record, answer.error ? answer.message : `Http POST request failed with response code ${answer.status}`));
	}

	function echoes(text, code) {
		try {
			return JSON.parse(text)?.validationResponse === code;
		} catch {
			return false;
		}
	}

	function failure(record, reason) {
		return {
			code: 'Url validation',
			message: `Webhook validation handshake failed for ${record.spec.endpointBaseUrl}: ${reason}. For troubleshooting, visit https://aka.ms/esvalidation.`,
		};
	}

	const handles = (segments) => segments[0] === 'eventsubscriptions' && segments[2] === 'validate' && segments.length === 3;

	/** GET of a validationUrl: completes an AwaitingManualAction validation whose id and token match. */
	function handleValidationUrl(ctx, segments) {
		if (ctx.req.method !== 'GET') return sendError(ctx.res, 405, 'MethodNotAllowed', 'The validation URL takes GET.');
		const token = ctx.url.searchParams.get('token') ?? '';
		const pending = awaiting.get(token);
		if (!pending || pending.record.name.toLowerCase() !== segments[1].toLowerCase() || ctx.url.searchParams.get('id') !== pending.code) {
			return sendError(ctx.res, 400, 'BadRequest', 'The validation URL is not valid, or its validation window has ended.');
		}
		awaiting.delete(token);
		pending.opened.abort();
		pending.onResult('Succeeded');
		send(ctx.res, 200, 'Webhook successfully validated as a subscription endpoint.');
	}

	return {
		start,
		handles,
		handleValidationUrl,
		reset() {
			awaiting = new Map();
		},
	};
}

module.exports = { createHandshake };
