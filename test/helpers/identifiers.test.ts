import {
	createIdentifierFromRawId,
	deserializeCommunicationIdentifier,
	getIdentifierRawId,
	serializeCommunicationIdentifier,
	type SerializedCommunicationIdentifier,
} from '@azure/communication-common';

import {
	type CommunicationIdentifierModel,
	describeRawIdProblem,
	identifierKind,
	identifierModelFromRawId,
	rawIdFromIdentifierModel,
} from '../../nodes/AcsChat/helpers/identifiers';

const ACS_RESOURCE = '2dee53b4-368b-45b4-ab52-8493fb117652';
const ACS_USER = '00000005-14a2-493b-8a72-5a3a0d000081';
const ENTRA_ID = '45ab2481-1c1c-4005-be24-0ffb879b1130';
const ASSERTED = '207ffef6-9444-41fb-92ab-20eacaae2768';

// Every kind and cloud common 2.5.0 parses, plus the edges of each rule (segment counts, underscore counts,
// empty suffixes, case sensitivity) where a hand-written parser is most likely to drift from the SDK.
const RAW_IDS: readonly string[] = [
	// communicationUser
	`8:acs:${ACS_RESOURCE}_${ACS_USER}`,
	`8:dod-acs:${ACS_RESOURCE}_${ACS_USER}`,
	`8:gcch-acs:${ACS_RESOURCE}_${ACS_USER}`,
	`8:spool:${ACS_RESOURCE}_${ACS_USER}`,
	'8:acs:a_b_c_d',
	'8:dod-acs:a_b_c_d',
	'8:gcch-acs:a_b_c_d_e',
	'8:acs:no-underscore',
	'8:acs:',
	'8:spool:',
	'8:spool:a_b_c',
	// teamsExtensionUser
	'8:acs:resource1_tenant1_user1',
	'8:dod-acs:resource1_tenant1_user1',
	'8:gcch-acs:resource1_tenant1_user1',
	'8:acs:__',
	// microsoftTeamsUser
	`8:orgid:${ENTRA_ID}`,
	`8:dod:${ENTRA_ID}`,
	`8:gcch:${ENTRA_ID}`,
	`8:teamsvisitor:${ENTRA_ID}`,
	'8:orgid:',
	'8:teamsvisitor:',
	// microsoftTeamsApp
	`28:orgid:${ENTRA_ID}`,
	`28:dod:${ENTRA_ID}`,
	`28:gcch:${ENTRA_ID}`,
	// phoneNumber
	'4:+112345556789',
	'4:112345556789',
	`4:+112345556789_${ASSERTED}`,
	'4:anonymous',
	'4:Anonymous',
	'4:anonymous_x',
	'4:+112345556789_',
	'4:+1_a_b',
	'4:_x',
	'4:',
	'4:8:acs:x',
	// unknown
	`28:ag08-global:${ENTRA_ID}`,
	`48:${ENTRA_ID}`,
	'8:acs:x:y',
	`8:orgid:${ENTRA_ID}:extra`,
	'8:ACS:a_b',
	'8:public:x',
	'28:teamsvisitor:x',
	'someFutureFormat',
	ENTRA_ID,
	'',
	':',
	'::',
	'4',
	' 4:+1',
];

const sdkWire = (rawId: string): SerializedCommunicationIdentifier =>
	serializeCommunicationIdentifier(createIdentifierFromRawId(rawId));

// The SDK's deserializer insists on the `rawId` key being present for several kinds (even when its value is
// undefined), so "no rawId" is expressed to it as an undefined value, which JSON cannot tell apart from absence.
const sdkRawId = (model: CommunicationIdentifierModel): string =>
	getIdentifierRawId(
		deserializeCommunicationIdentifier({ rawId: undefined, ...model } as SerializedCommunicationIdentifier),
	);
const sdkKind = (model: CommunicationIdentifierModel): string =>
	deserializeCommunicationIdentifier({ rawId: undefined, ...model } as SerializedCommunicationIdentifier)
		.kind;

