import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { TOKEN_LIFETIME_MINUTES } from '../nodes/AcsChat/transport/credentials';
import { authorize } from '../nodes/AcsChat/transport/authorize';
import { DEFAULT_SESSION_CONTEXT, openSession } from '../nodes/AcsChat/transport/session';

const whenAccessToken = { show: { authentication: ['accessToken'] } };
const whenConnectionString = { show: { authentication: ['connectionString'] } };

export class AzureCommunicationServicesApi implements ICredentialType {
	name = 'azureCommunicationServicesApi';

	displayName = 'Azure Communication Services API';

	icon: Icon = { light: 'file:../icons/acsChat.svg', dark: 'file:../icons/acsChat.dark.svg' };

	documentationUrl =
		'https://learn.microsoft.com/en-us/azure/communication-services/quickstarts/identity/access-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'User Access Token',
					value: 'accessToken',
					description: 'A token you issued yourself; it expires within 24 hours',
				},
				{
					name: 'Connection String',
					value: 'connectionString',
					description: 'The resource connection string: n8n issues and renews chat tokens itself, for schedules',
				},
			],
			default: 'accessToken',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
			displayOptions: whenAccessToken,
			placeholder: 'https://my-resource.communication.azure.com',
			description:
				'The Endpoint of your Communication Services resource, from its Keys page in the Azure portal. Must use https (plain http is accepted only for localhost, e.g. the offline emulator).',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: whenAccessToken,
			description:
				'A user access token with the chat scope, issued by the Identity API for the ACS user the node acts as. It is valid for at most 24 hours.',
		},
		{
			displayName: 'Connection String',
			name: 'connectionStringSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: whenConnectionString,
			placeholder: 'endpoint=https://my-resource.communication.azure.com/;accesskey=…',
			description:
				'From the Keys page of your Communication Services resource in the Azure portal. Its access key signs the token requests and never leaves n8n.',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: whenConnectionString,
			placeholder: '8:acs:…',
			description:
				'The ACS user (8:acs:…) the node acts as. It must be a participant of the threads the workflow works on.',
		},
		{
			displayName: 'Token Lifetime (Minutes)',
			name: 'expiresInMinutes',
			type: 'number',
			typeOptions: { minValue: TOKEN_LIFETIME_MINUTES.min, maxValue: TOKEN_LIFETIME_MINUTES.max },
			default: TOKEN_LIFETIME_MINUTES.max,
			displayOptions: whenConnectionString,
			description: 'How long each issued token lives; a new one is issued when the service rejects the old one',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// n8n calls this in the credential test and whenever the session field is empty, and saves what it returns with
	// the credential. The node's transport hands n8n an empty field when the stored session was made for other
	// settings (the credential was edited) or its token was refused, so a schedule keeps working after a token expires.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await openSession(this.helpers, credentials);
	}

	// A function rather than a header expression: the session field holds a record (the issued token and what it
	// was issued for), and the token may only go to the endpoint the node parses from the credential.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
		return await authorize(credentials, requestOptions);
	}

	// Listing one thread is the cheapest call every chat-scoped token may make, so a 200 proves the endpoint and
	// the token (after preAuthentication has checked or issued it, with the service's own message on failure).
	// No base URL: `authenticate` sends it to the endpoint as the node reads it from either kind of credential.
	test: ICredentialTestRequest = {
		request: {
			url: '/chat/threads',
			qs: { 'api-version': DEFAULT_SESSION_CONTEXT.apiVersion, maxPageSize: 1 },
		},
	};
}
