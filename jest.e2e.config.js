/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	// A first run installs n8n (several minutes); each step has its own timeout below.
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/setup/summaryReporter.js'],
};
