'use strict';

const crypto = require('node:crypto');
const { send } = require('./respond');
const { checkSubscriptionRequest } = require('./eventGridSubscriptionRequest');

/** The emulator's ACS resource as ARM names it; the subscription id is the development tenant's subscription. */
const DEV_ARM_RESOURCE_ID = '/subscriptions/5e1ec7ed-0000-4000-8000-00000000a2b5/resourceGroups/acs-chat-emulator/providers/Microsoft.Communication/communicationServices/acs-chat-emulator';
const EVENT_GRID_API_VERSIONS = ['2022-06-15', '2025-02-15'];
const RESOURCES_API_VERSIONS = ['2020-01-01', '2022-12-01'];
const NAME = /^[A-Za-z0-9-]{3,64}$/;
const RESOURCE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/communicationServices\/([^/]+)$/i;

/** Which actions each role the principal may hold grants (EventGrid EventSubscription Contributor / Reader). */
const ROLES = {
	contributor: ['read', 'write', 'delete', 'getFullUrl/action'],
	reader: ['read'],
	none: [],
};

function parseResourceId(resourceId) {
	const match = RESOURCE_PATH.exec(resourceId ?? '');
	if (!match) throw new Error('resourceId must be /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Communication/communicationServices/{name}.');
	return { resourceId, subscriptionId: match[1], resourceGroup: match[2], resourceName: match[3] };
}

/**
 * Azure Resource Manager for the one thing the trigger manages: Event Grid event subscriptions on the ACS
 * resource (`{resourceId}/providers/Microsoft.EventGrid/eventSubscriptions[/{name}]`: GET, PUT, DELETE, list,
 * POST getFullUrl), the status of their long-running operations, and GET /subscriptions (what a credential
 * test calls). Requests are checked in this order, each failure in ARM's `{error:{code,message}}`: bearer token
 * from the emulator's Entra (401, with WWW-Authenticate) → api-version (400) → the path names the emulator's
 * subscription, resource group and resource (404 SubscriptionNotFound / ResourceGroupNotFound /
 * ResourceNotFound) → the principal's role grants the action (403 AuthorizationFailed) → name (400) → body (400).
 * The order of 404 and 403 is UNVERIFIED (here as when the role is held at a scope above the resource).
 * State: none of its own; the subscriptions live in `subscriptions`, the role in `settings.role`.
 */
