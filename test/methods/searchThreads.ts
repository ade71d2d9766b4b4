import type { ICredentialDataDecryptedObject, INode, INodeType, INodeTypes, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { AcsChat } from '../../nodes/AcsChat/AcsChat.node';
import { NODE_TYPE, newCredentialsHelper } from '../harness/runNode';

const acsChat = new AcsChat();

const nodeTypes: INodeTypes = {
	getByName: (): INodeType => acsChat,
	getByNameAndVersion: (): INodeType => acsChat,
	getKnownTypes: () => ({}),
};

/**
 * Runs the Thread field's list search as the editor does: the node's own searchThreads method, called with n8n-core's
 * load-options context of the node being edited, whose requests go through the credential as a run's do.
 */
export async function searchThreads(filter: string | undefined, paginationToken: string | undefined, credential: ICredentialDataDecryptedObject) {
	const node: INode = {
		id: 'acs-node',
		name: 'ACS Chat',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'thread', operation: 'get', threadId: { __rl: true, mode: 'list', value: '' } },
		credentials: { azureCommunicationServicesApi: { id: 'cred-1', name: 'ACS' } },
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
	const credentialsHelper = newCredentialsHelper(credential);
	const additionalData = { credentialsHelper, variables: {} } as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'threadId');
	const result = await acsChat.methods.listSearch.searchThreads.call(context, filter, paginationToken);
	return { result, credentialsHelper };
}
