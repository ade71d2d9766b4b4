/**
 * Event Grid's validation handshake (EventGridSchema): before a subscription goes live, Event Grid POSTs one
 * `Microsoft.EventGrid.SubscriptionValidationEvent` with header `aeg-event-type: SubscriptionValidation` and
 * waits up to 30 s for `{ "validationResponse": <its validationCode> }`. The node answers it in both modes and
 * without the secret: whether Event Grid sends delivery attribute headers with it is not documented, and echoing
 * the code starts nothing. Pure functions, no state.
 */
import type { IDataObject } from 'n8n-workflow';

export const EVENT_TYPE_HEADER = 'aeg-event-type';

const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/** Event Grid's codes are GUIDs; anything far longer is not one, and is not echoed. */
const MAX_CODE_LENGTH = 512;

export function isValidationRequest(headers: IDataObject): boolean {
	return String(headers[EVENT_TYPE_HEADER] ?? '').toLowerCase() === 'subscriptionvalidation';
}

/** The code to echo, or undefined when the body is not a validation event. */
export function validationCode(body: unknown): string | undefined {
	const event = (Array.isArray(body) ? body[0] : undefined) as IDataObject | undefined;
	if (event?.eventType !== VALIDATION_EVENT) return undefined;
	const code = (event.data as IDataObject | undefined)?.validationCode;
	return typeof code === 'string' && code !== '' && code.length <= MAX_CODE_LENGTH ? code : undefined;
}
