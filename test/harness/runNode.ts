import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';
import { checked } from '../fixtures/session';
import { TestCredentialsHelper } from './credentialsHelper';

export const NODE_TYPE = 'n8n-nodes-acs-chat.acsChat';
export const BASE_URL = 'https://contoso.communication.azure.com';
/** Shaped like a real token so a leak would be found by searching for it. */
export const TEST_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJza3lwZWlkIjoiYWNzOnRlc3QifQ.c2lnbmF0dXJlLXNlY3JldC10b2tlbg';

class AcsNodeTypes implements INodeTypes {
	private readonly node = new AcsChat();

	getByName(): INodeType {
		return this.node;
	}

	getByNameAndVersion(type: string): INodeType {
		if (type !== NODE_TYPE) throw new Error(`Unknown node type ${type}`);
		return this.node;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface RunOptions {
	parameters: IDataObject;
	/** Input items (json); one empty item when omitted, as after a Manual Trigger. */
	items?: IDataObject[];
	credential?: ICredentialDataDecryptedObject;
	onError?: INode['onError'];
	credentialsHelper?: TestCredentialsHelper;
	/** Cancels the execution, as the Stop button does, when this settles; the run then resolves once the node returns. */
	cancelWhen?: Promise<unknown>;
}

export interface RunResult {
	/** Output 0: the success items. */
	success: INodeExecutionData[];
	/** Output 1 when the node routes errors to the error output. */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the run, if one did. */
	error?: ExecutionError;
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
}

export function newCredentialsHelper(credential?: ICredentialDataDecryptedObject) {
	const helper = new TestCredentialsHelper({
		azureCommunicationServicesApi: new AzureCommunicationServicesApi(),
	});
	// Marked as checked, as a credential that has been used before is: its first use would check the token.
	helper.stored.set('cred-1', credential ?? checked({ endpoint: BASE_URL, accessToken: TEST_TOKEN }));
	return helper;
}

/**
 * Runs the ACS Chat node as n8n runs it: a Workflow executed by n8n-core's WorkflowExecute, the node's
 * parameters resolved by the real expression engine, errors routed by the engine's own on-error logic.
 */
export async function runAcsChat(options: RunOptions): Promise<RunResult> {
	const credentialsHelper = options.credentialsHelper ?? newCredentialsHelper(options.credential);
	const node: INode = {
		id: 'acs-node',
		name: 'ACS Chat',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { azureCommunicationServicesApi: { id: 'cred-1', name: 'ACS' } },
		...(options.onError ? { onError: options.onError } : {}),
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		nodeTypes: new AcsNodeTypes(),
		active: false,
		settings: {},
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = {
		hooks,
		credentialsHelper,
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	void options.cancelWhen?.then(() => execution.cancel());
	await execution;
	const run = await done;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		success: taskData?.data?.main[0] ?? [],
		errorOutput: taskData?.data?.main[1] ?? [],
		error: run.data.resultData.error,
		run,
		credentialsHelper,
	};
}
