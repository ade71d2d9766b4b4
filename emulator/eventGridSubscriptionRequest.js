'use strict';

const { checkFilter } = require('./eventGridFilter');

const MAX_MAPPINGS = 10;
const MAX_HEADER_VALUE_BYTES = 4096;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LOOPBACK_HOSTS = ['localhost', '[::1]'];

/**
 * The body of an event subscription PUT (Microsoft.EventGrid 2025-02-15), checked and brought to the one form
 * the emulator keeps (`check`), and that form shown back in ARM's shape (`view`). Pure functions, no state.
 *
 * What the emulator refuses that Azure takes: destinations other than WebHook, CloudEvents and custom schemas
 * (see the message), and delivery with a managed identity. What it takes that Azure refuses: plain-http
 * endpoints on loopback, so a local n8n can be subscribed (Azure wants https everywhere).
 */
function checkSubscriptionRequest(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'The body must be an event subscription object.' };
	const p = body.properties;
	if (!p || typeof p !== 'object' || Array.isArray(p)) return { error: 'properties is required.' };
	if (p.deliveryWithResourceIdentity !== undefined) return { error: 'deliveryWithResourceIdentity is not supported by the emulator: give a destination.' };

	const schema = p.eventDeliverySchema ?? 'EventGridSchema';
	if (schema === 'CloudEventSchemaV1_0') {
		return {
			error:
				'eventDeliverySchema CloudEventSchemaV1_0 is not supported by the emulator: a CloudEvents 1.0 webhook is validated with an HTTP OPTIONS ' +
				'handshake (WebHook-Request-Origin), which n8n answers itself before any node code runs, so it could never be validated. Use EventGridSchema.',
		};
	}
	if (schema !== 'EventGridSchema') return { error: `eventDeliverySchema '${schema}' is not supported for a system topic: use EventGridSchema.` };

	const destination = checkDestination(p.destination);
	if (destination.error) return destination;
	const filter = checkFilter(p.filter ?? {});
	if (filter.error) return filter;
	const retryPolicy = checkRetryPolicy(p.retryPolicy ?? {});
	if (retryPolicy.error) return retryPolicy;

	if (p.labels !== undefined && p.labels !== null && !(Array.isArray(p.labels) && p.labels.every((l) => typeof l === 'string'))) {
		return { error: 'labels must be an array of strings.' };
	}
	let expirationTimeUtc;
	if (p.expirationTimeUtc !== undefined && p.expirationTimeUtc !== null) {
		const ms = Date.parse(p.expirationTimeUtc);
		if (Number.isNaN(ms)) return { error: 'expirationTimeUtc must be a date-time.' };
		if (ms <= Date.now()) return { error: 'expirationTimeUtc must be in the future.' };
		expirationTimeUtc = new Date(ms).toISOString();
	}
	if (p.deadLetterDestination !== undefined && (typeof p.deadLetterDestination !== 'object' || Array.isArray(p.deadLetterDestination))) {
		return { error: 'deadLetterDestination must be an object.' };
	}
	return {
		spec: {
			...destination.destination,
			filter: filter.filter,
			retryPolicy: retryPolicy.retryPolicy,
			eventDeliverySchema: schema,
			labels: p.labels ?? [],
			expirationTimeUtc,
			deadLetterDestination: p.deadLetterDestination ?? undefined,
		},
	};
}

function checkDestination(destination) {
	if (!destination || typeof destination !== 'object') return { error: 'properties.destination is required.' };
	if (destination.endpointType !== 'WebHook') {
		return { error: `destination.endpointType '${destination.endpointType}' is not supported by the emulator: only WebHook is.` };
	}
	const d = destination.properties ?? {};
	const url = checkEndpointUrl(d.endpointUrl);
	if (url.error) return url;
	const maxEventsPerBatch = d.maxEventsPerBatch ?? 1;
	if (!Number.isInteger(maxEventsPerBatch) || maxEventsPerBatch < 1 || maxEventsPerBatch > 5000) return { error: 'maxEventsPerBatch must be an integer from 1 to 5000.' };
	const preferredBatchSizeInKilobytes = d.preferredBatchSizeInKilobytes ?? 64;
	if (!Number.isInteger(preferredBatchSizeInKilobytes) || preferredBatchSizeInKilobytes < 1 || preferredBatchSizeInKilobytes > 1024) {
		return { error: 'preferredBatchSizeInKilobytes must be an integer from 1 to 1024.' };
	}
	const mappings = checkMappings(d.deliveryAttributeMappings ?? []);
	if (mappings.error) return mappings;
	return {
		destination: {
			endpointUrl: url.endpointUrl,
			endpointBaseUrl: url.endpointBaseUrl,
			maxEventsPerBatch,
			preferredBatchSizeInKilobytes,
			deliveryAttributeMappings: mappings.mappings,
			// Kept and shown back; the emulator does not send Entra tokens to the endpoint.
			extra: pick(d, ['azureActiveDirectoryTenantId', 'azureActiveDirectoryApplicationIdOrUri', 'minimumTlsVersionAllowed']),
		},
	};
}

