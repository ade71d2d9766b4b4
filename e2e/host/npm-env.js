'use strict';

const { pathWithNode24 } = require('./paths');

/**
 * Environment for npm (and what it spawns) working on Node 24. Inherited `npm_*` variables are dropped:
 * under `npm start` or `npm run test:e2e` they describe the project (its prefix, its package.json), and
 * npm would act on the project instead of the folder it is pointed at.
 */
function npmEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_/i.test(key)) env[key] = value;
	}
	return {
		...env,
		PATH: pathWithNode24(env.PATH),
		// The machine's user config sets `yes=false`; native builds pass their own `npm_config_nodedir`
		// because that same config points it at Node 20's headers.
		npm_config_yes: 'true',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

module.exports = { npmEnv };
