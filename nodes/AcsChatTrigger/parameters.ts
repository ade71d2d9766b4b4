/**
 * The trigger's parameters, read and checked the same way at activation (webhook methods) and on every delivery
 * (webhook()): a bad value fails with the parameter's name before any request. No state.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeThreadIdProblem } from '../AcsChat/helpers/threadId';
import { isChatEventType } from './eventTypes';
import type { EventFilter } from './filter';
import { parseResourceId } from './resourceId';

type Context = IHookFunctions | IWebhookFunctions;

export type SubscriptionMode = 'automatic' | 'manual';

/** A secret a user chooses should not be guessable; Event Grid's own validation codes are longer still. */
const MIN_SECRET_LENGTH = 16;

function invalid(context: Context, displayName: string, problem: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${displayName} ${problem}`);
}

export function readMode(context: Context): SubscriptionMode {
	return context.getNodeParameter('subscriptionMode', 'automatic') === 'manual' ? 'manual' : 'automatic';
}

export function readEventTypes(context: Context): string[] {
	const events = context.getNodeParameter('events', []) as unknown;
	if (!Array.isArray(events) || events.length === 0) throw invalid(context, 'Events', 'is empty: select at least one event');
	const unknown = events.find((event) => !isChatEventType(event));
	if (unknown !== undefined) {
		throw invalid(context, 'Events', `holds ${JSON.stringify(unknown)}, which is not an ACS chat event type`);
	}
	return [...new Set(events as string[])];
}

export function readThreadIds(context: Context): Set<string> {
	const raw = context.getNodeParameter('threadIds', '') as unknown;
	if (typeof raw !== 'string') throw invalid(context, 'Thread IDs', 'must be text: thread IDs separated by commas');
	const ids = raw.split(/[\s,]+/).filter((id) => id !== '');
	ids.forEach((id, index) => {
		const problem = describeThreadIdProblem(id);
		if (problem !== undefined) throw invalid(context, `Thread IDs (entry ${index + 1})`, problem);
	});
	return new Set(ids);
}

/** The filter without the own-identity part, which needs the ACS credential (actingUser.ts). */
export function readFilter(context: Context): Omit<EventFilter, 'ignoredSender'> {
	return { eventTypes: new Set(readEventTypes(context)), threadIds: readThreadIds(context) };
}

export function readIgnoreOwnEvents(context: Context): boolean {
	return context.getNodeParameter('ignoreOwnEvents', true) !== false;
}

export function readResourceId(context: Context): string {
	const parsed = parseResourceId(context.getNodeParameter('resourceId', ''));
	if ('problem' in parsed) throw invalid(context, 'Resource ID', parsed.problem);
	return parsed.resourceId;
}

export function readManualSecret(context: Context): string {
	const secret = context.getNodeParameter('webhookSecret', '') as unknown;
	if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
		throw invalid(context, 'Secret', `must be at least ${MIN_SECRET_LENGTH} characters: choose a long random value`);
	}
	return secret;
}
