import {
	createIdentifierFromRawId,
	deserializeCommunicationIdentifier,
	getIdentifierRawId,
	serializeCommunicationIdentifier,
	type CommunicationIdentifier,
	type SerializedCommunicationIdentifier,
} from '@azure/communication-common';
import fc from 'fast-check';

import {
	type CommunicationIdentifierModel,
	identifierKind,
	identifierModelFromRawId,
	rawIdFromIdentifierModel,
} from '../../nodes/AcsChat/helpers/identifiers';
import { anyString } from './arbitraries';

const PREFIXES = [
	'8:acs:', '8:dod-acs:', '8:gcch-acs:', '8:spool:', '8:orgid:', '8:dod:', '8:gcch:', '8:teamsvisitor:',
	'28:orgid:', '28:dod:', '28:gcch:', '4:', '4:+', '8:', '28:', '48:', '8:ACS:', '8:acs', ':',
];

/** The pieces raw IDs are made of, so that underscores, colons and digits meet the prefixes in every way. */
const piece = fc.oneof(
	fc.constantFrom('', '_', ':', '__', 'anonymous', 'Anonymous', '+'),
	fc.stringMatching(/^[0-9]{1,12}$/),
	fc.uuid(),
	anyString(8),
);

const rawIds = fc.oneof(
	{ arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.array(piece, { maxLength: 5 })).map(([prefix, pieces]) => prefix + pieces.join('')), weight: 4 },
	{ arbitrary: anyString(30), weight: 1 },
);

const sdkWire = (rawId: string) => serializeCommunicationIdentifier(createIdentifierFromRawId(rawId));

describe('raw IDs against @azure/communication-common 2.5.0', () => {
	it('identifierModelFromRawId serialises every raw ID exactly as the SDK does, key order included', () => {
		fc.assert(
			fc.property(rawIds, (rawId) => {
				expect(JSON.stringify(identifierModelFromRawId(rawId))).toBe(JSON.stringify(sdkWire(rawId)));
			}),
			{ numRuns: 5_000 },
		);
	});

	const cloud = fc.constantFrom('public', 'dod', 'gcch', undefined);
	const text = fc.oneof(fc.uuid(), anyString(12));
	const identifiers: fc.Arbitrary<CommunicationIdentifier> = fc.oneof(
		text.map((communicationUserId) => ({ communicationUserId })),
		text.map((phoneNumber) => ({ phoneNumber })),
		fc.record({ microsoftTeamsUserId: text, isAnonymous: fc.boolean(), cloud }, { requiredKeys: ['microsoftTeamsUserId'] }),
		fc.record({ teamsAppId: text, cloud }, { requiredKeys: ['teamsAppId'] }),
		fc.record({ userId: text, tenantId: text, resourceId: text, cloud }, { requiredKeys: ['userId', 'tenantId', 'resourceId'] }),
		rawIds.map((rawId) => createIdentifierFromRawId(rawId)),
	) as fc.Arbitrary<CommunicationIdentifier>;

	// The SDK's deserializer wants the `rawId` key present for several kinds, even undefined.
	const sdkRead = (wire: CommunicationIdentifierModel) =>
		deserializeCommunicationIdentifier({ rawId: undefined, ...wire } as SerializedCommunicationIdentifier);

	it('rawIdFromIdentifierModel and identifierKind read every wire model as the SDK does, with or without rawId and kind', () => {
		fc.assert(
			fc.property(identifiers, fc.boolean(), fc.boolean(), (identifier, keepRawId, addKind) => {
				const serialized = serializeCommunicationIdentifier(identifier) as CommunicationIdentifierModel;
				const { rawId: _rawId, ...withoutRawId } = serialized;
				const wire: CommunicationIdentifierModel = keepRawId ? { ...serialized } : withoutRawId;
				// A model with nothing to build from gives '' here, where the SDK gives undefined (identifiers.ts).
				fc.pre(keepRawId || Object.keys(withoutRawId).length > 0);
				if (addKind) wire.kind = sdkRead(wire).kind;
				const sdk = sdkRead(wire);

				expect(rawIdFromIdentifierModel(wire)).toBe(getIdentifierRawId(sdk));
				expect(identifierKind(wire)).toBe(sdk.kind);
			}),
			{ numRuns: 5_000 },
		);
	});
});
