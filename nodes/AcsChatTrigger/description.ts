import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_EVENT_TYPE, eventTypeOptions } from './eventTypes';
import { RESOURCE_ID_EXAMPLE } from './resourceId';
import { SECRET_HEADER, SECRET_QUERY_PARAMETER } from './secret';

export const whenAutomatic = { show: { subscriptionMode: ['automatic'] } };
const whenManual = { show: { subscriptionMode: ['manual'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'Subscription',
		name: 'subscriptionMode',
		type: 'options',
		options: [
			{
				name: 'Create Automatically',
				value: 'automatic',
				description:
					'The node creates the Event Grid subscription when the workflow is activated and deletes it when deactivated',
			},
			{
				name: 'I Create It in the Azure Portal',
				value: 'manual',
				description: 'You create the Event Grid subscription yourself and give it the secret below',
			},
		],
		default: 'automatic',
	},
	{
		displayName:
			'The service principal needs the role "EventGrid EventSubscription Contributor" on the Communication Services resource (Access control (IAM) → Add role assignment). Event Grid delivers only to a public https URL: set n8n\'s WEBHOOK_URL to the address the internet reaches it at.',
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: whenAutomatic,
	},
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: whenAutomatic,
		placeholder: RESOURCE_ID_EXAMPLE,
		description:
			"The Communication Services resource's ID, from its Properties page in the Azure portal (Resource ID)",
	},
	{
		displayName: `In the Azure portal: open the Communication Services resource → Events → + Event Subscription. Event Schema: Event Grid Schema. Endpoint type: Web Hook, endpoint: this node's Production URL (under Webhook URLs above). Then either add, under Additional Features → Delivery Properties, a header named ${SECRET_HEADER} whose value is the secret below (tick "Is secret"), or append ?${SECRET_QUERY_PARAMETER}=<the secret> to the endpoint URL. The node answers the validation handshake itself.`,
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: whenManual,
	},
	{
		displayName: 'Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: whenManual,
		description:
			'A long random value you choose and also give the subscription; deliveries without it are answered 401 and start nothing',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventTypeOptions,
		default: [DEFAULT_EVENT_TYPE],
		required: true,
		description: 'The chat events that start the workflow',
	},
	{
		displayName: 'Thread IDs',
		name: 'threadIds',
		type: 'string',
		default: '',
		placeholder: '19:…@thread.v2, 19:…@thread.v2',
		description: 'Only events of these chat threads, comma-separated. Leave empty for every thread.',
	},
	{
		displayName: 'Ignore Own Events',
		name: 'ignoreOwnEvents',
		type: 'boolean',
		default: true,
		description:
			"Whether to drop events caused by the ACS user of the Azure Communication Services credential (messages it sent, participants it added, threads it changed), so that a workflow replying in the thread does not trigger itself",
	},
];
