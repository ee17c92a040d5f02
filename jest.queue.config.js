/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e/queue'],
	// Not *.e2e.test.ts: `npm run test:e2e` must not pick this suite up.
	testMatch: ['**/*.queue.test.ts'],
	// A first run installs n8n, Redis and PostgreSQL (several minutes); a warm run takes a few.
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/setup/summaryReporter.js'],
};
