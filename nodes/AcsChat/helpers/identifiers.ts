/**
 * Conversions between ACS raw IDs (`8:acs:…`, `4:+…`, `8:orgid:…`) and the wire
 * `CommunicationIdentifierModel`, in both directions.
 *
 * The behaviour mirrors `@azure/communication-common@2.5.0` (`createIdentifierFromRawId`,
 * `getIdentifierRawId`, `serializeCommunicationIdentifier`, `deserializeCommunicationIdentifier`) so that
 * request bodies are the ones the official SDK would send. The SDK is only a dev dependency: the
 * differential test pins that equivalence.
 */

import { describeIdCharacterProblem, quoteId, typeName } from './idText';

/** Open string: the service declares `public | dod | gcch` as modelAsString, so new clouds may appear. */
export type CommunicationCloud = 'public' | 'dod' | 'gcch' | (string & {});

export interface CommunicationUserModel {
	id: string;
}

export interface PhoneNumberModel {
	value: string;
	isAnonymous?: boolean;
	assertedId?: string;
}

export interface MicrosoftTeamsUserModel {
	userId: string;
	isAnonymous?: boolean;
	cloud?: CommunicationCloud;
}

export interface MicrosoftTeamsAppModel {
	appId: string;
	cloud?: CommunicationCloud;
}

export interface TeamsExtensionUserModel {
	userId: string;
	tenantId: string;
	resourceId: string;
	cloud?: CommunicationCloud;
}

export interface CommunicationIdentifierModel {
	rawId?: string;
	kind?: string;
	communicationUser?: CommunicationUserModel;
	phoneNumber?: PhoneNumberModel;
	microsoftTeamsUser?: MicrosoftTeamsUserModel;
	microsoftTeamsApp?: MicrosoftTeamsAppModel;
	teamsExtensionUser?: TeamsExtensionUserModel;
}

export type IdentifierKind =
	| 'communicationUser'
	| 'phoneNumber'
	| 'microsoftTeamsUser'
	| 'microsoftTeamsApp'
	| 'teamsExtensionUser'
	| 'unknown';

type KnownKind = Exclude<IdentifierKind, 'unknown'>;

// Order matters: when `kind` is absent the first present sub-object wins, as in the SDK's getKind.
const SUB_OBJECT_KINDS: readonly KnownKind[] = [
	'communicationUser',
	'phoneNumber',
	'microsoftTeamsUser',
	'microsoftTeamsApp',
	'teamsExtensionUser',
];

const PHONE_PREFIX = '4:';
const ANONYMOUS_PHONE = 'anonymous';

// Maps rather than object literals so that a prefix or cloud such as `constructor` cannot hit a prototype key.
const TEAMS_USER_PREFIXES = new Map<string, CommunicationCloud>([
	['8:orgid:', 'public'],
	['8:dod:', 'dod'],
	['8:gcch:', 'gcch'],
]);
const TEAMS_VISITOR_PREFIX = '8:teamsvisitor:';

const ACS_PREFIXES = new Map<string, CommunicationCloud>([
	['8:acs:', 'public'],
	['8:dod-acs:', 'dod'],
	['8:gcch-acs:', 'gcch'],
]);
const SPOOL_PREFIX = '8:spool:';

const TEAMS_APP_PREFIXES = new Map<string, CommunicationCloud>([
	['28:orgid:', 'public'],
	['28:dod:', 'dod'],
	['28:gcch:', 'gcch'],
]);

// Building a raw ID: any cloud not listed (including none) gets the public prefix, as in the SDK.
const TEAMS_USER_PREFIX_BY_CLOUD = new Map([
	['dod', '8:dod:'],
	['gcch', '8:gcch:'],
]);
const TEAMS_APP_PREFIX_BY_CLOUD = new Map([
	['dod', '28:dod:'],
	['gcch', '28:gcch:'],
]);
const ACS_PREFIX_BY_CLOUD = new Map([
	['dod', '8:dod-acs:'],
	['gcch', '8:gcch-acs:'],
]);

function phoneNumberModel(rawId: string): CommunicationIdentifierModel {
	const value = rawId.slice(PHONE_PREFIX.length);
	const isAnonymous = value === ANONYMOUS_PHONE;
	const phoneNumber: PhoneNumberModel = { value, isAnonymous };
	if (!isAnonymous) {
		// The asserted id is whatever follows the last underscore; `value` deliberately keeps it, because the
		// service identifies the participant by the full string.
		const assertedId = value.slice(value.lastIndexOf('_') + 1);
		if (value.includes('_') && assertedId !== '') {
			phoneNumber.assertedId = assertedId;
		}
	}
	return { rawId, phoneNumber };
}

