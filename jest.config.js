// One configuration, one project per kind of suite, chosen by folder (see CONTRIBUTING.md, "Tests"):
//   unit    test/*.test.ts          the package, its docs, names and examples; the simulator
//   engine  test/engine/**          the node run by n8n-core 2.x's engine (npm test)
//   compat  test/engine/** again    on n8n 1.123 LTS's engine (npm run test:compat)
//   e2e     test/e2e/**             a real n8n 2.41.1 (npm run test:e2e)
//   queue   test/queue/**           n8n in queue mode (npm run test:queue)
const compatEngine = require('./test/setup/compatEngine');

const NEEDED = Number(require('node:fs').readFileSync(`${__dirname}/.nvmrc`, 'utf8'));
if (Number(process.versions.node.split('.')[0]) < NEEDED) {
	throw new Error(
		`The tests need Node ${NEEDED} (this is ${process.version}): run them with npm (npm test, npm run test:e2e, ...), or as \`node tools/node24 npx jest ...\`.`,
	);
}

const typescript = { preset: 'ts-jest', testEnvironment: 'node' };
// No test of these projects may reach a real network: every HTTP call goes to nock.
const offline = { setupFilesAfterEnv: ['<rootDir>/test/setup/no-network.ts'] };
// The suites that install and start a real n8n.
const realN8n = { setupFilesAfterEnv: ['<rootDir>/test/setup/realN8n.ts'] };

const PROJECTS = [
	{ ...typescript, ...offline, displayName: 'unit', testMatch: ['<rootDir>/test/*.test.ts'] },
	{
		...typescript,
		...offline,
		displayName: 'engine',
		testMatch: ['<rootDir>/test/engine/**/*.test.ts'],
	},
	{
		...typescript,
		...offline,
		displayName: 'compat',
		testMatch: ['<rootDir>/test/engine/**/*.test.ts'],
		globalSetup: '<rootDir>/test/setup/compatEngine.js',
		moduleNameMapper: {
			'^(n8n-core|n8n-workflow|@n8n/di)(/.*)?$': `${compatEngine.modulesDir}/$1$2`,
		},
		globals: { PIGGY_ENGINE: 'n8n-core 1.x' },
	},
	{
		...typescript,
		...realN8n,
		displayName: 'e2e',
		testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	},
	{
		...typescript,
		...realN8n,
		displayName: 'queue',
		testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
	},
];

// The projects to run, from PIGGY_JEST_PROJECTS (the npm scripts set it), else npm test's two.
// Not Jest's --selectProjects: its list would swallow the file names in `npm test -- <file>`.
const chosen = (process.env.PIGGY_JEST_PROJECTS || 'unit,engine').split(',');
const unknown = chosen.filter((name) => !PROJECTS.some((project) => project.displayName === name));
if (unknown.length) throw new Error(`PIGGY_JEST_PROJECTS names no project ${unknown.join(', ')}`);

/** @type {import('jest').Config} */
module.exports = {
	reporters: ['default', '<rootDir>/test/setup/summaryReporter.js'],
	projects: PROJECTS.filter((project) => chosen.includes(project.displayName)),
};
