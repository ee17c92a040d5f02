import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { CODE_ON_ITS_WAY } from '../nodes/PiggyContactVerification/actions/sendVerificationEmail.operation';
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
describe('the limits of the login examples', () => {
	interface Connection {
		node: string;
	}
	interface LimitedWorkflow {
		nodes: Array<WorkflowNode & { id: string; position: number[] }>;
		connections: Record<string, Record<string, Connection[][]>>;
	}
	const read = (file: string) =>
		JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as LimitedWorkflow;
	const form = read('form-login.json');
	const sendWebhook = read('send-login-code.json');
	const loginWebhook = read('login-with-code.json');
	const chat = read('chat-verify-identity.json');
	const sending = { form, sendWebhook, chat };
	const trying = { form, loginWebhook, chat };
	const TABLE_NODES = ['Open the limits table', 'Forget rows older than an hour'];
	const SEND_NODES = [
		'Remember this request',
		'Codes to this address, last hour',
		'Codes to anyone, last minute',
		'Count earlier codes',
		'Within the limits?',
		'Forget this request',
		'Forget tries of earlier codes',
	];
	const TRY_NODES = [
		'Remember this try',
		'Tries for this address',
		'Tries by anyone, last minute',
		'Count earlier tries',
		'Within the try limits?',
		'Forget this try',
		"Forget this address's tries",
	];
	const SEND_DEFAULTS = { secondsBetweenCodes: 60, codesPerAddressPerHour: 5, codesPerMinute: 20 };
	const TRY_DEFAULTS = { triesPerCode: 5, secondsToForgetTries: 900, triesPerMinute: 30 };

	const node = (workflow: LimitedWorkflow, name: string) => {
		const found = workflow.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`no node "${name}"`);
		return found;
	};
	const next = (workflow: LimitedWorkflow, name: string, output = 0) =>
		(workflow.connections[name]?.main[output] ?? []).map((c) => c.node);
	const parents = (workflow: LimitedWorkflow, name: string) =>
		Object.entries(workflow.connections).flatMap(([from, types]) =>
			(types.main ?? []).flatMap((targets, output) =>
				targets.some((c) => c.node === name) ? [`${from}[${output}]`] : [],
			),
		);
	/** The nodes as a builder reads them: without ids and positions. */
	const asRead = (workflow: LimitedWorkflow, names: string[]) =>
		names.map((name) => {
			const withoutIds = JSON.parse(
				JSON.stringify(node(workflow, name), (key, value: unknown) =>
					key === 'id' ? undefined : value,
				),
			) as WorkflowNode & { position?: number[] };
			delete withoutIds.position;
			return withoutIds;
		});

	test('each limit node is the same in every example that has it', () => {
		const same = (names: string[], workflows: Record<string, LimitedWorkflow>) => {
			const [first, ...rest] = Object.values(workflows).map((w) => asRead(w, names));
			for (const other of rest) expect(other).toEqual(first);
		};
		same(TABLE_NODES, { form, sendWebhook, loginWebhook, chat });
		same(SEND_NODES, sending);
		same(TRY_NODES, trying);
	});

	test('the defaults: 60 s between codes, 5 an hour per address, 20 a minute; 5 tries per code, forgotten after 900 s, 30 a minute', () => {
		const limitsOf = (workflow: LimitedWorkflow) => readLimits(workflow as unknown as Workflow);
		expect(limitsOf(sendWebhook)).toEqual(SEND_DEFAULTS);
		expect(limitsOf(loginWebhook)).toEqual(TRY_DEFAULTS);
		expect(limitsOf(form)).toEqual({ ...SEND_DEFAULTS, ...TRY_DEFAULTS });
		expect(limitsOf(chat)).toEqual({ ...SEND_DEFAULTS, ...TRY_DEFAULTS });
	});

	test('the limits come right after the trigger', () => {
		expect(next(form, 'Log in')).toEqual(['Limits']);
		expect(next(sendWebhook, 'Code requested')).toEqual(['Limits']);
		expect(next(loginWebhook, 'Login submitted')).toEqual(['Limits']);
		expect(next(chat, 'Tool called')).toEqual(['Limits']);
	});

	test('nothing reaches Piggy but through the limits: each Piggy node’s only way in is "within the limits"', () => {
		for (const workflow of Object.values(sending)) {
			expect(parents(workflow, 'Send Verification Email')).toEqual(['Within the limits?[0]']);
		}
		for (const workflow of Object.values(trying)) {
			expect(parents(workflow, 'Verify Login Code')).toEqual(['Within the try limits?[0]']);
		}
		// The chat's agent has no Piggy tool: its tools call the workflow's own limits.
		expect(chat.nodes.filter((n) => n.type.includes('piggyContactVerificationTool'))).toEqual([]);
	});

	test('over a limit, the visitor gets exactly what a sent code, or a wrong code, gives', () => {
		for (const workflow of Object.values(sending)) {
			expect(next(workflow, 'Within the limits?', 1)).toEqual(['Forget this request']);
			const sent = next(workflow, 'Send Verification Email').filter(
				(name) => name !== 'Forget tries of earlier codes',
			);
			expect(next(workflow, 'Forget this request')).toEqual(sent);
		}
		for (const workflow of Object.values(trying)) {
			expect(next(workflow, 'Within the try limits?', 1)).toEqual(['Forget this try']);
		}
		expect(next(form, 'Forget this try')).toEqual(next(form, 'Why login failed', 0));
		expect(next(chat, 'Forget this try')).toEqual(next(chat, 'Why login failed', 0));
		// The webhook answers through the same node a wrong code reaches, with a wrong code's words.
		expect(next(loginWebhook, 'Forget this try')).toEqual(['Answer as a wrong code']);
		expect(next(loginWebhook, 'Answer as a wrong code')).toEqual(
			next(loginWebhook, 'Verify Login Code', 1),
		);
		const { assignments } = node(loginWebhook, 'Answer as a wrong code').parameters.assignments as {
			assignments: Array<{ name: string; value: string }>;
		};
		expect(assignments.map(({ name }) => name)).toEqual(['error']);
		expect(assignments[0].value).toBe(
			`={{ { "reason": "invalid_login_code", "message": "${FAILURES.invalid_login_code.message}" } }}`,
		);
	});

	test('a code sent and a login each clear the tries, before the run goes on (higher on the canvas)', () => {
		const runsFirst = (workflow: LimitedWorkflow, from: string, first: string) => {
			const [top, ...others] = next(workflow, from)
				.map((name) => node(workflow, name))
				.sort((a, b) => a.position[1] - b.position[1]);
			expect(top.name).toBe(first);
			expect(others.length).toBe(1);
			// A leaf: nothing the visitor waits for runs after it.
			expect(workflow.connections[first]).toBeUndefined();
		};
		for (const workflow of Object.values(sending)) {
			runsFirst(workflow, 'Send Verification Email', 'Forget tries of earlier codes');
		}
		for (const workflow of Object.values(trying)) {
			runsFirst(workflow, 'Verify Login Code', "Forget this address's tries");
		}
	});

	test('the clean-up runs after the answer, except in the chat, whose tool answers what runs last', () => {
		/** Whether the clean-up sits below its sibling, so that n8n runs it after the rest. */
		const cleanUpIsLast = (workflow: LimitedWorkflow) => {
			const children = next(workflow, 'Open the limits table');
			const sibling = children.filter((name) => name !== 'Forget rows older than an hour');
			expect([children.length, sibling.length]).toEqual([2, 1]);
			const y = (name: string) => node(workflow, name).position[1];
			return y('Forget rows older than an hour') > y(sibling[0]);
		};
		expect([form, sendWebhook, loginWebhook, chat].map(cleanUpIsLast)).toEqual([
			true,
			true,
			true,
			false,
		]);
	});
});

