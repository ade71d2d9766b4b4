import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';

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

	it('offers exactly the operations the router runs, each with an action label for agents', () => {
		const operations = description.properties.filter((p) => p.name === 'operation');
		const offered = operations.flatMap((p) =>
			(p.options as Array<{ value: string; action?: string }>).map((o) => [
				p.displayOptions?.show?.resource?.[0],
				o.value,
				typeof o.action,
			]),
		);
		expect(offered).toEqual([
			['thread', 'get', 'string'],
			['participant', 'remove', 'string'],
		]);
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
		expect(packageJson.n8n.nodes).toEqual(['dist/nodes/AcsChat/AcsChat.node.js']);
		expect(packageJson.n8n.credentials).toEqual(['dist/credentials/AzureCommunicationServicesApi.credentials.js']);
		expect(packageJson.dependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});
});
