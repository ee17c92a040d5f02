// Lint as n8n lints community packages: the rule sets that @n8n/scan-community-package applies
// (n8n's community-nodes plugin, recommended; eslint-plugin-n8n-nodes-base's community, credentials
// and nodes sets; no-console) on what we ship. Tests and dev tools get a config of their own.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'];
const devTools = ['test/**/*.ts', 'e2e/**/*.ts', 'simulator/**/*.ts', 'scripts/**/*.ts'];

export default defineConfig(
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**'] },

	{ ...n8nCommunityNodesPlugin.configs.recommended, files: shipped },
	{ files: shipped, rules: { 'no-console': 'error' } },
	{ files: shipped, plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// As in the scanner: these two disagree with n8n's own current conventions.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// As in the scanner: NodeConnectionTypes.Main is the current way to declare connections.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },

	// Tests, the simulator and dev scripts: ordinary TypeScript rules; they may print and use Node.
	...tseslint.configs.recommended.map((config) => ({
		...config,
		files: [...devTools, 'nodes/**/*.ts', 'credentials/**/*.ts'],
	})),
	{
		files: devTools,
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
);
