import { readFileSync } from 'node:fs';

// The login examples limit themselves in their "Limits" node (examples/form-login.json and
// send-login-code.json). A suite that tests something else opens them up, the way a builder
// would change them: in that one node and nowhere else.

export interface LoginLimits {
	secondsBetweenCodes: number;
	codesPerAddressPerHour: number;
	codesPerMinute: number;
}

/** Limits no suite reaches: for suites that send many codes to one address on purpose. */
export const NO_LIMITS: LoginLimits = {
	secondsBetweenCodes: 0,
	codesPerAddressPerHour: 100_000,
	codesPerMinute: 100_000,
};

interface Assignment {
	name: string;
	value: unknown;
}

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
}

export interface Workflow {
	id: string;
	nodes: WorkflowNode[];
	[key: string]: unknown;
}

function limitsNode(workflow: Workflow): Assignment[] {
	const node = workflow.nodes.find(({ name }) => name === 'Limits');
	if (!node) throw new Error(`workflow ${workflow.id} has no "Limits" node`);
	return (node.parameters.assignments as { assignments: Assignment[] }).assignments;
}

/** The limits a workflow sets, read from its "Limits" node. */
export function readLimits(workflow: Workflow): LoginLimits {
	const found = Object.fromEntries(limitsNode(workflow).map(({ name, value }) => [name, value]));
	return {
		secondsBetweenCodes: Number(found.secondsBetweenCodes),
		codesPerAddressPerHour: Number(found.codesPerAddressPerHour),
		codesPerMinute: Number(found.codesPerMinute),
	};
}

/** The workflow in `file` with the limits given set in its "Limits" node. */
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
	/** The webhook's path, instead of piggy/send-code. */
	path: string;
	webhookId: string;
	/** Its own Data Table, so that no other workflow's codes count towards its caps. */
	tableName: string;
	limits: Partial<LoginLimits>;
}

/**
 * The send-a-code example (`file`) as a second workflow beside the first one: its own id, webhook
 * path and table, and the limits given.
 */
export function separateCopy(file: string, copy: SeparateCopy): Workflow {
	const workflow = withLimits(file, copy.limits);
	workflow.id = copy.id;
	workflow.name = copy.name;
	for (const node of workflow.nodes as Array<WorkflowNode & { webhookId?: string }>) {
		if (node.name === 'Code requested') {
			node.parameters.path = copy.path;
			node.webhookId = copy.webhookId;
		}
		if (node.name === 'Open the limits table') node.parameters.tableName = copy.tableName;
	}
	return workflow;
}
