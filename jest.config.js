/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// No test may reach a real network: every HTTP call goes to nock.
	setupFilesAfterEnv: ['<rootDir>/test/setup/no-network.ts'],
	reporters: ['default', '<rootDir>/test/setup/summaryReporter.js'],
};
