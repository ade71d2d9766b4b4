import type { INode, INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';
import { NODE_TYPE } from '../harness/runNode';

// As an AI Agent's tool, an operation is known to the model by one text: n8n's tool description, its `action` with
// " in ACS Chat" after it. A model choosing among 20 operations must read from it what each does and what every ID
// it needs looks like; the fields' own descriptions say the same to the person wiring the tool, and where the ID
// comes from.
const nodeType = new AcsChat() as INodeType;
const { properties } = nodeType.description;

/** n8n's longest `action` (n8n-nodes-base 2.41) is 109 characters; the editor's node panel lists these texts. */
const MAX_ACTION = 109;

/** What every ID field of an operation must show in its tool description, by parameter name. */
const ID_SHAPES: Record<string, RegExp> = {
	threadId: /19:…@thread\.v2/,
	messageId: /message ID \(digits/,
	participantId: /8:acs:…/,
	participants: /8:acs:…/,
	userId: /8:acs:…/,
};

/** What each ID field's description must say: the shape, and the operation whose output holds it. */
const FIELD_TEXTS: Record<string, RegExp[]> = {
	threadId: [/19:…@thread\.v2/, /Thread → Create/, /Thread → Get Many/],
	messageId: [/digits/, /1593107077690/, /Message → Send/, /Message → Get Many/],
	participantId: [/8:acs:…/, /4:\+14255550123/, /Participant → Get Many/],
	userId: [/8:acs:…/, /User → Create/],
};

const operations = properties
	.filter((property) => property.name === 'operation')
	.flatMap((selector) =>
		(selector.options as INodePropertyOptions[]).map((option) => {
			const resource = String(selector.displayOptions?.show?.resource?.[0]);
			const fields = properties.filter(
				(field) =>
					field.displayOptions?.show?.resource?.includes(resource) &&
					field.displayOptions?.show?.operation?.includes(option.value),
			);
			return { resource, operation: String(option.value), action: String(option.action), fields };
		}),
	);

/** The description n8n gives the tool made of this operation (the editor's default "Set Automatically"). */
function toolDescription(resource: string, operation: string): string {
	const node: INode = {
		id: 'tool',
		name: 'ACS Chat',
		type: `${NODE_TYPE}Tool`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { descriptionType: 'auto', resource, operation },
	};
	return NodeHelpers.getToolDescriptionForNode(node, nodeType);
}

describe('what a model reads about each operation', () => {
	it('covers all 20 operations', () => {
		expect(operations).toHaveLength(20);
	});

	it.each(operations.map((entry) => [`${entry.resource} → ${entry.operation}`, entry]))(
		'%s: the tool description says what it does and what its IDs look like',
		(_, { resource, operation, action, fields }) => {
			expect(toolDescription(resource, operation)).toBe(`${action} in ACS Chat`);
			expect(action.length).toBeLessThanOrEqual(MAX_ACTION);
			// A sentence-case verb phrase, as n8n's own actions.
			expect(action).toMatch(/^(Add|Create|Delete|Get|Issue|Mark|Remove|Revoke|Send|Update) [a-z]/);
			const idFields = fields.filter((field: INodeProperties) => ID_SHAPES[field.name] !== undefined);
			for (const field of idFields) expect(action).toMatch(ID_SHAPES[field.name]);
		},
	);

	it.each(Object.keys(FIELD_TEXTS))('every %s field says what the ID looks like and where it comes from', (name) => {
		const found = operations.flatMap(({ fields }) => fields.filter((field) => field.name === name));
		expect(found.length).toBeGreaterThan(0);
		for (const field of found) {
			for (const text of FIELD_TEXTS[name]) expect(field.description).toMatch(text);
		}
	});
});
