import { readFileSync } from 'node:fs';

// The login examples limit themselves in their "Limits" node: the codes they send
// (send-login-code.json, form-login.json, chat-verify-identity.json) and the codes they try
// (login-with-code.json, form-login.json, chat-verify-identity.json). A suite that tests something
// else opens them up the way a builder would change them: in that one node and nowhere else.

export interface LoginLimits {
	secondsBetweenCodes: number;
	codesPerAddressPerHour: number;
	codesPerMinute: number;
	triesPerCode: number;
	secondsToForgetTries: number;
	triesPerMinute: number;
}

export const SEND_LIMITS_OFF: Partial<LoginLimits> = {
	secondsBetweenCodes: 0,
	codesPerAddressPerHour: 100_000,
	codesPerMinute: 100_000,
};

const TRY_LIMITS_OFF: Partial<LoginLimits> = {
	triesPerCode: 100_000,
	triesPerMinute: 100_000,
};

/** Limits no suite reaches: for suites that send and try many codes for one address on purpose. */
export const NO_LIMITS: Partial<LoginLimits> = { ...SEND_LIMITS_OFF, ...TRY_LIMITS_OFF };

interface Assignment {
	name: string;
	value: unknown;
}

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	webhookId?: string;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	[key: string]: unknown;
}

function limitsNode(workflow: Workflow): Assignment[] {
	const node = workflow.nodes.find(({ name }) => name === 'Limits');
	if (!node) throw new Error(`workflow ${workflow.id} has no "Limits" node`);
	return (node.parameters.assignments as { assignments: Assignment[] }).assignments;
}

/** The limits a workflow sets in its "Limits" node (a workflow that only sends has no tries). */
export function readLimits(workflow: Workflow): Partial<LoginLimits> {
	return Object.fromEntries(
		limitsNode(workflow)
			.filter(({ name }) => name !== 'address')
			.map(({ name, value }) => [name, Number(value)]),
	);
}

/** The workflow in `file` with the limits given set in its "Limits" node, where it has them. */
export function withLimits(file: string, limits: Partial<LoginLimits>): Workflow {
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as Workflow;
	for (const assignment of limitsNode(workflow)) {
		const value = limits[assignment.name as keyof LoginLimits];
		if (value !== undefined) assignment.value = value;
	}
	return workflow;
}

export interface SeparateCopy {
	id: string;
	name: string;
	/** The webhook's path, instead of the example's (piggy/send-code, piggy/login). */
	path: string;
	webhookId: string;
	/** Its own Data Table, so that no other workflow's codes and tries count towards its caps. */
	tableName: string;
	limits: Partial<LoginLimits>;
}

/**
 * A webhook example (`file`) as a second workflow beside the first one: its own id, webhook path
 * and table, and the limits given.
 */
export function separateCopy(file: string, copy: SeparateCopy): Workflow {
	const workflow = withLimits(file, copy.limits);
	workflow.id = copy.id;
	workflow.name = copy.name;
	const webhooks = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook');
	if (webhooks.length !== 1) throw new Error(`${file} has ${webhooks.length} webhooks, not 1`);
	webhooks[0].parameters.path = copy.path;
	webhooks[0].webhookId = copy.webhookId;
	const table = workflow.nodes.find((node) => node.name === 'Open the limits table');
	if (!table) throw new Error(`${file} has no "Open the limits table" node`);
	table.parameters.tableName = copy.tableName;
	return workflow;
}
