/**
 * The trigger's webhook methods: in automatic mode they keep one Event Grid subscription on the ACS resource
 * delivering to this node's webhook URL, made through ARM (api-version 2025-02-15); in manual mode the user owns
 * the subscription and they only check the settings.
 *
 * State: the subscription record in the workflow's static data (subscriptionRecord.ts), written by create before
 * its PUT (so a delete after a half-done activation finds what to remove) and cleared by delete. checkExists
 * reuses a subscription only when it matches this URL and these event types and the record still holds its
 * secret; otherwise create PUTs (create or replace) with a new secret. Creation is asynchronous in Event Grid:
 * create waits, boundedly, for `provisioningState` to settle, while Event Grid's validation handshake reaches
 * webhook() in the meantime; a subscription still being created when the wait ends is left to finish.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { isLoopback } from '../AcsChat/transport/endpoint';
import { actingUser } from './actingUser';
import type { ArmTarget } from './arm';
import { armRequest, armTarget } from './arm';
import {
	readEventTypes,
	readIgnoreOwnEvents,
	readManualSecret,
	readMode,
	readResourceId,
	readThreadIds,
} from './parameters';
import { parseResourceId } from './resourceId';
import { newSecret, SECRET_HEADER } from './secret';
import type { SubscriptionRecord } from './subscriptionRecord';
import { clearRecord, readRecord, writeRecord } from './subscriptionRecord';

/**
 * How create waits for Event Grid: it validates the endpoint within 30 s of the PUT, so a minute covers it;
 * every 2 s keeps the requests per activation few (typically one or two reads).
 */
export const PROVISIONING_WAIT = { intervalMs: 2_000, maxWaitMs: 60_000 };

/** Event Grid may batch: up to 10 events (at most 64 KB) per delivery, each becoming an item of one execution. */
const BATCHING = { maxEventsPerBatch: 10, preferredBatchSizeInKilobytes: 64 };

/** Event Grid's defaults, stated: 30 attempts over the event's 24 hours. */
const RETRY_POLICY = { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 };

export interface Waiting {
	sleep: (ms: number) => Promise<void>;
	now: () => number;
}

const realTime: Waiting = { sleep, now: () => Date.now() };

function subscriptionPath(resourceId: string, name: string): string {
	return `${resourceId}/providers/Microsoft.EventGrid/eventSubscriptions/${name}`;
}

/**
 * 3-64 letters, digits and hyphens, from the node's webhook id (stable across restarts and edits), so each trigger
 * node owns one name; a test webhook (the editor's "listen for test event") gets its own, which never touches the
 * production subscription.
 */
export function subscriptionName(context: IHookFunctions, endpointUrl: string): string {
	const webhookId = context.getNode().webhookId ?? createHash('sha256').update(endpointUrl).digest('hex').slice(0, 32);
	const prefix = context.getMode() === 'manual' ? 'n8n-test-' : 'n8n-';
	return `${prefix}${webhookId.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 64);
}

/** Event Grid delivers over https only; plain http is let through for loopback, where the emulator delivers. */
function deliveryUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default') ?? '';
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && isLoopback(parsed.hostname))) return url;
	throw new NodeOperationError(context.getNode(), `Event Grid delivers only to https URLs, and this node's webhook URL is ${url || '(none)'}`, {
		description:
			"Set n8n's WEBHOOK_URL environment variable to the public https address the internet reaches this n8n at (e.g. https://n8n.example.com/), restart n8n and activate the workflow again.",
	});
}

export function subscriptionBody(endpointUrl: string, eventTypes: string[], secret: string): IDataObject {
	return {
		properties: {
			destination: {
				endpointType: 'WebHook',
				properties: {
					endpointUrl,
					...BATCHING,
					deliveryAttributeMappings: [
						{ name: SECRET_HEADER, type: 'Static', properties: { value: secret, isSecret: true } },
					],
				},
			},
			filter: { includedEventTypes: eventTypes },
			eventDeliverySchema: 'EventGridSchema',
			retryPolicy: RETRY_POLICY,
		},
	};
}

function provisioningState(subscription: IDataObject | null): string {
	const state = (subscription?.properties as IDataObject | undefined)?.provisioningState;
	return typeof state === 'string' ? state : 'Unknown';
}

/** Whether an existing subscription delivers what this node asks for, to this URL, with the secret header. */
function serves(subscription: IDataObject, endpointUrl: string, eventTypes: string[]): boolean {
	const properties = (subscription.properties ?? {}) as IDataObject;
	const destination = (properties.destination ?? {}) as IDataObject;
	const target = (destination.properties ?? {}) as IDataObject;
	const included = ((properties.filter as IDataObject | undefined)?.includedEventTypes ?? []) as unknown[];
	const mappings = (target.deliveryAttributeMappings ?? []) as IDataObject[];
	return (
		properties.provisioningState === 'Succeeded' &&
		properties.eventDeliverySchema === 'EventGridSchema' &&
		destination.endpointType === 'WebHook' &&
		target.endpointBaseUrl === endpointUrl &&
		included.length === eventTypes.length &&
		eventTypes.every((type) => included.includes(type)) &&
		mappings.some((mapping) => mapping?.name === SECRET_HEADER)
	);
}