function createArm({ resource, entra, subscriptions, settings }) {
	const eventGridPath = `${resource.resourceId}/providers/Microsoft.EventGrid/eventSubscriptions`;

	function fail(res, status, code, message, headers = {}) {
		send(res, status, { error: { code, message } }, { ...armHeaders(), ...headers });
	}
	const armHeaders = () => ({ 'x-ms-request-id': crypto.randomUUID(), 'x-ms-correlation-request-id': crypto.randomUUID() });

	function authenticate(ctx) {
		const header = ctx.req.headers.authorization;
		const challenge = (description) => ({
			'WWW-Authenticate': `Bearer authorization_uri="${ctx.baseUrl}/${entra.identity.tenantId}", error="invalid_token", error_description="${description}"`,
		});
		if (!header) return fail(ctx.res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge('The authentication failed because of missing \'Authorization\' header.'));
		const bearer = /^Bearer\s+(\S+)$/i.exec(header);
		if (!bearer) return fail(ctx.res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.", challenge('The authentication failed because of an invalid Authorization header.'));
		const result = entra.verify(bearer[1]);
		if (result.code) return fail(ctx.res, 401, result.code, result.message, challenge(result.message));
		return result;
	}

	function apiVersion(ctx, supported, type) {
		const version = ctx.url.searchParams.get('api-version');
		if (!version) return void fail(ctx.res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
		if (!supported.includes(version)) {
			return void fail(ctx.res, 400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'global' and API version '${version}' for type '${type}'. The supported api-versions are '${supported.join(', ')}'.`);
		}
		return version;
	}

	function authorize(ctx, principal, action, scope) {
		if (ROLES[settings.role].includes(action)) return true;
		fail(
			ctx.res,
			403,
			'AuthorizationFailed',
			`The client '${principal.appId}' with object id '${principal.objectId}' does not have authorization to perform action ` +
				`'Microsoft.EventGrid/eventSubscriptions/${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
		);
		return false;
	}

	/**
	 * Answers 404 when the path does not name the emulator's resource, in ARM's words for the first part that
	 * differs. @returns whether it answered
	 */
	function resourceMissing(ctx, [, sub, , group, , , , name]) {
		const same = (a, b) => a.toLowerCase() === b.toLowerCase();
		if (!same(sub, resource.subscriptionId)) fail(ctx.res, 404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
		else if (!same(group, resource.resourceGroup)) fail(ctx.res, 404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);
		else if (!same(name, resource.resourceName)) {
			fail(ctx.res, 404, 'ResourceNotFound', `The Resource 'Microsoft.Communication/communicationServices/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
		} else return false;
		return true;
	}

	const handles = (segments) => segments[0]?.toLowerCase() === 'subscriptions';

	function handle(ctx, segments) {
		const principal = authenticate(ctx);
		if (!principal) return;
		const lower = segments.map((s) => s.toLowerCase());
		const method = ctx.req.method;
		if (segments.length === 1 && method === 'GET') return listSubscriptions(ctx);
		if (lower.length === 8 && lower[2] === 'providers' && lower[3] === 'microsoft.eventgrid' && lower[4] === 'locations' && ['operationsstatus', 'operationresults'].includes(lower[6])) {
			return operation(ctx, segments, lower[6] === 'operationresults');
		}
		const isEventGrid =
			lower.length >= 11 && lower.length <= 13 && lower[2] === 'resourcegroups' && lower[4] === 'providers' && lower[5] === 'microsoft.communication' &&
			lower[6] === 'communicationservices' && lower[8] === 'providers' && lower[9] === 'microsoft.eventgrid' && lower[10] === 'eventsubscriptions';
		if (!isEventGrid || (lower.length === 13 && lower[12] !== 'getfullurl')) {
			return fail(ctx.res, 404, 'InvalidResourceType', `The emulator's Resource Manager does not implement ${method} ${ctx.url.pathname}.`);
		}
		if (!apiVersion(ctx, EVENT_GRID_API_VERSIONS, 'eventSubscriptions')) return;
		if (resourceMissing(ctx, segments)) return;
		const name = segments[11];
		const action = lower.length === 13 ? (method === 'POST' ? 'getFullUrl/action' : undefined) : { GET: 'read', PUT: name && 'write', DELETE: name && 'delete' }[method];
		if (!action) return fail(ctx.res, 405, 'HttpMethodNotSupported', `The requested resource does not support http method '${method}'.`);
		const scope = name ? `${eventGridPath}/${name}` : eventGridPath;
		if (!authorize(ctx, principal, action, scope)) return;
		if (name === undefined) return send(ctx.res, 200, { value: subscriptions.list().map(subscriptions.view) }, armHeaders());
		if (!NAME.test(name)) {
			return fail(ctx.res, 400, 'InvalidRequest', `Event subscription name ${name} is invalid: it must be 3 to 64 characters long and contain only letters, digits and hyphens.`);
		}
		if (action === 'read') return read(ctx, name);
		if (action === 'write') return write(ctx, name);
		if (action === 'delete') return remove(ctx, name);
		return fullUrl(ctx, name);
	}

	function notFound(ctx, name) {
		fail(ctx.res, 404, 'ResourceNotFound', `The Resource 'Microsoft.EventGrid/eventSubscriptions/${name}' under resource group '${resource.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
	}

	function read(ctx, name) {
		const record = subscriptions.get(name);
		if (!record) return notFound(ctx, name);
		send(ctx.res, 200, subscriptions.view(record), armHeaders());
	}

	function operationUrls(ctx, operation) {
		const base = `${ctx.baseUrl}/subscriptions/${resource.subscriptionId}/providers/Microsoft.EventGrid/locations/global`;
		const query = `?api-version=${ctx.url.searchParams.get('api-version')}`;
		return { 'Azure-AsyncOperation': `${base}/operationsStatus/${operation.id}${query}`, Location: `${base}/operationResults/${operation.id}${query}` };
	}

	function write(ctx, name) {
		let body;
		try {
			body = JSON.parse(ctx.body.toString('utf8'));
		} catch {
			return fail(ctx.res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
		}
		const checked = checkSubscriptionRequest(body);
		if (checked.error) return fail(ctx.res, 400, 'InvalidRequest', checked.error);
		const { record, operation } = subscriptions.put(name, checked.spec, { baseUrl: ctx.baseUrl });
		// Event Grid's CreateOrUpdate answers 201 for a new and a replaced subscription alike.
		send(ctx.res, 201, subscriptions.view(record), { ...armHeaders(), 'Azure-AsyncOperation': operationUrls(ctx, operation)['Azure-AsyncOperation'] });
	}

	/** 202 and gone at once (the operation it names has already succeeded); nothing to delete → 204, as ARM. */
	function remove(ctx, name) {
		const operation = subscriptions.remove(name);
		if (!operation) return send(ctx.res, 204, undefined, armHeaders());
		send(ctx.res, 202, undefined, { ...armHeaders(), ...operationUrls(ctx, operation) });
	}

	function fullUrl(ctx, name) {
		const record = subscriptions.get(name);
		if (!record) return notFound(ctx, name);
		send(ctx.res, 200, { endpointUrl: record.spec.endpointUrl }, armHeaders());
	}

	function operation(ctx, segments, asResult) {
		if (ctx.req.method !== 'GET') return fail(ctx.res, 405, 'HttpMethodNotSupported', `The requested resource does not support http method '${ctx.req.method}'.`);
		if (!apiVersion(ctx, EVENT_GRID_API_VERSIONS, 'locations/operationsStatus')) return;
		if (segments[1].toLowerCase() !== resource.subscriptionId.toLowerCase()) return fail(ctx.res, 404, 'SubscriptionNotFound', `The subscription '${segments[1]}' could not be found.`);
		const op = subscriptions.operation(segments[7]);
		if (!op) return fail(ctx.res, 404, 'OperationNotFound', `The operation ${segments[7]} was not found.`);
		if (!asResult) {
			const { id, name, status, startTime, endTime, error } = op;
			return send(ctx.res, 200, { id: `${ctx.url.pathname}`, name: id, status, startTime, ...(endTime ? { endTime } : {}), ...(error ? { error } : {}), resourceName: name }, armHeaders());
		}
		if (op.status === 'InProgress') return send(ctx.res, 202, undefined, { ...armHeaders(), Location: `${ctx.baseUrl}${ctx.url.pathname}${ctx.url.search}`, 'Retry-After': '1' });
		if (op.status === 'Failed') return fail(ctx.res, 400, op.error.code, op.error.message);
		const record = op.kind === 'write' && subscriptions.get(op.name);
		return record ? send(ctx.res, 200, subscriptions.view(record), armHeaders()) : send(ctx.res, 204, undefined, armHeaders());
	}

	/** The subscriptions the principal can see: the emulator's one while it holds any role, else none. */
	function listSubscriptions(ctx) {
		if (!apiVersion(ctx, RESOURCES_API_VERSIONS, 'subscriptions')) return;
		const visible = settings.role !== 'none';
		const value = visible
			? [
					{
						id: `/subscriptions/${resource.subscriptionId}`,
						authorizationSource: 'RoleBased',
						subscriptionId: resource.subscriptionId,
						tenantId: entra.identity.tenantId,
						displayName: 'ACS Chat emulator',
						state: 'Enabled',
						subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Emulator', spendingLimit: 'Off' },
					},
				]
			: [];
		send(ctx.res, 200, { value, count: { type: 'Total', value: value.length } }, armHeaders());
	}

	return { handles, handle };
}

module.exports = { createArm, parseResourceId, DEV_ARM_RESOURCE_ID, ROLES };
