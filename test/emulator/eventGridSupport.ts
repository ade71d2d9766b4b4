import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Emulator, useEmulator } from './support';

export const API_VERSION = '2025-02-15';
export const CHAT = 'Microsoft.Communication.';

export interface EventGridEvent {
	id: string;
	topic: string;
	subject: string;
	eventType: string;
	eventTime: string;
	data: any;
	dataVersion: string;
	metadataVersion: string;
}

export interface DeliveryLogEntry {
	eventId: string;
	eventType: string;
	deliveryId: string;
	subscription: string;
	attempt: number;
	status: number | null;
	outcome: string;
	reason?: string;
	error?: string;
	sentAt: string;
	answeredAt: string;
	nextAttemptAt?: string;
}

/** startEmulator's result with its Azure side (emulator/README.md, "Event Grid, ARM and Entra ID"). */
export interface EventGridEmulator extends Emulator {
	azure: {
		tenantId: string;
		clientId: string;
		clientSecret: string;
		principalObjectId: string;
		resourceId: string;
		subscriptionId: string;
		resourceGroup: string;
		resourceName: string;
		authorityHost: string;
		armHost: string;
		scope: string;
		tokenUrl: string;
		issueToken(options?: { expiresOn?: Date | number; audience?: string }): string;
	};
	eventGrid: {
		subscriptions(): any[];
		events(): EventGridEvent[];
		deliveries(): DeliveryLogEntry[];
		clearDeliveries(): void;
		settings(): Record<string, unknown>;
		set(settings: Record<string, unknown>): void;
		publish(events: Array<Partial<EventGridEvent>>): EventGridEvent[];
		redeliver(eventId: string, subscription?: string): string[];
		deliver(request: { subscription: string; events?: unknown[]; body?: unknown; headers?: Record<string, string | null>; eventType?: string }): Promise<{ status: number | null; body?: string; error?: string }>;
		idle(): Promise<void>;
	};
}

export function useEventGridEmulator(options: Record<string, unknown> = {}): EventGridEmulator {
	return useEmulator(options) as EventGridEmulator;
}

export interface Received {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: any;
}

/** What the receiver answers: a status and body, or `hang` to never answer (a timeout). */
export type Answer = { status: number; body?: unknown } | 'hang';

/**
 * A webhook endpoint standing in for n8n: records every request and answers with `answer` (by default it
 * echoes a validation code and takes every notification with 200). One per test file; reset before each test.
 */
export function useReceiver() {
	const received: Received[] = [];
	const hanging: http.ServerResponse[] = [];
	let answer: (request: Received) => Answer = echo;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const request = { method: req.method!, path: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined };
			received.push(request);
			const reply = answer(request);
			if (reply === 'hang') return void hanging.push(res);
			const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
			res.writeHead(reply.status, payload ? { 'content-type': 'application/json' } : {});
			res.end(payload);
		});
	});
	beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
	afterAll(() => {
		server.closeAllConnections();
		return new Promise<void>((resolve) => server.close(() => resolve()));
	});
	beforeEach(() => {
		received.length = 0;
		answer = echo;
	});
	afterEach(() => {
		for (const res of hanging.splice(0)) res.destroy();
	});
	return {
		url: (path = '/webhook/acs') => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
		received,
		notifications: () => received.filter((r) => r.headers['aeg-event-type'] === 'Notification'),
		/** Every event of every notification, in arrival order. */
		events: (): EventGridEvent[] => received.filter((r) => r.headers['aeg-event-type'] === 'Notification').flatMap((r) => r.body),
		answerWith(next: (request: Received) => Answer) {
			answer = next;
		},
	};
}

/** The handshake a webhook must do: 200 with the validation code, everything else 200 and empty. */
export function echo(request: Received): Answer {
	if (request.headers['aeg-event-type'] === 'SubscriptionValidation') return { status: 200, body: { validationResponse: request.body[0].data.validationCode } };
	return { status: 200 };
}

/** A token from the emulator's Entra token endpoint, through the form a client sends. */
export async function armToken(emulator: EventGridEmulator): Promise<string> {
	const response = await fetch(emulator.azure.tokenUrl, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emulator.azure.clientId, client_secret: emulator.azure.clientSecret, scope: emulator.azure.scope }),
	});
	expect(response.status).toBe(200);
	return ((await response.json()) as { access_token: string }).access_token;
}

export function subscriptionPath(emulator: EventGridEmulator, name?: string): string {
	return `${emulator.azure.resourceId}/providers/Microsoft.EventGrid/eventSubscriptions${name === undefined ? '' : `/${name}`}`;
}

/** One ARM request with a bearer token (a fresh one unless given; `null` sends none). */
export async function arm(
	emulator: EventGridEmulator,
	method: string,
	path: string,
	options: { body?: unknown; token?: string | null; apiVersion?: string | null } = {},
): Promise<Response> {
	const token = options.token === undefined ? await armToken(emulator) : options.token;
	const version = options.apiVersion === undefined ? API_VERSION : options.apiVersion;
	const query = version === null ? '' : `${path.includes('?') ? '&' : '?'}api-version=${version}`;
	return fetch(`${emulator.url}${path}${query}`, {
		method,
		headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
}

/** A subscription PUT body like the trigger's: WebHook, EventGridSchema, a secret delivery header. */
export function subscriptionBody(endpointUrl: string, options: { types?: string[] | null; destination?: Record<string, unknown>; properties?: Record<string, unknown>; filter?: Record<string, unknown> } = {}) {
	return {
		properties: {
			destination: {
				endpointType: 'WebHook',
				properties: {
					endpointUrl,
					maxEventsPerBatch: 1,
					preferredBatchSizeInKilobytes: 64,
					deliveryAttributeMappings: [{ name: 'x-acs-webhook-secret', type: 'Static', properties: { value: 'the-webhook-secret', isSecret: true } }],
					...options.destination,
				},
			},
			filter: { includedEventTypes: options.types === undefined ? [`${CHAT}ChatMessageReceivedInThread`] : options.types, ...options.filter },
			eventDeliverySchema: 'EventGridSchema',
			retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
			...options.properties,
		},
	};
}

/** PUTs a subscription and waits for its handshake; fails the test unless it went live. */
export async function liveSubscription(emulator: EventGridEmulator, name: string, body: unknown): Promise<void> {
	const response = await arm(emulator, 'PUT', subscriptionPath(emulator, name), { body });
	expect(response.status).toBe(201);
	await emulator.eventGrid.idle();
	const state = ((await (await arm(emulator, 'GET', subscriptionPath(emulator, name))).json()) as any).properties.provisioningState;
	expect(state).toBe('Succeeded');
}