function withoutRawId(model: CommunicationIdentifierModel): CommunicationIdentifierModel {
	const { rawId: _omitted, ...rest } = model;
	return rest;
}

const label = (rawId: string): string => JSON.stringify(rawId);

describe('differential: identifierModelFromRawId against common 2.5.0', () => {
	it('covers at least 30 raw IDs', () => {
		expect(RAW_IDS.length).toBeGreaterThanOrEqual(30);
		expect(new Set(RAW_IDS).size).toBe(RAW_IDS.length);
	});

	it('covers every kind', () => {
		const kinds = new Set(RAW_IDS.map((rawId) => createIdentifierFromRawId(rawId).kind));
		expect([...kinds].sort()).toEqual([
			'communicationUser',
			'microsoftTeamsApp',
			'microsoftTeamsUser',
			'phoneNumber',
			'teamsExtensionUser',
			'unknown',
		]);
	});

	it.each(RAW_IDS.map((rawId) => [label(rawId), rawId]))(
		'serializes %s byte for byte like the SDK',
		(_name, rawId) => {
			expect(JSON.stringify(identifierModelFromRawId(rawId))).toBe(JSON.stringify(sdkWire(rawId)));
		},
	);

	it.each(RAW_IDS.map((rawId) => [label(rawId), rawId]))('never sends kind for %s', (_name, rawId) => {
		expect(identifierModelFromRawId(rawId)).not.toHaveProperty('kind');
	});
});

describe('differential: rawIdFromIdentifierModel and identifierKind against common 2.5.0', () => {
	const wires = RAW_IDS.map((rawId) => [label(rawId), sdkWire(rawId) as CommunicationIdentifierModel] as const);

	it.each(wires)('%s: wire with rawId, without kind', (_name, wire) => {
		expect(rawIdFromIdentifierModel(wire)).toBe(sdkRawId(wire));
		expect(identifierKind(wire)).toBe(sdkKind(wire));
	});

	it.each(wires)('%s: wire with rawId and kind', (_name, wire) => {
		const withKind = { ...wire, kind: sdkKind(wire) };
		expect(rawIdFromIdentifierModel(withKind)).toBe(sdkRawId(withKind));
		expect(identifierKind(withKind)).toBe(sdkKind(withKind));
	});

	// With nothing but rawId there is nothing to rebuild from, and the SDK itself returns undefined.
	const rebuildable = wires.filter(([, wire]) => identifierKind(wire) !== 'unknown');

	it.each(rebuildable)('%s: wire without rawId and without kind', (_name, wire) => {
		const bare = withoutRawId(wire);
		expect(rawIdFromIdentifierModel(bare)).toBe(sdkRawId(bare));
		expect(identifierKind(bare)).toBe(sdkKind(bare));
	});

	it.each(rebuildable)('%s: wire without rawId, with kind', (_name, wire) => {
		const bare = { ...withoutRawId(wire), kind: sdkKind(wire) };
		expect(rawIdFromIdentifierModel(bare)).toBe(sdkRawId(bare));
		expect(identifierKind(bare)).toBe(sdkKind(bare));
	});

	it.each(rebuildable)('%s: round-trips through a wire model without rawId', (name, wire) => {
		expect(rawIdFromIdentifierModel(withoutRawId(wire))).toBe(JSON.parse(name));
	});

	// Shapes a service could send that no raw ID parses to: other clouds, a kind that disagrees with the
	// sub-object, a kind this package does not know.
	const extraWires: ReadonlyArray<readonly [string, CommunicationIdentifierModel]> = [
		['teams user, new cloud', { microsoftTeamsUser: { userId: 'u', isAnonymous: false, cloud: 'ag08' } }],
		['teams user, cloud constructor', { microsoftTeamsUser: { userId: 'u', isAnonymous: false, cloud: 'constructor' } }],
		['anonymous teams user, cloud dod', { microsoftTeamsUser: { userId: 'u', isAnonymous: true, cloud: 'dod' } }],
		['teams app, new cloud', { microsoftTeamsApp: { appId: 'a', cloud: 'ag08' } }],
		['teams app, cloud public', { microsoftTeamsApp: { appId: 'a', cloud: 'public' } }],
		['teams app, cloud toString', { microsoftTeamsApp: { appId: 'a', cloud: 'toString' } }],
		['extension user, new cloud', { teamsExtensionUser: { userId: 'u', tenantId: 't', resourceId: 'r', cloud: 'ag08' } }],
		['extension user, cloud dod', { teamsExtensionUser: { userId: 'u', tenantId: 't', resourceId: 'r', cloud: 'dod' } }],
		['phone, anonymous', { phoneNumber: { value: 'anonymous', isAnonymous: true } }],
		['phone, only value', { phoneNumber: { value: '+14255550123' } }],
		['communication user, only id', { communicationUser: { id: '8:acs:r_u' } }],
		['kind disagrees with sub-object', { rawId: '8:acs:r_u', kind: 'phoneNumber', communicationUser: { id: '8:acs:r_u' } }],
		['kind without its sub-object', { rawId: '8:acs:r_u', kind: 'communicationUser' }],
		['kind unknown with a sub-object', { rawId: '8:acs:r_u', kind: 'unknown', communicationUser: { id: '8:acs:r_u' } }],
		['future kind', { rawId: '99:bot:x', kind: 'microsoftBot' }],
		['rawId only', { rawId: '99:bot:x' }],
		['empty rawId, communication user', { rawId: '', communicationUser: { id: '8:acs:r_u' } }],
		['empty rawId, teams user', { rawId: '', microsoftTeamsUser: { userId: 'u', isAnonymous: false, cloud: 'gcch' } }],
	];

	it.each(extraWires)('%s', (_name, wire) => {
		expect(rawIdFromIdentifierModel(wire)).toBe(sdkRawId(wire));
		expect(identifierKind(wire)).toBe(sdkKind(wire));
	});
});

