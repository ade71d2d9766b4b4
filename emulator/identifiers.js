'use strict';

// Raw-ID rules of @azure/communication-common 2.5.0 (contract §5), reduced to what the emulator needs:
// turning a request identifier into the raw ID participants are keyed by, and back into the
// response model the service sends (no `kind`, as observed on the wire).

// null marks the anonymous (visitor) form, which names no cloud.
const TEAMS_USER_PREFIX = { teamsvisitor: null, orgid: 'public', dod: 'dod', gcch: 'gcch' };
const TEAMS_APP_PREFIX = { orgid: 'public', dod: 'dod', gcch: 'gcch' };
const SUB_OBJECTS = ['communicationUser', 'phoneNumber', 'microsoftTeamsUser', 'microsoftTeamsApp', 'teamsExtensionUser'];

/** @returns {string|undefined} the raw ID a sub-object stands for, or undefined when it is unusable */
function rawIdFromSubObject(model) {
	if (model.communicationUser) return str(model.communicationUser.id);
	if (model.phoneNumber) {
		const value = str(model.phoneNumber.value);
		return value === undefined ? undefined : `4:${value}`;
	}
	if (model.microsoftTeamsUser) {
		const { userId, isAnonymous, cloud } = model.microsoftTeamsUser;
		if (typeof userId !== 'string') return undefined;
		if (isAnonymous) return `8:teamsvisitor:${userId}`;
		return `8:${cloud === 'dod' || cloud === 'gcch' ? cloud : 'orgid'}:${userId}`;
	}
	if (model.microsoftTeamsApp) {
		const { appId, cloud } = model.microsoftTeamsApp;
		if (typeof appId !== 'string') return undefined;
		return `28:${cloud === 'dod' || cloud === 'gcch' ? cloud : 'orgid'}:${appId}`;
	}
	if (model.teamsExtensionUser) {
		const { userId, tenantId, resourceId, cloud } = model.teamsExtensionUser;
		if (![userId, tenantId, resourceId].every((v) => typeof v === 'string')) return undefined;
		const prefix = cloud === 'dod' ? '8:dod-acs:' : cloud === 'gcch' ? '8:gcch-acs:' : '8:acs:';
		return `${prefix}${resourceId}_${tenantId}_${userId}`;
	}
	return undefined;
}

function str(value) {
	return typeof value === 'string' ? value : undefined;
}

/**
 * Validates a CommunicationIdentifierModel from a request body.
 * @returns {{ rawIds: string[] } | { error: string }} every raw ID the model may denote (rawId and the
 *   sub-object's), so a participant can be matched by either
 */
function parseIdentifierModel(model) {
	if (!model || typeof model !== 'object' || Array.isArray(model)) {
		return { error: 'The identifier must be a CommunicationIdentifierModel object.' };
	}
	const present = SUB_OBJECTS.filter((key) => model[key] !== undefined && model[key] !== null);
	if (present.length > 1) {
		return { error: `At most one identifier sub-object may be set; got ${present.join(', ')}.` };
	}
	if (model.rawId !== undefined && typeof model.rawId !== 'string') {
		return { error: 'rawId must be a string.' };
	}
	const rawIds = [];
	if (model.rawId) rawIds.push(model.rawId);
	if (present.length === 1) {
		const derived = rawIdFromSubObject(model);
		if (derived === undefined) return { error: `The ${present[0]} identifier is malformed.` };
		if (!rawIds.includes(derived)) rawIds.push(derived);
	}
	if (rawIds.length === 0) return { error: 'The identifier has neither a rawId nor a known sub-object.' };
	return { rawIds };
}

/**
 * Builds the response-form CommunicationIdentifierModel for a raw ID (contract §5.1).
 * @param {boolean} withTeamsExtension whether the api-version's Common model knows teamsExtensionUser
 *   (2025-03-15 only); older versions can only describe such an identity by its rawId
 */
function identifierModel(rawId, withTeamsExtension) {
	if (rawId.startsWith('4:')) {
		return { rawId, phoneNumber: { value: rawId.substring(2) } };
	}
	const segments = rawId.split(':');
	if (segments.length !== 3) return { rawId };
	const [head, scheme, suffix] = segments;
	if (head === '8' && scheme in TEAMS_USER_PREFIX) {
		// isAnonymous is always present: the SDK's deserialiser rejects a Teams user without it.
		const cloud = TEAMS_USER_PREFIX[scheme];
		return { rawId, microsoftTeamsUser: { userId: suffix, isAnonymous: cloud === null, cloud: cloud ?? 'public' } };
	}
	if (head === '8' && ['acs', 'dod-acs', 'gcch-acs', 'spool'].includes(scheme)) {
		const parts = suffix.split('_');
		if (scheme !== 'spool' && parts.length === 3) {
			if (!withTeamsExtension) return { rawId };
			const [resourceId, tenantId, userId] = parts;
			const cloud = scheme === 'acs' ? 'public' : scheme.slice(0, -4);
			return { rawId, teamsExtensionUser: { userId, tenantId, resourceId, cloud } };
		}
		return { rawId, communicationUser: { id: rawId } };
	}
	if (head === '28' && scheme in TEAMS_APP_PREFIX) {
		return { rawId, microsoftTeamsApp: { appId: suffix, cloud: TEAMS_APP_PREFIX[scheme] } };
	}
	return { rawId };
}

module.exports = { parseIdentifierModel, identifierModel };
