'use strict';

const { valueAt } = require('./eventGridFilter');

/**
 * The headers of a POST from Event Grid to a webhook: its own `aeg-*` headers and the subscription's delivery
 * attributes (Static values, and Dynamic ones read from the first event of the batch). Pure.
 *
 * UNVERIFIED, decided here: `aeg-subscription-name` carries the name upper-cased (as Azure Functions logs show
 * it), so an endpoint should compare it without regard to case; `aeg-delivery-count` counts the attempts before
 * this one (0 on the first).
 */
function deliveryHeaders({ record, eventType, events, deliveryCount, withAttributes }) {
	const first = events[0] ?? {};
	const headers = {
		'aeg-event-type': eventType,
		'aeg-subscription-name': record.name.toUpperCase(),
		'aeg-delivery-count': String(deliveryCount),
		'aeg-data-version': String(first.dataVersion ?? ''),
		'aeg-metadata-version': String(first.metadataVersion ?? '1'),
		...(first.id ? { 'aeg-output-event-id': first.id } : {}),
	};
	if (!withAttributes) return headers;
	for (const mapping of record.spec.deliveryAttributeMappings) {
		if (mapping.type === 'Static') headers[mapping.name] = mapping.value;
		else {
			const value = valueAt(first, mapping.sourceField);
			// Only strings, numbers and booleans become header values, as Event Grid's docs say.
			if (['string', 'number', 'boolean'].includes(typeof value)) headers[mapping.name] = String(value);
		}
	}
	return headers;
}

module.exports = { deliveryHeaders };
