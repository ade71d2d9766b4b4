/**
 * The trigger as n8n 2.41 runs it, without a server: n8n-core's own HookContext (webhook methods) and
 * WebhookContext (webhook()) around a Workflow holding the node, so parameters get their defaults, credentials go
 * through the node's credential rules and ARM requests through n8n-core's OAuth2 client-credentials flow (token
 * fetch, storing, refresh after a 401), all answered by nock. The credentials helper resolves a credential as
 * n8n's CredentialsHelper does (pinned hidden fields from their defaults, expressions against `$self`).
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { HookContext, WebhookContext } from 'n8n-core';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { AzureServicePrincipalOAuth2Api } from '../../credentials/AzureServicePrincipalOAuth2Api.credentials';
import { AcsChatTrigger } from '../../nodes/AcsChatTrigger/AcsChatTrigger.node';
import { TestCredentialsHelper } from '../harness/credentialsHelper';
import { ACS_USER } from '../fixtures/acs';
import { issued } from '../fixtures/session';

export const TRIGGER_TYPE = 'n8n-nodes-acs-chat.acsChatTrigger';
export const SP_TYPE = 'azureServicePrincipalOAuth2Api';
export const ACS_TYPE = 'azureCommunicationServicesApi';

export const ARM = 'https://management.azure.com';
export const LOGIN = 'https://login.microsoftonline.com';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Shaped so a leak is found by searching for it. */
export const CLIENT_SECRET = 'client-secret-value-Q8~leak-me-not';
export const ARM_TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.arm-token-signature';
export const RESOURCE_ID =
	'/subscriptions/3f2504e0-4f89-41d3-9a0c-0305e82c3301/resourceGroups/chat-rg/providers/Microsoft.Communication/communicationServices/contoso-chat';
export const WEBHOOK_ID = '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b';
export const WEBHOOK_BASE = 'https://n8n.example.com/webhook';
export const WEBHOOK_URL = `${WEBHOOK_BASE}/${WEBHOOK_ID}/webhook`;
export const SUBSCRIPTION_NAME = `n8n-${WEBHOOK_ID}`;
export const SUBSCRIPTION_PATH = `${RESOURCE_ID}/providers/Microsoft.EventGrid/eventSubscriptions/${SUBSCRIPTION_NAME}`;
export const TOKEN_PATH = `/${TENANT_ID}/oauth2/v2.0/token`;
export const API_VERSION = { 'api-version': '2025-02-15' };

/** The service principal as the credential form saves it: only the fields a user sees. */
export const SP_CREDENTIAL: ICredentialDataDecryptedObject = {
	cloud: 'azurePublic',
	tenantId: TENANT_ID,
	clientId: CLIENT_ID,
	clientSecret: CLIENT_SECRET,
};

/** The ACS credential the action node uses, with a token already issued for its user. */
export const ACS_CREDENTIAL = issued(
	{
		authentication: 'connectionString',
		connectionStringSecret: 'endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0LWtleQ==',
		userId: ACS_USER,
		expiresInMinutes: 1440,
	},
	'acs-chat-token',
);

const mockNode: INode = { id: 'credential', name: 'credential', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} };

const noNodeTypes: INodeTypes = {
	getByName: () => ({}) as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

// n8n's CredentialsHelper drops these stored values when the type declares them hidden, so the type's own
// defaults apply (dcr-managed-fields.js, OAUTH_PINNED_FIELDS).
const PINNED = ['useDynamicClientRegistration', 'authUrl', 'accessTokenUrl', 'grantType', 'authentication', 'usePkce'];

/** A stored credential as n8n hands it to a node: defaults filled in, hidden expressions evaluated against `$self`. */
export function resolveCredential(type: ICredentialType, stored: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const data = { ...stored };
	for (const field of PINNED) {
		if (type.properties.some((p) => p.name === field && p.type === 'hidden')) delete data[field];
	}
	const withDefaults = NodeHelpers.getNodeParameters(type.properties, data as never, true, false, null, null) as IDataObject;
	if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;
	const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: noNodeTypes });
	return workflow.expression.getComplexParameterValue(
		mockNode,
		withDefaults as never,
		'internal',
		{},
		undefined,
		undefined,
		withDefaults as never,
	) as ICredentialDataDecryptedObject;
}

/** n8n's CredentialsHelper, for the parts the trigger relies on: OAuth2 parentage, resolution, token storage. */
export class TriggerCredentialsHelper extends TestCredentialsHelper {
	private readonly typesByName: Record<string, ICredentialType>;

	constructor(types: Record<string, ICredentialType>) {
		super(types);
		this.typesByName = types;
	}

	// Parameters optional, as the base class declares none.
	getParentTypes(name?: string): string[] {
		return this.typesByName[name ?? '']?.extends ?? [];
	}

	async getDecrypted(
		additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type?: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = await super.getDecrypted(additionalData, nodeCredentials);
		return resolveCredential(this.typesByName[type ?? ''], stored);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials?: INodeCredentialsDetails,
		_type?: string,
		data?: ICredentialDataDecryptedObject,
	): Promise<void> {
		const id = nodeCredentials?.id ?? '';
		this.stored.set(id, { ...this.stored.get(id), oauthTokenData: (data?.oauthTokenData ?? {}) as IDataObject });
	}
}

