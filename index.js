// The built node and credential classes, for tools in this repository (`require('.')` after `npm run build`).
// n8n loads them through the paths in package.json's "n8n" section; package.json names no "main", so npm
// does not pack this file and the published tarball holds only dist/, README, LICENSE and package.json.
module.exports = {
	AcsChat: require('./dist/nodes/AcsChat/AcsChat.node').AcsChat,
	AcsChatTrigger: require('./dist/nodes/AcsChatTrigger/AcsChatTrigger.node').AcsChatTrigger,
	AzureCommunicationServicesApi: require('./dist/credentials/AzureCommunicationServicesApi.credentials')
		.AzureCommunicationServicesApi,
	AzureServicePrincipalOAuth2Api: require('./dist/credentials/AzureServicePrincipalOAuth2Api.credentials')
		.AzureServicePrincipalOAuth2Api,
};
