import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/resources';
import { router } from './actions/router';
import { searchThreads } from './methods/listSearch';

export class AcsChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azure Communication Services Chat',
		name: 'acsChat',
		icon: { light: 'file:../../icons/acsChat.svg', dark: 'file:../../icons/acsChat.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, list, update and delete chat threads, manage their participants, send and read messages, and create ACS users and tokens in Azure Communication Services',
		defaults: { name: 'ACS Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'azureCommunicationServicesApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchThreads } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