describe('contract §5.3 test vectors (literal)', () => {
	const acs = `8:acs:${ACS_RESOURCE}_${ACS_USER}`;
	const spool = `8:spool:${ACS_RESOURCE}_${ACS_USER}`;
	const dodAcs = `8:dod-acs:${ACS_RESOURCE}_${ACS_USER}`;
	const gcchAcs = `8:gcch-acs:${ACS_RESOURCE}_${ACS_USER}`;
	const user = (rawId: string) => ({ rawId, communicationUser: { id: rawId } });
	const extension = (rawId: string, cloud: string) => ({
		rawId,
		teamsExtensionUser: { userId: 'user1', tenantId: 'tenant1', resourceId: 'resource1', cloud },
	});
	const teamsUser = (rawId: string, isAnonymous: boolean, cloud: string) => ({
		rawId,
		microsoftTeamsUser: { userId: ENTRA_ID, isAnonymous, cloud },
	});
	const app = (rawId: string, cloud: string) => ({ rawId, microsoftTeamsApp: { appId: ENTRA_ID, cloud } });

	const vectors: ReadonlyArray<readonly [string, CommunicationIdentifierModel]> = [
		[acs, user(acs)],
		[spool, user(spool)],
		[dodAcs, user(dodAcs)],
		[gcchAcs, user(gcchAcs)],
		['8:acs:a_b_c_d', user('8:acs:a_b_c_d')],
		['8:acs:resource1_tenant1_user1', extension('8:acs:resource1_tenant1_user1', 'public')],
		['8:dod-acs:resource1_tenant1_user1', extension('8:dod-acs:resource1_tenant1_user1', 'dod')],
		['8:gcch-acs:resource1_tenant1_user1', extension('8:gcch-acs:resource1_tenant1_user1', 'gcch')],
		[`8:orgid:${ENTRA_ID}`, teamsUser(`8:orgid:${ENTRA_ID}`, false, 'public')],
		[`8:dod:${ENTRA_ID}`, teamsUser(`8:dod:${ENTRA_ID}`, false, 'dod')],
		[`8:gcch:${ENTRA_ID}`, teamsUser(`8:gcch:${ENTRA_ID}`, false, 'gcch')],
		[`8:teamsvisitor:${ENTRA_ID}`, teamsUser(`8:teamsvisitor:${ENTRA_ID}`, true, 'public')],
		[`28:orgid:${ENTRA_ID}`, app(`28:orgid:${ENTRA_ID}`, 'public')],
		[`28:dod:${ENTRA_ID}`, app(`28:dod:${ENTRA_ID}`, 'dod')],
		[`28:gcch:${ENTRA_ID}`, app(`28:gcch:${ENTRA_ID}`, 'gcch')],
		['4:+112345556789', { rawId: '4:+112345556789', phoneNumber: { value: '+112345556789', isAnonymous: false } }],
		['4:112345556789', { rawId: '4:112345556789', phoneNumber: { value: '112345556789', isAnonymous: false } }],
		[
			`4:+112345556789_${ASSERTED}`,
			{
				rawId: `4:+112345556789_${ASSERTED}`,
				phoneNumber: { value: `+112345556789_${ASSERTED}`, isAnonymous: false, assertedId: ASSERTED },
			},
		],
		['4:anonymous', { rawId: '4:anonymous', phoneNumber: { value: 'anonymous', isAnonymous: true } }],
		[`28:ag08-global:${ENTRA_ID}`, { rawId: `28:ag08-global:${ENTRA_ID}` }],
		[`48:${ENTRA_ID}`, { rawId: `48:${ENTRA_ID}` }],
		['8:acs:x:y', { rawId: '8:acs:x:y' }],
		['someFutureFormat', { rawId: 'someFutureFormat' }],
		['8:orgid:', { rawId: '8:orgid:', microsoftTeamsUser: { userId: '', isAnonymous: false, cloud: 'public' } }],
	];

	it.each(vectors.map(([rawId, wire]) => [label(rawId), rawId, wire] as const))(
		'%s',
		(_name, rawId, wire) => {
			const model = identifierModelFromRawId(rawId);
			expect(model).toStrictEqual(wire);
			expect(JSON.stringify(model)).toBe(JSON.stringify(wire));
			expect(rawIdFromIdentifierModel(wire)).toBe(rawId);
			// An unknown ID is nothing but its rawId, so without it there is nothing left to rebuild.
			const rebuilt = Object.keys(wire).length === 1 ? '' : rawId;
			expect(rawIdFromIdentifierModel(withoutRawId(wire))).toBe(rebuilt);
		},
	);
});