/** Every setting checked at activation, so a mistake shows in the editor rather than on the first delivery. */
async function checkSettings(context: IHookFunctions): Promise<void> {
	readEventTypes(context);
	readThreadIds(context);
	if (readMode(context) === 'manual') readManualSecret(context);
	else readResourceId(context);
	if (readIgnoreOwnEvents(context)) await actingUser(context);
}

/** Waits for Event Grid to settle a new subscription; the last state read (still `Creating` when the wait ran out). */
export async function waitForProvisioning(
	read: () => Promise<IDataObject | null>,
	first: IDataObject | null,
	waiting: Waiting = realTime,
	timing = PROVISIONING_WAIT,
): Promise<string> {
	let state = provisioningState(first);
	const deadline = waiting.now() + timing.maxWaitMs;
	while (!['Succeeded', 'Failed', 'Canceled'].includes(state) && waiting.now() < deadline) {
		await waiting.sleep(timing.intervalMs);
		const subscription = await read();
		if (subscription === null) return 'NotFound';
		state = provisioningState(subscription);
	}
	return state;
}

async function remove(context: IHookFunctions, target: ArmTarget, record: SubscriptionRecord): Promise<void> {
	// The resource ID comes from static data: checked again before it becomes a URL.
	const parsed = parseResourceId(record.resourceId);
	if ('problem' in parsed) return;
	await armRequest(
		context,
		target,
		{
			method: 'DELETE',
			path: subscriptionPath(parsed.resourceId, record.subscriptionName),
			what: `delete Event Grid subscription ${record.subscriptionName}`,
		},
		'null',
	);
}

/** Cleans up after a failed activation; the activation's own error is the one to show, so this one is logged. */
async function removeAfterFailure(context: IHookFunctions, target: ArmTarget, record: SubscriptionRecord): Promise<void> {
	try {
		await remove(context, target, record);
	} catch (error) {
		context.logger.warn(`Could not delete Event Grid subscription ${record.subscriptionName}: ${(error as Error).message}`);
	}
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	await checkSettings(this);
	if (readMode(this) === 'manual') return true;
	const record = readRecord(this.getWorkflowStaticData('node'));
	const endpointUrl = deliveryUrl(this);
	const resourceId = readResourceId(this);
	const name = subscriptionName(this, endpointUrl);
	if (!record || record.subscriptionName !== name || record.resourceId !== resourceId || record.endpointUrl !== endpointUrl) {
		return false;
	}
	const target = await armTarget(this);
	const subscription = await armRequest(
		this,
		target,
		{ method: 'GET', path: subscriptionPath(resourceId, name), what: `read Event Grid subscription ${name}` },
		'null',
	);
	return subscription !== null && serves(subscription, endpointUrl, readEventTypes(this));
}

export async function create(this: IHookFunctions, waiting: Waiting = realTime): Promise<boolean> {
	await checkSettings(this);
	if (readMode(this) === 'manual') return true;
	const endpointUrl = deliveryUrl(this);
	const resourceId = readResourceId(this);
	const eventTypes = readEventTypes(this);
	const name = subscriptionName(this, endpointUrl);
	const target = await armTarget(this);
	const staticData = this.getWorkflowStaticData('node');

	// A subscription this node made before under another name or resource would keep delivering here.
	const previous = readRecord(staticData);
	if (previous && (previous.subscriptionName !== name || previous.resourceId !== resourceId)) {
		await remove(this, target, previous);
	}

	const secret = newSecret();
	const record = { subscriptionName: name, resourceId, endpointUrl, secret };
	writeRecord(staticData, record);
	const path = subscriptionPath(resourceId, name);
	const read = async () =>
		await armRequest(this, target, { method: 'GET', path, what: `read Event Grid subscription ${name}` }, 'null');
	let created = false;
	let state = 'Unknown';
	try {
		const answer = await armRequest(this, target, {
			method: 'PUT',
			path,
			body: subscriptionBody(endpointUrl, eventTypes, secret),
			what: `create Event Grid subscription ${name} on ${resourceId}`,
			secrets: [secret],
		});
		created = true;
		state = await waitForProvisioning(read, answer, waiting);
	} finally {
		// n8n saves no static data from a failed activation, so nothing later would delete what is left here.
		if (state === 'Unknown') {
			if (created) await removeAfterFailure(this, target, record);
			clearRecord(staticData);
		}
	}
	if (state === 'Succeeded') return true;
	if (state === 'Failed' || state === 'Canceled' || state === 'NotFound') {
		await removeAfterFailure(this, target, record);
		clearRecord(staticData);
		throw new NodeOperationError(this.getNode(), `Event Grid could not validate this node's webhook URL ${endpointUrl} (subscription ${name}: ${state})`, {
			description:
				"Event Grid sends a validation request to the URL and needs the answer within 30 s. The URL must be reachable from the internet over https: set n8n's WEBHOOK_URL to the public address of this n8n and activate the workflow again.",
		});
	}
	this.logger.warn(
		`Event Grid subscription ${name} was still ${state} after ${PROVISIONING_WAIT.maxWaitMs / 1000} s; it goes live once Event Grid has validated ${endpointUrl}`,
	);
	return true;
}

export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const record = readRecord(staticData);
	// Only what this node created is deleted: a manual subscription, or none at all, is left alone.
	if (!record) return true;
	await remove(this, await armTarget(this), record);
	clearRecord(staticData);
	return true;
}
