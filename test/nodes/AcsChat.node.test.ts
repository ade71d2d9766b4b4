import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';
import { router } from '../../nodes/AcsChat/actions/router';

const root = join(__dirname, '..', '..');
const { description } = new AcsChat();
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function iconPath(from: string, icon: string) {
	return join(root, from, icon.replace(/^file:/, ''));
}

describe('ACS Chat node description', () => {
	it('is the node users and AI agents find', () => {
		expect(description).toMatchObject({
			name: 'acsChat',
			displayName: 'Azure Communication Services Chat',
			usableAsTool: true,
			version: 1,
			credentials: [{ name: new AzureCommunicationServicesApi().name, required: true }],
		});
	});

	const offered = description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) =>
			(p.options as Array<{ value: string; action?: string }>).map((o) => ({
				resource: String(p.displayOptions?.show?.resource?.[0]),
				operation: o.value,
				action: o.action,
			})),
		);

	/** Runs the router on one item of resource/operation and says what stopped it. */
	async function dispatch(resource: string, operation: string): Promise<string> {
		const reached = new Error('reached the operation');
		const context = {
			getInputData: () => [{ json: {} }],
			getNode: () => ({ name: 'ACS Chat', type: 'acsChat', typeVersion: 1, parameters: {} }),
			getNodeParameter: (name: string) => {
				if (name === 'resource') return resource;
				if (name === 'operation') return operation;
				if (name === 'options') return {};
				// The first field an operation reads: proof that the router handed it the item.
				throw reached;
			},
			continueOnFail: () => false,
			getExecutionCancelSignal: () => undefined,
		} as unknown as IExecuteFunctions;
		try {
			await router.call(context);
			return 'finished';
		} catch (error) {
			return (error as Error).message;
		}
	}

	it('offers each operation with an action label for agents', () => {
		expect(offered.length).toBeGreaterThanOrEqual(2);
		for (const entry of offered) expect(entry.action).toMatch(/\S/);
		expect(offered).toContainEqual(expect.objectContaining({ resource: 'thread', operation: 'get' }));
		expect(offered).toContainEqual(expect.objectContaining({ resource: 'participant', operation: 'remove' }));
	});

	it('offers the thread operations of issue 9, Get staying the default so saved workflows keep their operation', () => {
		const thread = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'thread',
		);
		expect(offered.filter((entry) => entry.resource === 'thread').map((entry) => entry.operation)).toEqual([
			'create',
			'delete',
			'get',
			'getAll',
			'sendTypingNotification',
			'update',
		]);
		expect(thread?.default).toBe('get');
	});

	it('describes what it does beyond threads, and searches threads for the Thread field', () => {
		expect(description.description).toMatch(/threads.*participants.*messages.*users/);
		expect(typeof new AcsChat().methods.listSearch.searchThreads).toBe('function');
	});

	it('routes every operation the editor offers to that operation', async () => {
		for (const { resource, operation } of offered) {
			expect(await dispatch(resource, operation)).toBe('reached the operation');
		}
	});

	it('runs nothing the editor does not offer', async () => {
		const resourceValues = [...new Set(offered.map((entry) => entry.resource))];
		const operationValues = [...new Set(offered.map((entry) => entry.operation))];
		for (const resource of [...resourceValues, 'message']) {
			for (const operation of [...operationValues, 'send']) {
				if (offered.some((entry) => entry.resource === resource && entry.operation === operation)) continue;
				expect(await dispatch(resource, operation)).toMatch(/is not supported/);
			}
		}
	});

	it('shows every field only for its own resource and operation', () => {
		const fields = description.properties.filter((p) => !['resource', 'operation'].includes(p.name));
		for (const field of fields as INodeProperties[]) {
			expect(field.displayOptions?.show?.resource).toHaveLength(1);
			expect(field.displayOptions?.show?.operation).toHaveLength(1);
		}
	});

	it('has light and dark icons that exist, for the node and the credential', () => {
		const nodeIcon = description.icon as { light: string; dark: string };
		const credentialIcon = new AzureCommunicationServicesApi().icon as { light: string; dark: string };
		for (const icon of [nodeIcon.light, nodeIcon.dark]) expect(existsSync(iconPath('nodes/AcsChat', icon))).toBe(true);
		for (const icon of [credentialIcon.light, credentialIcon.dark]) {
			expect(existsSync(iconPath('credentials', icon))).toBe(true);
		}
		expect(nodeIcon.light).not.toBe(nodeIcon.dark);
	});

	it('has a codex naming this package and node, and package.json lists what the build emits', () => {
		const codex = JSON.parse(readFileSync(join(root, 'nodes/AcsChat/AcsChat.node.json'), 'utf8'));
		expect(codex.node).toBe(`${packageJson.name}.${description.name}`);
		// The action node first: the editor's search keeps n8n's order where the trigger scores the same.
		expect(packageJson.n8n.nodes).toEqual(['dist/nodes/AcsChat/AcsChat.node.js', 'dist/nodes/AcsChatTrigger/AcsChatTrigger.node.js']);
		expect(packageJson.n8n.credentials).toEqual([
			'dist/credentials/AzureCommunicationServicesApi.credentials.js',
			'dist/credentials/AzureServicePrincipalOAuth2Api.credentials.js',
		]);
		expect(packageJson.dependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});
});