describe('rawIdFromIdentifierModel beyond the SDK', () => {
	it('trusts rawId over communicationUser.id (the SDK returns the id)', () => {
		const model = { rawId: '8:acs:r_one', communicationUser: { id: '8:acs:r_two' } };
		expect(rawIdFromIdentifierModel(model)).toBe('8:acs:r_one');
		expect(sdkRawId(model)).toBe('8:acs:r_two');
	});

	it('rebuilds Teams users and apps whose cloud or isAnonymous the service left out (the SDK throws)', () => {
		const teamsUser = { microsoftTeamsUser: { userId: 'u' } };
		const teamsApp = { microsoftTeamsApp: { appId: 'a' } };
		const extension = { teamsExtensionUser: { userId: 'u', tenantId: 't', resourceId: 'r' } };
		expect(rawIdFromIdentifierModel(teamsUser)).toBe('8:orgid:u');
		expect(rawIdFromIdentifierModel(teamsApp)).toBe('28:orgid:a');
		expect(rawIdFromIdentifierModel(extension)).toBe('8:acs:r_t_u');
		expect(() => sdkRawId(teamsUser)).toThrow(/isAnonymous/);
		expect(() => sdkRawId(teamsApp)).toThrow(/cloud/);
		expect(() => sdkRawId(extension)).toThrow(/cloud/);
	});

	it('returns an empty string when there is nothing to build from (the SDK throws or returns undefined)', () => {
		expect(rawIdFromIdentifierModel({})).toBe('');
		expect(rawIdFromIdentifierModel({ kind: 'unknown' })).toBe('');
		expect(rawIdFromIdentifierModel({ rawId: '' })).toBe('');
		expect(rawIdFromIdentifierModel({ kind: 'communicationUser' })).toBe('');
	});

	it('takes the first sub-object when several are present and kind is absent (the SDK throws)', () => {
		const model = { phoneNumber: { value: '+1' }, microsoftTeamsApp: { appId: 'a' } };
		expect(identifierKind(model)).toBe('phoneNumber');
		expect(rawIdFromIdentifierModel(model)).toBe('4:+1');
		expect(() => sdkKind(model)).toThrow(/Only one/);
	});

	it('ignores sub-objects that are null', () => {
		const model = { rawId: '4:+1', communicationUser: null, phoneNumber: { value: '+1' } } as unknown as CommunicationIdentifierModel;
		expect(identifierKind(model)).toBe('phoneNumber');
	});
});

