// What we ship (nodes/, credentials/, package.json) is linted with `n8n-node lint`'s own config from
// @n8n/node-cli: the rules n8n applies to packages that may run on n8n Cloud (restricted globals
// and imports included), plus n8n's node, credential and package.json rule sets. It is n8n's
// object, used as is, only kept to the shipped files: n8n-node's strict mode would also lint the
// tests, the simulator and the dev scripts, which need Node's globals (see the README).
// Tests and dev tools get typescript-eslint's recommended rules.
import { config as n8nNodeLintConfig } from '@n8n/node-cli/eslint';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const shippedTypeScript = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const devTools = ['test/**/*.ts', 'tools/**/*.ts', 'bench/**/*.ts'];

export default defineConfig(
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },

	...n8nNodeLintConfig.map((entry) =>
		entry.files?.includes('**/*.ts') ? { ...entry, files: shippedTypeScript } : entry,
	),

	...tseslint.configs.recommended.map((entry) => ({ ...entry, files: devTools })),
	{ files: devTools, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
