import type { INodeProperties } from 'n8n-workflow';

import { AcsChat } from '../../../nodes/AcsChat/AcsChat.node';

const { properties } = new AcsChat().description;

/** The names in the Options collection of each resource's operations. */
function optionNames(resource: string): Array<[string, string[]]> {
	return properties
		.filter((p) => p.name === 'options' && p.displayOptions?.show?.resource?.includes(resource))
		.map((p) => [String(p.displayOptions?.show?.operation?.[0]), (p.options as INodeProperties[]).map((option) => option.name)]);
}

describe('Options of the User operations', () => {
	it('offer no ACS Chat API version (the Identity API has its own fixed one) but every request setting', () => {
		const user = optionNames('user');
		expect(user.map(([operation]) => operation).sort()).toEqual(['create', 'delete', 'issueToken', 'revokeTokens']);
		for (const [, names] of user) expect(names).toEqual(['concurrency', 'maxRetries', 'retryOnThrottle', 'timeout']);
	});

	it('leave the chat operations their API version', () => {
		const chat = ['message', 'participant', 'thread'].flatMap(optionNames);
		expect(chat.length).toBeGreaterThanOrEqual(3);
		for (const [, names] of chat) expect(names).toContain('apiVersion');
	});
});
