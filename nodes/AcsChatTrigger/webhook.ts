/**
 * One POST from Event Grid, answered at once (the webhook's response mode is onReceived, so the workflow runs
 * after the answer and Event Grid's 30 s never depend on it):
 *   validation handshake → 200 { validationResponse }, nothing started;
 *   no or wrong secret → 401, nothing started (Event Grid does not retry a 401);
 *   automatic mode before activation has saved the secret → 503, nothing started (Event Grid retries);
 *   a body that is not an array of events → 400;
 *   otherwise each event that passes the filter and has not started an execution before becomes one item of one
 *   execution; when none is left, 200 and nothing started.
 * Reads static data, never writes it (subscriptionRecord.ts says why); the one state it touches is dedup.ts's.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { actingUser } from './actingUser';
import { claimNewIds } from './dedup';
import type { EventFilter } from './filter';
import { passes } from './filter';
import { isValidationRequest, validationCode } from './handshake';
import type { ChatEvent, EventFacts } from './items';
import { eventFacts, readEvent, toItem } from './items';
import { readFilter, readIgnoreOwnEvents, readManualSecret, readMode } from './parameters';
import { secretsMatch, sentSecret } from './secret';
import { readRecord } from './subscriptionRecord';

function reply(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** The secret deliveries must carry: the user's (manual mode) or the one create gave the subscription. */
function expectedSecret(context: IWebhookFunctions): string | undefined {
	return readMode(context) === 'manual'
		? readManualSecret(context)
		: readRecord(context.getWorkflowStaticData('node'))?.secret;
}

/** One dedup store per trigger: workflow, node, and test or production webhook. */
function triggerKey(context: IWebhookFunctions): string {
	return [context.getWorkflow().id, context.getNode().id, context.getMode()].join('|');
}

export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const headers = this.getHeaderData() as IDataObject;
	const body = this.getBodyData() as unknown;

	if (isValidationRequest(headers)) {
		const code = validationCode(body);
		if (code === undefined) return reply(this, 400, { error: 'Not an Event Grid subscription validation event' });
		return { webhookResponse: { validationResponse: code } };
	}

	const expected = expectedSecret(this);
	if (expected === undefined) {
		return reply(this, 503, { error: 'The subscription is still being set up; try again shortly' });
	}
	const sent = sentSecret(headers, this.getQueryData() as IDataObject, readMode(this) === 'manual');
	if (sent === undefined || !secretsMatch(sent, expected)) {
		return reply(this, 401, { error: 'Missing or wrong secret' });
	}
	if (!Array.isArray(body)) return reply(this, 400, { error: 'Expected a JSON array of Event Grid events' });

	const filter: EventFilter = {
		...readFilter(this),
		ignoredSender: readIgnoreOwnEvents(this) ? await actingUser(this) : undefined,
	};
	const wanted: Array<{ event: ChatEvent; facts: EventFacts }> = [];
	for (const entry of body) {
		const event = readEvent(entry);
		if (event === undefined) continue;
		const facts = eventFacts(event);
		if (passes(filter, event.eventType, facts)) wanted.push({ event, facts });
	}

	const fresh = claimNewIds(triggerKey(this), wanted.map(({ event }) => event.id));
	const items: INodeExecutionData[] = [];
	for (const { event, facts } of wanted) {
		// A batch may hold one id twice: the first one is the item.
		if (fresh.delete(event.id)) items.push(toItem(event, facts));
	}
	if (items.length === 0) return { webhookResponse: { received: body.length, started: 0 } };
	return { workflowData: [items] };
}
