import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { FAILURES } from '../nodes/PiggyContactVerification/failures';

// The example workflows answer anonymous callers: on failure they may repeat the reason and the
// node's own message, never the description, details or anything else from the error. The form
// login page shows fixed text only.

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

describe('every example explains itself on the canvas', () => {
	const workflows = readdirSync(examplesDir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => ({
			file,
			...(JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { nodes: WorkflowNode[] }),
		}));

	test.each(workflows)('$file: each node is named in a sticky note', ({ nodes }) => {
		const notes = nodes
			.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
			.map((node) => String(node.parameters.content));
		const unexplained = nodes
			.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
			.filter((node) => !notes.some((note) => note.includes(`**${node.name}**`)))
			.map((node) => node.name);
		expect(notes.length).toBeGreaterThan(0);
		expect(unexplained).toEqual([]);
	});
});

describe('the form login page (form-login.json)', () => {
	const { nodes } = JSON.parse(readFileSync(join(examplesDir, 'form-login.json'), 'utf8')) as {
		nodes: WorkflowNode[];
	};
	const strings = (value: unknown): string[] =>
		typeof value === 'string'
			? [value]
			: value && typeof value === 'object'
				? Object.values(value).flatMap(strings)
				: [];

	test('its pages are fixed text: nothing from the run (a token, a UUID, an error) can appear', () => {
		const pages = nodes.filter((node) => node.type.startsWith('n8n-nodes-base.form'));
		expect(pages.length).toBe(7);
		for (const page of pages) {
			const expressions = strings(page.parameters).filter((text) => text.startsWith('='));
			expect({ page: page.name, expressions }).toEqual({ page: page.name, expressions: [] });
		}
	});

	test('its Switches branch on reasons the node really gives, with a fallback for the rest', () => {
		const switches = nodes.filter((node) => node.type === 'n8n-nodes-base.switch');
		expect(switches.map((node) => node.name)).toEqual(['Why sending failed', 'Why login failed']);
		for (const node of switches) {
			const { rules, options } = node.parameters as {
				rules: { values: Array<{ conditions: { conditions: Array<{ rightValue: string }> } }> };
				options: { fallbackOutput: string };
			};
			const reasons = rules.values.flatMap((rule) =>
				rule.conditions.conditions.map((condition) => condition.rightValue),
			);
			expect(reasons.filter((reason) => !(reason in FAILURES))).toEqual([]);
			expect(options.fallbackOutput).toBe('extra');
		}
	});
});
