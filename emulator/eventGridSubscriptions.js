'use strict';

const crypto = require('node:crypto');
const { propertiesView } = require('./eventGridSubscriptionRequest');

const TYPE = 'Microsoft.EventGrid/eventSubscriptions';

/**
 * The event subscriptions on the emulator's ACS resource, and their provisioning: the one store of them that
 * ARM (create, read, delete), the handshake (validation state) and the delivery (who is live) all share.
 * Names are matched without regard to case, as ARM does. State: the records by lower-cased name, and the
 * long-running operations ARM answers with Azure-AsyncOperation, by id, both cleared on reset.
 *
 * A PUT answers Creating (or Updating) and starts the handshake; it only reaches Succeeded after the endpoint
 * has echoed the validation code. A PUT that keeps the endpoint of a live subscription needs no new handshake.
 * Each PUT gives the record a new `generation`, so an answer to an older handshake cannot change a newer one.
 */
function createSubscriptions({ resourceId, handshake, work }) {
	let records = new Map();
	let operations = new Map();

	const idOf = (name) => `${resourceId}/providers/${TYPE}/${name}`;
	const get = (name) => records.get(name.toLowerCase());

	function newOperation(name, kind) {
		const operation = { id: crypto.randomUUID().toUpperCase(), name, kind, status: 'InProgress', startTime: new Date().toISOString() };
		operations.set(operation.id, operation);
		return operation;
	}

	function finish(operation, status, error) {
		Object.assign(operation, { status, endTime: new Date().toISOString(), ...(error ? { error } : {}) });
	}

	/** Creates or replaces a subscription; returns the record and the operation its answer names. */
	function put(name, spec, { baseUrl }) {
		const existing = get(name);
		const record = {
			name: existing?.name ?? name,
			spec,
			state: existing ? 'Updating' : 'Creating',
			generation: (existing?.generation ?? 0) + 1,
			createdAt: existing?.createdAt ?? new Date().toISOString(),
			validated: existing?.state === 'Succeeded' && existing.spec.endpointUrl === spec.endpointUrl,
		};
		records.set(name.toLowerCase(), record);
		const operation = newOperation(record.name, 'write');
		record.operation = operation;
		if (record.validated) {
			// Nothing to prove again: the update takes effect once the answer is out, as an operation that completes at once.
			work.run(async () => {
				await new Promise((resolve) => setImmediate(resolve));
				if (get(name) !== record) return;
				record.state = 'Succeeded';
				finish(operation, 'Succeeded');
			});
		} else {
			handshake.start(record, {
				baseUrl,
				topic: resourceId,
				onResult: (state, error) => {
					if (get(name) !== record) return;
					record.state = state;
					if (state === 'Succeeded') record.validated = true;
					if (state !== 'AwaitingManualAction') finish(operation, state, error);
				},
			});
		}
		return { record, operation };
	}

	function remove(name) {
		const record = get(name);
		if (!record) return undefined;
		records.delete(name.toLowerCase());
		const operation = newOperation(record.name, 'delete');
		finish(operation, 'Succeeded');
		return operation;
	}

	/** The subscription as ARM answers it. */
	function view(record) {
		return {
			properties: propertiesView(record.spec, { topic: resourceId, provisioningState: record.state }),
			id: idOf(record.name),
			name: record.name,
			type: TYPE,
		};
	}

	/** Subscriptions that receive events now: validated, in Succeeded, not past their expiration time. */
	function live(now = Date.now()) {
		return [...records.values()].filter((r) => r.state === 'Succeeded' && !(r.spec.expirationTimeUtc && Date.parse(r.spec.expirationTimeUtc) <= now));
	}

	return {
		put,
		get,
		remove,
		view,
		live,
		list: () => [...records.values()],
		operation: (id) => operations.get(id.toUpperCase()),
		reset() {
			records = new Map();
			operations = new Map();
		},
	};
}

module.exports = { createSubscriptions };
