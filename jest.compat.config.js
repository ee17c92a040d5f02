// The engine suite on n8n 1.123 LTS's engine (n8n-core 1.122.48, n8n-workflow 1.120.31), which
// `npm run test:compat` installs outside the repo and names in PIGGY_COMPAT_MODULES.
const base = require('./jest.config.js');

const compatModules = process.env.PIGGY_COMPAT_MODULES;
if (!compatModules) throw new Error('Run this through `npm run test:compat`');

module.exports = {
	...base,
	testMatch: [
		'**/operations/**/*.test.ts',
		'**/failureRouting.test.ts',
		'**/inputChecks.test.ts',
		'**/retries.test.ts',
		'**/cancellation.test.ts',
		'**/batching.test.ts',
		'**/credential.test.ts',
		'**/noSecretLeaks.test.ts',
		'**/hostileServer.test.ts',
		'**/hostileProperties.test.ts',
		'**/realSockets.test.ts',
	],
	moduleNameMapper: {
		'^(n8n-core|n8n-workflow|@n8n/di)(/.*)?$': `${compatModules}/$1$2`,
	},
	globals: { PIGGY_ENGINE: 'n8n-core 1.x' },
};
