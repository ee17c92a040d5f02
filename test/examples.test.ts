import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { FAILURES } from '../nodes/PiggyContactVerification/failures';
import type { Workflow } from './harness/loginLimits';
import { readLimits } from './harness/loginLimits';

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

// The login examples' limits (see loginLimits.test.ts for them at work in a real n8n).
describe('the limits of the login examples (form-login.json, send-login-code.json)', () => {
	interface Connection {
		node: string;
	}
	interface LimitedWorkflow {
		nodes: Array<WorkflowNode & { id: string; position: number[] }>;
		connections: Record<string, { main: Connection[][] }>;
	}
	const read = (file: string) =>
		JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as LimitedWorkflow;
	const form = read('form-login.json');
	const webhook = read('send-login-code.json');
	const LIMIT_NODES = [
		'Limits',
		'Open the limits table',
		'Forget codes older than an hour',
		'Remember this request',
		'Codes to this address, last hour',
		'Codes to anyone, last minute',
		'Count earlier codes',
		'Within the limits?',
		'Forget this request',
	];
	/** The limit nodes as a builder reads them: without ids, positions or the address's source. */
	const limitNodes = ({ nodes, connections }: LimitedWorkflow) =>
		LIMIT_NODES.map((name) => {
			const node = nodes.find((n) => n.name === name)!;
			const withoutIds = JSON.parse(
				JSON.stringify(node, (key, value: unknown) => (key === 'id' ? undefined : value)),
			) as WorkflowNode & { position?: number[] };
			delete withoutIds.position;
			if (name === 'Limits') {
				const { assignments } = withoutIds.parameters.assignments as {
					assignments: Array<{ name: string; value: unknown }>;
				};
				assignments[0].value = '(the address)';
			}
			return { ...withoutIds, next: connections[name]?.main.map((out) => out.map((c) => c.node)) };
		});
	const next = (workflow: LimitedWorkflow, name: string, output = 0) =>
		workflow.connections[name].main[output].map((c) => c.node);

	test('both limit themselves with the same nodes, differing only in where the address comes from', () => {
		// Forget this request leads on to each workflow's own page or answer (tested below).
		const comparable = (workflow: LimitedWorkflow) =>
			limitNodes(workflow).map((node) =>
				node.name === 'Forget this request' ? { ...node, next: undefined } : node,
			);
		expect(comparable(form)).toEqual(comparable(webhook));
	});

	test('the limits come right after the trigger; over a limit, the visitor gets what a sent code gives', () => {
		expect(next(form, 'Log in')).toEqual(['Limits']);
		expect(next(webhook, 'Code requested')).toEqual(['Limits']);
		for (const workflow of [form, webhook]) {
			expect(next(workflow, 'Within the limits?', 0)).toEqual(['Send Verification Email']);
			expect(next(workflow, 'Within the limits?', 1)).toEqual(['Forget this request']);
			expect(next(workflow, 'Forget this request')).toEqual(
				next(workflow, 'Send Verification Email'),
			);
		}
	});

	test('the defaults: 60 s between codes per address, 5 per address an hour, 20 a minute', () => {
		for (const workflow of [form, webhook]) {
			expect(readLimits(workflow as unknown as Workflow)).toEqual({
				secondsBetweenCodes: 60,
				codesPerAddressPerHour: 5,
				codesPerMinute: 20,
			});
		}
	});
});
