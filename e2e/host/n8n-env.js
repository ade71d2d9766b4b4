'use strict';

const { pathWithNode24 } = require('./paths');

/**
 * Environment for an n8n process that must work offline and alone: its own user folder (database,
 * encryption key, community packages), its own task broker port so several instances can run at once,
 * and every feature that calls n8n's online services switched off so logs only show what matters.
 */
function n8nEnv({ userFolder, brokerPort, extra = {} }) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		// n8n reads N8N_*, DB_* and similar; a developer's own settings must not leak into a test instance.
		// Jest sets NODE_ENV=test, under which `n8n execute` prints nothing at all.
		if (!/^(npm_|N8N_|DB_|QUEUE_|EXECUTIONS_|GENERIC_|CREDENTIALS_|WEBHOOK_URL$|NODE_ENV$|JEST_)/i.test(key)) {
			env[key] = value;
		}
	}
	return {
		...env,
		PATH: pathWithNode24(env.PATH),
		N8N_USER_FOLDER: userFolder,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Today's default, set explicitly because n8n warns it will flip; this package is unverified.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// Refreshes its catalogue from api.n8n.io every few hours and logs a stack trace when offline.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// The package talks to a loopback stub or emulator; a machine proxy must not swallow that.
		NO_PROXY: '127.0.0.1,localhost,::1',
		no_proxy: '127.0.0.1,localhost,::1',
		NO_COLOR: '1',
		...extra,
	};
}

module.exports = { n8nEnv };
