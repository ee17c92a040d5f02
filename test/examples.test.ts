import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The example workflows answer anonymous callers: on failure they may repeat the reason and the
// node's own message, never the description, details or anything else from the error.

const examplesDir = join(__dirname, '..', 'examples');

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

const answers = readdirSync(examplesDir)
	.filter((file) => file.endsWith('.json'))
	.flatMap((file) => {
		const { nodes } = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as {
			nodes: WorkflowNode[];
		};
		return nodes
			.filter((node) => node.type === 'n8n-nodes-base.respondToWebhook')
			.map((node) => ({ file, node: node.name, body: String(node.parameters.responseBody ?? '') }));
	});

test('every example has answers to check', () => {
	expect(answers.length).toBeGreaterThanOrEqual(4);
});

test.each(answers)('$file, "$node": repeats only error.reason and error.message', ({ body }) => {
	const used = [...body.matchAll(/\$json\.error(?:\.(\w+))?/g)].map((match) => match[1] ?? '(all)');
	expect(used.filter((field) => field !== 'reason' && field !== 'message')).toEqual([]);
});
