import type { INodeProperties } from 'n8n-workflow';

import { message } from './message';
import { participant } from './participant';
import type { Resource } from './resource';
import { thread } from './thread';
import { user } from './user';

/** Every resource of the node, in the order the editor lists them. */
export const resources: Resource[] = [message, participant, thread, user];

/** The node's fields: the Resource selector, then each resource's operations and their fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map((resource) => resource.option),
		default: 'thread',
	},
	...resources.flatMap((resource) => resource.properties),
];