function acsModel(rawId: string, suffix: string, cloud: CommunicationCloud): CommunicationIdentifierModel {
	// Exactly three underscore-separated parts is how a Teams extension user is told apart from an ACS user;
	// ordinary ACS ids have two parts, and anything else is still an ACS user id.
	const parts = suffix.split('_');
	if (parts.length === 3) {
		const [resourceId, tenantId, userId] = parts;
		return { rawId, teamsExtensionUser: { userId, tenantId, resourceId, cloud } };
	}
	return { rawId, communicationUser: { id: rawId } };
}

/**
 * The request-body form of a raw ID: exactly what the SDK's
 * `serializeCommunicationIdentifier(createIdentifierFromRawId(rawId))` produces, key order included.
 * `kind` is never sent; unrecognised raw IDs go out as `{ rawId }` and the service resolves them.
 */
export function identifierModelFromRawId(rawId: string): CommunicationIdentifierModel {
	if (rawId.startsWith(PHONE_PREFIX)) {
		return phoneNumberModel(rawId);
	}

	const segments = rawId.split(':');
	if (segments.length !== 3) {
		return { rawId };
	}
	const prefix = `${segments[0]}:${segments[1]}:`;
	const suffix = segments[2];

	if (prefix === TEAMS_VISITOR_PREFIX) {
		// The SDK leaves the cloud unset for visitors and the serializer then defaults it to public.
		return { rawId, microsoftTeamsUser: { userId: suffix, isAnonymous: true, cloud: 'public' } };
	}
	const teamsUserCloud = TEAMS_USER_PREFIXES.get(prefix);
	if (teamsUserCloud !== undefined) {
		return { rawId, microsoftTeamsUser: { userId: suffix, isAnonymous: false, cloud: teamsUserCloud } };
	}
	const acsCloud = ACS_PREFIXES.get(prefix);
	if (acsCloud !== undefined) {
		return acsModel(rawId, suffix, acsCloud);
	}
	if (prefix === SPOOL_PREFIX) {
		return { rawId, communicationUser: { id: rawId } };
	}
	const teamsAppCloud = TEAMS_APP_PREFIXES.get(prefix);
	if (teamsAppCloud !== undefined) {
		return { rawId, microsoftTeamsApp: { appId: suffix, cloud: teamsAppCloud } };
	}
	return { rawId };
}