export class TriggerNodeTypes implements INodeTypes {
	readonly node = new AcsChatTrigger();

	getByName(): INodeType {
		return this.node;
	}

	getByNameAndVersion(type: string): INodeType {
		if (type !== TRIGGER_TYPE) throw new Error(`Unknown node type ${type}`);
		return this.node;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface TriggerSetup {
	parameters: IDataObject;
	/** Static data of the workflow (the node's part lives under `node:<name>`). */
	staticData?: IDataObject;
	spCredential?: ICredentialDataDecryptedObject;
	acsCredential?: ICredentialDataDecryptedObject;
	workflowId?: string;
}

export interface Trigger {
	workflow: Workflow;
	node: INode;
	credentialsHelper: TriggerCredentialsHelper;
	/** The node's own static data (what getWorkflowStaticData('node') returns). */
	nodeStaticData(): IDataObject;
	additionalData(extra?: Partial<IWorkflowExecuteAdditionalData>): IWorkflowExecuteAdditionalData;
}

export function trigger(setup: TriggerSetup): Trigger {
	const credentialsHelper = new TriggerCredentialsHelper({
		[SP_TYPE]: new AzureServicePrincipalOAuth2Api(),
		[ACS_TYPE]: new AzureCommunicationServicesApi(),
	});
	credentialsHelper.stored.set('sp-1', { ...(setup.spCredential ?? SP_CREDENTIAL) });
	credentialsHelper.stored.set('acs-1', { ...(setup.acsCredential ?? ACS_CREDENTIAL) });
	const node: INode = {
		id: 'trigger-node',
		name: 'ACS Chat Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: setup.parameters as INode['parameters'],
		credentials: {
			[SP_TYPE]: { id: 'sp-1', name: 'Service principal' },
			[ACS_TYPE]: { id: 'acs-1', name: 'ACS' },
		},
	};
	const workflow = new Workflow({
		id: setup.workflowId ?? 'wf-1',
		nodes: [node],
		connections: {},
		nodeTypes: new TriggerNodeTypes(),
		active: true,
		staticData: setup.staticData ?? {},
	});
	const additionalData = (extra: Partial<IWorkflowExecuteAdditionalData> = {}) =>
		({
			credentialsHelper,
			currentNodeParameters: undefined,
			restApiUrl: 'https://n8n.example.com/rest',
			instanceBaseUrl: 'https://n8n.example.com/',
			webhookBaseUrl: WEBHOOK_BASE,
			webhookWaitingBaseUrl: 'https://n8n.example.com/webhook-waiting',
			webhookTestBaseUrl: 'https://n8n.example.com/webhook-test',
			formWaitingBaseUrl: 'https://n8n.example.com/form-waiting',
			variables: {},
			userId: 'test-user',
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;
	// Workflow copies the nodes it is given: the one it holds has the parameters with their defaults.
	const held = workflow.getNode(node.name) as INode;
	return {
		workflow,
		node: held,
		credentialsHelper,
		nodeStaticData: () => workflow.getStaticData('node', held),
		additionalData,
	};
}

/** The context n8n runs webhook methods in: 'trigger' for an activation, 'manual' for the editor's test webhook. */
export function hookContext(t: Trigger, mode: WorkflowExecuteMode = 'trigger'): HookContext {
	const webhookData = { isTest: mode === 'manual' } as IWebhookData;
	return new HookContext(t.workflow, t.node, t.additionalData(), mode, 'activate', webhookData);
}

export interface Delivery {
	headers?: IDataObject;
	body?: unknown;
	query?: IDataObject;
}

/** What webhook() wrote to the response itself (401, 503, 400), if anything. */
export interface RecordedResponse {
	status?: number;
	body?: unknown;
}

export function webhookContext(
	t: Trigger,
	delivery: Delivery,
	mode: WorkflowExecuteMode = 'webhook',
): { context: WebhookContext; response: RecordedResponse } {
	const response: RecordedResponse = {};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const req = {
		headers: delivery.headers ?? {},
		body: delivery.body,
		query: delivery.query ?? {},
		params: {},
	};
	const additionalData = t.additionalData({ httpRequest: req, httpResponse: res } as never);
	const webhookData = { isTest: mode === 'manual', webhookDescription: { name: 'default' } } as IWebhookData;
	return { context: new WebhookContext(t.workflow, t.node, additionalData, mode, webhookData, [], null), response };
}

/** Event Grid's headers for a notification carrying `secret` in the delivery attribute header. */
export function notificationHeaders(secret?: string): IDataObject {
	return {
		'aeg-event-type': 'Notification',
		'aeg-subscription-name': SUBSCRIPTION_NAME.toUpperCase(),
		'aeg-delivery-count': '0',
		'content-type': 'application/json',
		...(secret === undefined ? {} : { 'x-acs-webhook-secret': secret }),
	};
}

/** A record as create leaves it, with a known secret. */
export function createdRecord(secret = 'known-secret-0123456789abcdef'): IDataObject {
	return { subscriptionName: SUBSCRIPTION_NAME, resourceId: RESOURCE_ID, endpointUrl: WEBHOOK_URL, secret };
}

export const AUTOMATIC = { subscriptionMode: 'automatic', resourceId: RESOURCE_ID };