describe('describeRawIdProblem', () => {
	const accepted: readonly string[] = [
		`8:acs:${ACS_RESOURCE}_${ACS_USER}`,
		`8:dod-acs:${ACS_RESOURCE}_${ACS_USER}`,
		`8:gcch-acs:${ACS_RESOURCE}_${ACS_USER}`,
		`8:spool:${ACS_RESOURCE}_${ACS_USER}`,
		'8:acs:a_b_c_d',
		'8:acs:resource1_tenant1_user1',
		'8:gcch-acs:resource1_tenant1_user1',
		`8:orgid:${ENTRA_ID}`,
		`8:dod:${ENTRA_ID}`,
		`8:gcch:${ENTRA_ID}`,
		`8:teamsvisitor:${ENTRA_ID}`,
		`28:orgid:${ENTRA_ID}`,
		`28:dod:${ENTRA_ID}`,
		`28:gcch:${ENTRA_ID}`,
		'4:+14255550123',
		'4:14255550123',
		`4:+112345556789_${ASSERTED}`,
		'4:anonymous',
		'48:foo',
		`28:ag08-global:${ENTRA_ID}`,
		'8:acs:x:y',
		'someFuture:format',
	];

	it.each(accepted.map((rawId) => [label(rawId), rawId]))('accepts %s', (_name, rawId) => {
		expect(describeRawIdProblem(rawId)).toBeUndefined();
	});

	it.each([
		['a number', 42, /^must be a text raw ID such as 8:acs:…, got a number$/],
		['a boolean', true, /got a boolean$/],
		['an object', { id: '8:acs:x' }, /got an object$/],
		['an array', ['8:acs:x'], /got an array$/],
		['null', null, /got null$/],
		['undefined', undefined, /got nothing \(undefined\)$/],
		['a bigint', BigInt(1), /got a bigint$/],
	])('rejects %s, naming the type', (_name, value, message) => {
		expect(describeRawIdProblem(value)).toMatch(message);
	});

	it('rejects an empty string', () => {
		expect(describeRawIdProblem('')).toBe('is empty');
	});

	it.each([
		['a space', '8:acs:abc def', 'U+0020 at position 10'],
		['a tab', '8:acs:abc\tdef', 'U+0009 at position 10'],
		['a newline', '8:acs:abc\n', 'U+000A at position 10'],
		['a no-break space', '8:acs:\u00a0abc', 'U+00A0 at position 7'],
		['a NUL', '\u00008:acs:abc', 'U+0000 at position 1'],
		['a zero-width space', '8:acs:\u200babc', 'U+200B at position 7'],
		['a byte order mark', '\ufeff8:acs:abc', 'U+FEFF at position 1'],
		['a DEL', '8:acs:abc\u007f', 'U+007F at position 10'],
		['a space in a phone number', '4:(425) 555-0123', 'U+0020 at position 8'],
		['a space after an astral character', '8:acs:\u{1F600} x', 'U+0020 at position 8'],
	])('rejects %s inside the ID', (_name, value, where) => {
		const problem = describeRawIdProblem(value);
		expect(problem).toMatch(/^contains whitespace or an invisible character/);
		expect(problem).toContain(where);
	});

	it.each([ENTRA_ID, 'alice', `${ACS_RESOURCE}_${ACS_USER}`, '+14255550123'])(
		'rejects %s, which has no prefix, naming the expected prefixes',
		(value) => {
			const problem = describeRawIdProblem(value);
			expect(problem).toMatch(/^is not a raw ID: expected a prefix such as /);
			for (const prefix of ['8:acs:', '4:+', '8:orgid:', '28:orgid:', '8:teamsvisitor:']) {
				expect(problem).toContain(prefix);
			}
			expect(problem).toContain(JSON.stringify(value));
		},
	);

	it.each([
		'8:acs:',
		'8:dod-acs:',
		'8:gcch-acs:',
		'8:spool:',
		'8:orgid:',
		'8:dod:',
		'8:gcch:',
		'8:teamsvisitor:',
		'28:orgid:',
		'28:dod:',
		'28:gcch:',
		'4:',
	])('rejects the known prefix %s with nothing after it', (value) => {
		expect(describeRawIdProblem(value)).toBe(`is malformed: nothing follows the ${value} prefix`);
	});

	it.each(['48:', ':', '::', ':8:acs:x', '8::x', '8:acs::x', '8:acs:x:'])(
		'rejects %s, which has an empty part',
		(value) => {
			expect(describeRawIdProblem(value)).toMatch(/^is malformed: it has an empty part between colons/);
		},
	);

	it.each(['8:acs:__', '8:acs:r__u', '8:gcch-acs:_t_u', '8:dod-acs:r_t_'])(
		'rejects the Teams extension user %s with an empty part',
		(value) => {
			expect(describeRawIdProblem(value)).toMatch(/^is malformed: a Teams extension user ID needs/);
		},
	);

	it.each([
		'4:(425)555-0123',
		'4:+1-425-555-0123',
		'4:++14255550123',
		'4:+',
		'4:+1_',
		'4:+1_a_b',
		'4:_x',
		'4:Anonymous',
		'4:anonymous_x',
		'4:acs:x',
		'4:+1４２５',
	])('rejects the phone number %s', (value) => {
		expect(describeRawIdProblem(value)).toMatch(/^is not a valid phone number raw ID: expected 4: followed by/);
	});

	it('never echoes a huge value back', () => {
		const huge = 'x'.repeat(100_000);
		for (const value of [huge, `4:${huge}`, `8:acs:${huge}:`, `8:acs:r__${huge}`]) {
			const problem = describeRawIdProblem(value) ?? '';
			expect(problem).not.toBe('');
			expect(problem.length).toBeLessThan(350);
			expect(problem).toContain('…');
		}
		expect(describeRawIdProblem(`${huge} `)?.length).toBeLessThan(350);
	});

	it('truncates by characters, not UTF-16 units', () => {
		const problem = describeRawIdProblem('\u{1F600}'.repeat(200)) ?? '';
		expect(problem).toContain(`"${'\u{1F600}'.repeat(120)}…"`);
	});

	it('returns clauses that start lower-case, to follow "Participant ID "', () => {
		const values: unknown[] = [42, '', 'a b', ENTRA_ID, '8:acs:', '48:', '8:acs:__', '4:abc'];
		for (const value of values) {
			expect(describeRawIdProblem(value)).toMatch(/^[a-z]/);
		}
	});
});