function isPresent(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/**
 * The identifier kind of a wire model. Services usually omit `kind`, so it is inferred from the first
 * sub-object present. A `kind` whose sub-object is missing (or a kind this module does not know) yields
 * `unknown`, as in the SDK's deserializer, so callers can safely read the sub-object of the kind returned.
 */
export function identifierKind(model: CommunicationIdentifierModel): IdentifierKind {
	const declared = model.kind;
	if (declared === undefined || declared === null) {
		return SUB_OBJECT_KINDS.find((kind) => isPresent(model[kind])) ?? 'unknown';
	}
	const known = SUB_OBJECT_KINDS.find((kind) => kind === declared);
	return known !== undefined && isPresent(model[known]) ? known : 'unknown';
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/**
 * The raw ID of a wire model from a response. `rawId` is authoritative when it is a non-empty string
 * (the service always sends it); otherwise it is rebuilt from the sub-object. Returns an empty string
 * when there is nothing to build from, rather than throwing while rendering a response.
 */
export function rawIdFromIdentifierModel(model: CommunicationIdentifierModel): string {
	if (typeof model.rawId === 'string' && model.rawId !== '') {
		return model.rawId;
	}
	switch (identifierKind(model)) {
		case 'communicationUser':
			// ACS user ids already carry their prefix.
			return text(model.communicationUser?.id);
		case 'phoneNumber':
			return PHONE_PREFIX + text(model.phoneNumber?.value);
		case 'microsoftTeamsUser': {
			const user = model.microsoftTeamsUser;
			const userId = text(user?.userId);
			if (user?.isAnonymous === true) {
				return TEAMS_VISITOR_PREFIX + userId;
			}
			return (TEAMS_USER_PREFIX_BY_CLOUD.get(text(user?.cloud)) ?? '8:orgid:') + userId;
		}
		case 'microsoftTeamsApp': {
			const app = model.microsoftTeamsApp;
			return (TEAMS_APP_PREFIX_BY_CLOUD.get(text(app?.cloud)) ?? '28:orgid:') + text(app?.appId);
		}
		case 'teamsExtensionUser': {
			const user = model.teamsExtensionUser;
			const prefix = ACS_PREFIX_BY_CLOUD.get(text(user?.cloud)) ?? '8:acs:';
			return `${prefix}${text(user?.resourceId)}_${text(user?.tenantId)}_${text(user?.userId)}`;
		}
		default:
			return '';
	}
}

const EXPECTED_PREFIXES = '8:acs:, 4:+…, 8:orgid:, 28:orgid: or 8:teamsvisitor:';
const EXAMPLE = `must be a text raw ID such as 8:acs:…`;
// Long enough for a whole Teams extension user ID (116 characters), short enough for an error line.
const MAX_QUOTED = 120;

// Known prefixes whose suffix must not be empty. `4:` is handled by the stricter phone-number rule.
const KNOWN_PREFIXES: readonly string[] = [
	TEAMS_VISITOR_PREFIX,
	SPOOL_PREFIX,
	...TEAMS_USER_PREFIXES.keys(),
	...ACS_PREFIXES.keys(),
	...TEAMS_APP_PREFIXES.keys(),
];

// Digits with an optional leading +, then optionally `_<assertedId>`. Without an underscore in the asserted
// id, the part the SDK would extract after the last underscore is the whole of it.
const PHONE_BODY = /^\+?[0-9]+(?:_[^_]+)?$/;

const quote = (value: string): string => quoteId(value, MAX_QUOTED);

/**
 * Validates a participant id typed by a user or produced by an expression (already trimmed by the caller).
 * Returns undefined when it is acceptable, otherwise a lower-case clause meant to follow "Participant ID ".
 * Well-formed ids of unknown formats are accepted: they are sent as `{ rawId }`, as the SDK does.
 */
export function describeRawIdProblem(value: unknown): string | undefined {
	if (typeof value !== 'string') {
		return `${EXAMPLE}, got ${typeName(value)}`;
	}
	if (value === '') {
		return 'is empty';
	}

	const characterProblem = describeIdCharacterProblem(value);
	if (characterProblem !== undefined) {
		return characterProblem;
	}

	if (!value.includes(':')) {
		return `is not a raw ID: expected a prefix such as ${EXPECTED_PREFIXES}, got ${quote(value)}`;
	}

	if (value.startsWith(PHONE_PREFIX)) {
		const body = value.slice(PHONE_PREFIX.length);
		if (body === '') {
			return 'is malformed: nothing follows the 4: prefix';
		}
		if (body !== ANONYMOUS_PHONE && !PHONE_BODY.test(body)) {
			return `is not a valid phone number raw ID: expected 4: followed by an optional + and digits only (such as 4:+14255550123), or 4:anonymous, got ${quote(value)}`;
		}
		return undefined;
	}

	const emptyAfter = KNOWN_PREFIXES.find((prefix) => value === prefix);
	if (emptyAfter !== undefined) {
		return `is malformed: nothing follows the ${emptyAfter} prefix`;
	}

	if (value.split(':').some((segment) => segment === '')) {
		return `is malformed: it has an empty part between colons, got ${quote(value)}`;
	}

	// A Teams extension user is three underscore-separated ids; an empty one would reach the service as ''.
	const model = identifierModelFromRawId(value);
	const extension = model.teamsExtensionUser;
	if (extension && [extension.resourceId, extension.tenantId, extension.userId].includes('')) {
		return `is malformed: a Teams extension user ID needs a resource, tenant and user ID separated by underscores, got ${quote(value)}`;
	}

	return undefined;
}

/**
 * Why a value is not an ACS user (8:acs:…), the only identity the Identity API issues tokens for and manages, or
 * undefined. The caller trims surrounding whitespace first.
 */
export function describeAcsUserIdProblem(value: unknown): string | undefined {
	const problem = describeRawIdProblem(value);
	if (problem !== undefined) return problem;
	if (identifierKind(identifierModelFromRawId(value as string)) !== 'communicationUser') {
		return `must be an ACS user (8:acs:…) of this resource, got ${quoteId(value as string, 120)}`;
	}
	return undefined;
}
