/** @type {import('jest').Config} */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/e2e/**/*.e2e.test.js'],
	transform: {},
	// A cold run installs n8n first (several minutes); warm, one `n8n execute` takes about 10 s.
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
};
