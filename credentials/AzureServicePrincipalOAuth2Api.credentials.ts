import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	armScope,
	byCloud,
	CLOUDS,
	customHost,
	DEFAULT_ARM_SCOPE,
	DEFAULT_CLOUD,
} from '../nodes/AcsChatTrigger/clouds';

const whenCustom = { show: { cloud: ['custom'] } };

/** The Custom cloud's scope field, trimmed; the table's clouds ask for `{ARM host}/.default`. */
const SCOPE = `={{ ${byCloud('$self', armScope, 'String($self["customScope"] ?? "").trim()')} }}`;

/** Entra ID's v2.0 token endpoint of the tenant, on the cloud's authority host. */
const ACCESS_TOKEN_URL =
	`={{ ${byCloud('$self', (cloud) => cloud.authorityHost, customHost('$self', 'authorityHost'))} }}` +
	'/{{ String($self["tenantId"] ?? "").trim() }}/oauth2/v2.0/token';

/**
 * An app registration (service principal) signing in to Entra ID with its client secret, for Azure Resource
 * Manager: the ACS Chat Trigger creates and deletes its Event Grid subscription with it.
 *
 * Built on n8n's own OAuth2 client-credentials flow (as n8n's Microsoft Azure Monitor credential is), not on a
 * minted token of its own: n8n 2.41 evaluates the hidden token URL and scope expressions below against the
 * credential (`$self`) before it asks for a token, fetches one on first use, stores it with the credential and
 * fetches a new one when ARM answers 401, one refresh per credential even for parallel requests.
 */
export class AzureServicePrincipalOAuth2Api implements ICredentialType {
	name = 'azureServicePrincipalOAuth2Api';

	displayName = 'Azure Service Principal OAuth2 API';

	extends = ['oAuth2Api'];

	icon: Icon = { light: 'file:../icons/acsChat.svg', dark: 'file:../icons/acsChat.dark.svg' };

	documentationUrl =
		'https://learn.microsoft.com/en-us/entra/identity-platform/howto-create-service-principal-portal';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				...Object.entries(CLOUDS).map(([value, cloud]) => ({
					name: cloud.name,
					value,
					description: `Signs in at ${cloud.authorityHost}, manages through ${cloud.armHost}`,
				})),
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own authority and Resource Manager hosts (e.g. Azure Stack Hub, or a local emulator)',
				},
			],
			default: DEFAULT_CLOUD,
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description:
				'Directory (tenant) ID of the app registration, from its Overview page in the Azure portal (Microsoft Entra ID → App registrations)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: 'Application (client) ID of the app registration, from its Overview page',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Value of a client secret of the app registration (Certificates & secrets → Client secrets), not its Secret ID',
		},
		{
			displayName: 'Authority Host',
			name: 'authorityHost',
			type: 'string',
			default: CLOUDS.azurePublic.authorityHost,
			required: true,
			displayOptions: whenCustom,
			description:
				'Where Entra ID issues tokens; n8n asks {host}/{tenant}/oauth2/v2.0/token. Must use https (plain http only for localhost).',
		},
		{
			displayName: 'Resource Manager Host',
			name: 'armHost',
			type: 'string',
			default: CLOUDS.azurePublic.armHost,
			required: true,
			displayOptions: whenCustom,
			description:
				'Where Azure Resource Manager answers. Must use https (plain http only for localhost).',
		},
		{
			displayName: 'Token Scope',
			name: 'customScope',
			type: 'string',
			default: DEFAULT_ARM_SCOPE,
			required: true,
			displayOptions: whenCustom,
			description: "The scope the token is asked for: the Resource Manager's audience followed by /.default",
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: ACCESS_TOKEN_URL,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPE,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Entra ID reads client_id and client_secret from the form body (client_secret_post).
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	// Listing subscriptions needs no role, only a token ARM accepts: a 200 proves tenant, client, secret and cloud.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${byCloud('$credentials', (cloud) => cloud.armHost, customHost('$credentials', 'armHost'))} }}`,
			url: '/subscriptions',
			qs: { 'api-version': '2022-12-01' },
		},
	};
}