describe('the chat (chat-verify-identity.json)', () => {
	const { nodes } = JSON.parse(
		readFileSync(join(examplesDir, 'chat-verify-identity.json'), 'utf8'),
	) as { nodes: WorkflowNode[] };
	const answerOf = (name: string) => {
		const found = nodes.find((n) => n.name === name);
		const { assignments } = found!.parameters.assignments as {
			assignments: Array<{ name: string; value: unknown }>;
		};
		return Object.fromEntries(assignments.map(({ name: key, value }) => [key, value]));
	};

	test('its tools call this same workflow, with the action and what the model fills in', () => {
		const tools = nodes.filter((n) => n.type === '@n8n/n8n-nodes-langchain.toolWorkflow');
		expect(
			tools.map((tool) => {
				const { workflowId, workflowInputs } = tool.parameters as {
					workflowId: { value: string };
					workflowInputs: { value: Record<string, string> };
				};
				const fromAi = Object.entries(workflowInputs.value)
					.filter(([, value]) => value.includes('$fromAI'))
					.map(([key]) => key);
				return [tool.name, workflowId.value, workflowInputs.value.action, fromAi];
			}),
		).toEqual([
			['Send a login code', '={{ $workflow.id }}', 'send', ['email']],
			['Verify the login code', '={{ $workflow.id }}', 'verify', ['email', 'code']],
		]);
	});

	test('the model reads what the node’s own tool says for a sent code and a wrong code', () => {
		expect(answerOf('Tell the agent: code on its way').result).toBe(CODE_ON_ITS_WAY);
		expect(answerOf('Tell the agent: wrong code').error).toBe(
			`${FAILURES.invalid_login_code.message}. ${FAILURES.invalid_login_code.nextStep}`,
		);
	});

	test('its answers are fixed words: nothing from Piggy or the error reaches the model', () => {
		const answers = nodes.filter((n) => n.name.startsWith('Tell the agent'));
		expect(answers.length).toBe(5);
		const expressions = answers.flatMap((answer) =>
			Object.values(answerOf(answer.name)).filter(
				(value) => typeof value === 'string' && value.startsWith('='),
			),
		);
		expect(expressions.sort()).toEqual([
			"={{ $('Limits').first().json.address }}",
			"={{ $('Limits').first().json.address }}",
			'={{ $json.uuid }}',
		]);
	});
});
