/** @type {import('jest').Config} */
module.exports = {
	rootDir: '..',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/e2e/**/*.e2e.test.js'],
	transform: {},
	// A cold run installs n8n first (several minutes); warm, one `n8n execute` takes about 5 s and one
	// `n8n start` about 15 s.
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
	// Each case costs seconds of real n8n; its name and time belong in the output.
	verbose: true,
};
