import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class AzureCommunicationServicesApi implements ICredentialType {
	name = 'azureCommunicationServicesApi';

	displayName = 'Azure Communication Services API';

	icon: Icon = { light: 'file:../icons/acsChat.svg', dark: 'file:../icons/acsChat.dark.svg' };

	documentationUrl =
		'https://learn.microsoft.com/en-us/azure/communication-services/quickstarts/identity/access-tokens';

	properties: INodeProperties[] = [
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
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
			description:
				'A user access token with the chat scope, issued by the Identity API for the ACS user the node acts as. It is valid for at most 24 hours.',
		},
	];

	// Pasted tokens often carry a trailing newline, which Node refuses in a header.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken.trim()}}',
			},
		},
	};

	// Listing one thread is the cheapest call every chat-scoped token may make, so a 200 proves both the
	// endpoint and the token; the base URL drops any path or trailing slash pasted with the endpoint.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.endpoint.trim().replace(/^(https?:\\/\\/[^/?#]+).*$/i, "$1")}}',
			url: '/chat/threads',
			qs: { 'api-version': '2024-03-07', maxPageSize: 1 },
		},
	};
}
