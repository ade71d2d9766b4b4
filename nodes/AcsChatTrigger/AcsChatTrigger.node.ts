import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, whenAutomatic } from './description';
import { checkExists, create, deleteSubscription } from './subscription';
import { webhook } from './webhook';

export class AcsChatTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Azure Communication Services Chat Trigger',
		name: 'acsChatTrigger',
		icon: { light: 'file:../../icons/acsChat.svg', dark: 'file:../../icons/acsChat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].length === 1 ? $parameter["events"][0].split(".").pop() : $parameter["events"].length + " events"}}',
		description: 'Starts the workflow on Azure Communication Services chat events, delivered by Event Grid',
		defaults: { name: 'ACS Chat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'azureServicePrincipalOAuth2Api',
				required: true,
				displayName: 'Credential for Azure Resource Manager',
				displayOptions: whenAutomatic,
			},
			{ name: 'azureCommunicationServicesApi', required: true, displayOptions: { show: { ignoreOwnEvents: [true] } } },
		],
		// onReceived: Event Grid gets its 200 before the workflow runs. noData: the answer has no body (n8n would
		// otherwise send the text "firstEntryJson", its default for the last-node mode).
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await webhook.call(this);
	}
}
