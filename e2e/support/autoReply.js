'use strict';

// The second workflow `npm start` opens, which the trigger's e2e suite runs: "ACS Chat auto-reply". Its trigger
// subscribes itself through the emulator's ARM (automatic mode, the emulator's service principal) to messages
// received in any thread, and Send Message answers each in its thread as the credential's user; that user's own
// messages (the replies) are dropped by the trigger, so the workflow does not answer itself.
const wf = require('./workflows');

const TRIGGER_TYPE = 'n8n-nodes-acs-chat.acsChatTrigger';
const SERVICE_PRINCIPAL_TYPE = 'azureServicePrincipalOAuth2Api';
const MESSAGE_RECEIVED = 'Microsoft.Communication.ChatMessageReceivedInThread';
const REPLY = 'Got it';

/** The emulator's service principal as the credential form saves it: the Custom cloud, both hosts the emulator. */
function servicePrincipalCredential({ id, name, emulator }) {
	const { tenantId, clientId, clientSecret, authorityHost, armHost } = emulator.azure;
	return {
		id,
		name,
		type: SERVICE_PRINCIPAL_TYPE,
		data: { grantType: 'clientCredentials', cloud: 'custom', tenantId, clientId, clientSecret, authorityHost, armHost },
	};
}

/**
 * @param credential the ACS credential (connection string), @param servicePrincipal the ARM one,
 * @param resourceId the emulator's ACS resource, @param webhookId the trigger's (its subscription is named after it)
 */
function autoReplyWorkflow({ id, name, credential, servicePrincipal, resourceId, webhookId }) {
	const trigger = wf.node(
		'ACS Chat Trigger',
		TRIGGER_TYPE,
		1,
		[0, 0],
		{ subscriptionMode: 'automatic', resourceId, events: [MESSAGE_RECEIVED], threadIds: '', ignoreOwnEvents: true },
		{
			webhookId,
			credentials: {
				[SERVICE_PRINCIPAL_TYPE]: { id: servicePrincipal.id, name: servicePrincipal.name },
				azureCommunicationServicesApi: { id: credential.id, name: credential.name },
			},
		},
	);
	const reply = wf.acsNode('Reply', [260, 0], credential, {
		resource: 'message',
		operation: 'send',
		threadId: '={{ $json.threadId }}',
		content: REPLY,
	});
	return wf.workflow({ id, name, nodes: [trigger, reply], connections: wf.connect({ [trigger.name]: ['Reply'] }) });
}

module.exports = { autoReplyWorkflow, servicePrincipalCredential, MESSAGE_RECEIVED, REPLY };
