/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	// Its own suffix, so that `npm run test:e2e` (e2e/**/*.e2e.test.js) does not start a second queue-mode stack.
	testMatch: ['<rootDir>/e2e/queue/**/*.queue.test.js'],
	transform: {},
	// Cold, Postgres and Redis are installed first (about 20 s each) and n8n may be installed too.
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
