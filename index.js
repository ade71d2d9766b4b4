// n8n loads the node and credential through the paths in package.json's "n8n" section; this file only
// gives `require('n8n-nodes-acs-chat')` a harmless answer.
module.exports = {};