function checkEndpointUrl(value) {
	if (typeof value !== 'string' || !URL.canParse(value)) return { error: 'destination.properties.endpointUrl must be an absolute URL.' };
	const url = new URL(value);
	const loopback = LOOPBACK_HOSTS.includes(url.hostname) || url.hostname.startsWith('127.');
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
		return { error: 'destination.properties.endpointUrl must use https (the emulator also takes http on localhost, 127.0.0.0/8 and [::1]).' };
	}
	// The base URL is what ARM shows back: the query string, where a secret may sit, is never returned.
	return { endpointUrl: url.href, endpointBaseUrl: `${url.origin}${url.pathname}` };
}

function checkMappings(list) {
	if (!Array.isArray(list)) return { error: 'deliveryAttributeMappings must be an array.' };
	if (list.length > MAX_MAPPINGS) return { error: `At most ${MAX_MAPPINGS} delivery attribute mappings are allowed.` };
	const mappings = [];
	for (const [i, m] of list.entries()) {
		const where = `deliveryAttributeMappings[${i}]`;
		if (!m || typeof m.name !== 'string' || !HEADER_NAME.test(m.name)) return { error: `${where}.name must be an HTTP header name.` };
		if (mappings.some((other) => other.name.toLowerCase() === m.name.toLowerCase())) return { error: `${where}.name '${m.name}' is given twice.` };
		if (m.name.toLowerCase().startsWith('aeg-')) return { error: `${where}.name must not start with aeg-: Event Grid sets those headers.` };
		const props = m.properties ?? {};
		if (m.type === 'Static') {
			if (typeof props.value !== 'string' || Buffer.byteLength(props.value) > MAX_HEADER_VALUE_BYTES) {
				return { error: `${where}.properties.value must be a string of at most ${MAX_HEADER_VALUE_BYTES} bytes.` };
			}
			if (props.isSecret !== undefined && typeof props.isSecret !== 'boolean') return { error: `${where}.properties.isSecret must be a boolean.` };
			mappings.push({ name: m.name, type: 'Static', value: props.value, isSecret: Boolean(props.isSecret) });
		} else if (m.type === 'Dynamic') {
			if (typeof props.sourceField !== 'string' || !props.sourceField) return { error: `${where}.properties.sourceField is required.` };
			mappings.push({ name: m.name, type: 'Dynamic', sourceField: props.sourceField });
		} else {
			return { error: `${where}.type must be Static or Dynamic.` };
		}
	}
	return { mappings };
}

function checkRetryPolicy(policy) {
	if (typeof policy !== 'object' || Array.isArray(policy)) return { error: 'retryPolicy must be an object.' };
	const maxDeliveryAttempts = policy.maxDeliveryAttempts ?? 30;
	const eventTimeToLiveInMinutes = policy.eventTimeToLiveInMinutes ?? 1440;
	if (!Number.isInteger(maxDeliveryAttempts) || maxDeliveryAttempts < 1 || maxDeliveryAttempts > 30) return { error: 'retryPolicy.maxDeliveryAttempts must be an integer from 1 to 30.' };
	if (!Number.isInteger(eventTimeToLiveInMinutes) || eventTimeToLiveInMinutes < 1 || eventTimeToLiveInMinutes > 1440) {
		return { error: 'retryPolicy.eventTimeToLiveInMinutes must be an integer from 1 to 1440.' };
	}
	return { retryPolicy: { maxDeliveryAttempts, eventTimeToLiveInMinutes } };
}

function pick(object, keys) {
	return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}

/** A mapping as ARM shows it: a secret's value is never returned. */
function mappingView(m) {
	if (m.type === 'Dynamic') return { name: m.name, type: 'Dynamic', properties: { sourceField: m.sourceField } };
	return { name: m.name, type: 'Static', properties: m.isSecret ? { isSecret: true } : { value: m.value, isSecret: false } };
}

/** The subscription's `properties` in ARM's answer. */
function propertiesView(spec, { topic, provisioningState }) {
	return {
		topic,
		provisioningState,
		destination: {
			endpointType: 'WebHook',
			properties: {
				endpointBaseUrl: spec.endpointBaseUrl,
				maxEventsPerBatch: spec.maxEventsPerBatch,
				preferredBatchSizeInKilobytes: spec.preferredBatchSizeInKilobytes,
				...(spec.deliveryAttributeMappings.length ? { deliveryAttributeMappings: spec.deliveryAttributeMappings.map(mappingView) } : {}),
				...spec.extra,
			},
		},
		filter: spec.filter,
		labels: spec.labels,
		eventDeliverySchema: spec.eventDeliverySchema,
		retryPolicy: spec.retryPolicy,
		...(spec.expirationTimeUtc ? { expirationTimeUtc: spec.expirationTimeUtc } : {}),
		...(spec.deadLetterDestination ? { deadLetterDestination: spec.deadLetterDestination } : {}),
	};
}

module.exports = { checkSubscriptionRequest, propertiesView };
