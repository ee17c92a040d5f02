import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

// The built package as n8n itself loads it from the `n8n` section of package.json (`npm test`
// builds first), and what `npm pack` would publish.

const root = join(__dirname, '..', '..');

const N8N_NODE_CATEGORIES = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

test('n8n loads the built node and credential under the package’s name', async () => {
	const loader = new PackageDirectoryLoader(root);
	await loader.loadAll();

	expect(loader.packageName).toBe('n8n-nodes-piggy');
	expect(Object.keys(loader.nodeTypes)).toEqual(['piggyContactVerification']);
	expect(Object.keys(loader.credentialTypes)).toEqual(['piggyApi']);

	const [node] = loader.types.nodes;
	expect(node.codex).toMatchObject({ categories: ['Marketing & Content', 'Sales'] });
	// An unknown category can hide the node from the nodes panel: only n8n's own list is used
	// (docs.n8n.io, "Node codex files": "You must match the syntax").
	for (const category of node.codex?.categories ?? [])
		expect(N8N_NODE_CATEGORIES).toContain(category);
	const [credential] = loader.types.credentials;
	// The HTTP Request node's "Predefined Credential Type" lists credential types that have an
	// `authenticate`. n8n's cli sends the editor a copy of each loaded credential type's own
	// properties (`{ ...credential, supportedNodes }`, 2.41 and 1.123 alike), in which a
	// function-valued `authenticate` becomes `{}`; a prototype method would not be in the copy.
	const servedToEditor = JSON.parse(JSON.stringify({ ...credential, supportedNodes: [] }));
	expect(servedToEditor).toHaveProperty('authenticate', {});
	for (const iconUrl of [node.iconUrl, credential.iconUrl]) {
		expect(iconUrl).toEqual({
			light: 'icons/n8n-nodes-piggy/dist/nodes/PiggyContactVerification/piggy.svg',
			dark: 'icons/n8n-nodes-piggy/dist/nodes/PiggyContactVerification/piggy.dark.svg',
		});
	}
	expect(existsSync(join(root, 'dist/nodes/PiggyContactVerification/piggy.svg'))).toBe(true);
	expect(existsSync(join(root, 'dist/nodes/PiggyContactVerification/piggy.dark.svg'))).toBe(true);
});

test('npm pack ships only dist/, package.json, README.md, LICENSE and index.js', () => {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		}),
	) as Array<{ files: Array<{ path: string }> }>;
	const topLevel = new Set(pack.files.map((file) => file.path.split('/')[0]));

	expect([...topLevel].sort()).toEqual([
		'LICENSE',
		'README.md',
		'dist',
		'index.js',
		'package.json',
	]);
	expect(
		pack.files.some((file) => /\.(ts|map)$/.test(file.path) && !file.path.endsWith('.d.ts')),
	).toBe(false);
});

test('package.json is a community package with no runtime dependencies', () => {
	const pkg = require('../../package.json');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.dependencies).toBeUndefined();
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.n8n).toEqual({
		n8nNodesApiVersion: 1,
		credentials: ['dist/credentials/PiggyApi.credentials.js'],
		nodes: ['dist/nodes/PiggyContactVerification/PiggyContactVerification.node.js'],
	});
});
