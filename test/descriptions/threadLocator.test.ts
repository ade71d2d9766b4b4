import type { INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';
import { threadLocator } from '../../nodes/AcsChat/descriptions/threadLocator';
import { NODE_TYPE } from '../harness/runNode';

const { description } = new AcsChat();

/** The issues the editor shows under the Thread field of Thread → Get, as n8n computes them. */
function threadIssues(mode: string, value: string): string[] {
	const parameters = { resource: 'thread', operation: 'get', threadId: { __rl: true, mode, value } };
	const node: INode = { id: 'n', name: 'ACS Chat', type: NODE_TYPE, typeVersion: 1, position: [0, 0], parameters };
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description);
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: resolved! }, description);
	return (issues?.parameters?.threadId as string[] | undefined) ?? [];
}

describe('Thread field', () => {
	it.each(['id', 'list'])('shows only "required" when empty in mode %s', (mode) => {
		expect(threadIssues(mode, '')).toEqual(['Parameter "Thread" is required.']);
	});

	it.each(['general', '19:abc', ' 19:abc@thread.v2'])('shows the format error for %p typed by ID', (value) => {
		expect(threadIssues('id', value)).toEqual(['Not a chat thread ID: expected 19:…@thread.v2']);
	});

	it('shows nothing for a thread ID, or an expression', () => {
		expect(threadIssues('id', '19:abc@thread.v2')).toEqual([]);
		expect(threadIssues('id', '={{ $json.threadId }}')).toEqual([]);
	});

	it('offers the list first, searched by the node\'s searchThreads method', () => {
		expect(threadLocator.default).toEqual({ mode: 'list', value: '' });
		expect(threadLocator.modes?.[0]).toMatchObject({
			name: 'list',
			typeOptions: { searchListMethod: 'searchThreads', searchable: true },
		});
		expect(Object.keys(new AcsChat().methods.listSearch)).toEqual(['searchThreads']);
	});
});
