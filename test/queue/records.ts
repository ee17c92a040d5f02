import type { RunningPostgres } from './services';
import { logRecords } from './services';

/**
 * What n8n itself recorded about the executions: its execution tables in PostgreSQL, and the log
 * records main and the workers print (n8n 2.41 keeps no worker id in the database: the executions
 * table has none, so which worker ran what is only in the logs).
 */

export interface ExecutionRecord {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	retryOf: string | null;
	createdAt: string;
	startedAt: string | null;
	stoppedAt: string | null;
	/** The Contacts' addresses in the body of the webhook that started it. */
	emails: string[];
	/** Each node's `executionTime` (ms) in its first run, as n8n recorded it. */
	nodeMs: Record<string, number>;
}

const CONTACT_EMAIL = /[a-z0-9.-]+@queue\.test/g;

export async function lastExecutionId(postgres: RunningPostgres): Promise<number> {
	const [row] = await postgres.rows<{ id: number | null }>(
		'SELECT max(id) AS id FROM execution_entity',
	);
	return row.id ?? 0;
}

/** Every execution after `afterId`, oldest first, with the Contacts it was for. */
export async function executionsAfter(
	postgres: RunningPostgres,
	afterId: number,
): Promise<ExecutionRecord[]> {
	const rows = await postgres.rows<Omit<ExecutionRecord, 'emails'> & { data: string | null }>(
		`SELECT e.id::text AS id, e."workflowId", e.status, e.mode, e."retryOf", e."createdAt",
			e."startedAt", e."stoppedAt", d.data
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		WHERE e.id > ${Number(afterId)} ORDER BY e.id`,
	);
	return rows.map(({ data, ...row }) => {
		const runData = data ? readRunData(data) : new Map<string, RunRecord>();
		return { ...row, emails: requestedFor(runData), nodeMs: nodeTimes(runData) };
	});
}

interface RunRecord {
	executionTime: number;
	/** The items of each main output. */
	outputs: unknown[][];
}

/**
 * The first run of each node, from execution data in flatted's format (how n8n stores it): an
 * array whose first entry is the root, where every string and object is an entry of its own,
 * referred to by its index as a string.
 */
function readRunData(data: string): Map<string, RunRecord> {
	const entries = JSON.parse(data) as unknown[];
	const at = (ref: unknown): unknown => (typeof ref === 'string' ? entries[Number(ref)] : ref);
	const field = (object: unknown, key: string): unknown =>
		object && typeof object === 'object' ? at((object as Record<string, unknown>)[key]) : undefined;
	// Items are small (a webhook request, a row): resolved whole, a few levels deep.
	const resolve = (ref: unknown, depth: number): unknown => {
		const value = at(ref);
		if (!value || typeof value !== 'object' || depth === 0) return value;
		if (Array.isArray(value)) return value.map((entry) => resolve(entry, depth - 1));
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, resolve(entry, depth - 1)]),
		);
	};
	const runData = field(field(entries[0], 'resultData'), 'runData') ?? {};
	const runs = new Map<string, RunRecord>();
	for (const [node, ref] of Object.entries(runData as Record<string, unknown>)) {
		const first = at((at(ref) as unknown[] | undefined)?.[0]);
		const main = (field(field(first, 'data'), 'main') as unknown[] | undefined) ?? [];
		runs.set(node, {
			executionTime: Number(field(first, 'executionTime') ?? 0),
			outputs: main.map((items) =>
				((at(items) as unknown[] | null) ?? []).map((item) => resolve(item, 6)),
			),
		});
	}
	return runs;
}

/**
 * The Contacts' addresses in the body of the webhook that started the execution, not anywhere
 * in its data: the login limits' counts output rows of the Data Table, which name other Contacts.
 */
function requestedFor(runData: Map<string, RunRecord>): string[] {
	const found = new Set<string>();
	for (const { outputs } of runData.values()) {
		for (const item of outputs.flat() as Array<{ json?: { body?: { email?: unknown } } }>) {
			const email = item?.json?.body?.email;
			if (typeof email === 'string') email.match(CONTACT_EMAIL)?.forEach((a) => found.add(a));
		}
	}
	return [...found];
}

function nodeTimes(runData: Map<string, RunRecord>): Record<string, number> {
	return Object.fromEntries([...runData].map(([node, run]) => [node, run.executionTime]));
}

/**
 * The executions after `afterId` once n8n has finished writing them: a webhook is answered by
 * its Respond node, a moment before the worker stores the execution's final status.
 */
export async function settledExecutionsAfter(
	postgres: RunningPostgres,
	afterId: number,
	expected: number,
): Promise<ExecutionRecord[]> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const executions = await executionsAfter(postgres, afterId);
		const unsettled = executions.filter((e) => ['new', 'running'].includes(e.status));
		if ((executions.length >= expected && unsettled.length === 0) || Date.now() > deadline) {
			return executions;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Execution ids in the worker's "Worker started execution X (job Y)" lines, in order. */
export function startedBy(workerOutput: string): string[] {
	return idsOf(workerOutput, /^Worker started execution /);
}

/** Execution ids in the worker's "Worker finished execution X (job Y)" lines. */
export function finishedBy(workerOutput: string): string[] {
	return idsOf(workerOutput, /^Worker finished execution /);
}

function idsOf(output: string, message: RegExp): string[] {
	return logRecords(output)
		.filter((record) => message.test(record.message))
		.map((record) => String(record.metadata?.executionId));
}

/** Main's "Execution X (job Y) finished" records: which worker (its host id) reported each one. */
export function reportedFinishedByMain(
	mainOutput: string,
): Array<{ executionId: string; workerId: string }> {
	return logRecords(mainOutput)
		.filter((record) => /^Execution \S+ \(job \S+\) finished$/.test(record.message))
		.map((record) => ({
			executionId: String(record.metadata?.executionId),
			workerId: String(record.metadata?.workerId),
		}));
}

/**
 * The executions a starting worker marked as crashed: those its event log (in its user folder)
 * shows started and not finished. n8n logs "Found unfinished executions: 1, 2, 3".
 */
export function markedCrashedOnStartUp(workerOutput: string): string[] {
	return logRecords(workerOutput)
		.filter((record) => record.message.startsWith('Found unfinished executions: '))
		.flatMap((record) => record.message.replace('Found unfinished executions: ', '').split(','))
		.map((id) => id.trim());
}

/** How often each value occurs. */
export function tally<T>(values: T[]): Map<T, number> {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

/** Which process (its index in `outputs`, the logs of the workers) started each execution. */
export function startedByProcess(outputs: string[]): Map<string, number[]> {
	const byExecution = new Map<string, number[]>();
	outputs.forEach((output, index) => {
		for (const id of startedBy(output)) {
			byExecution.set(id, [...(byExecution.get(id) ?? []), index]);
		}
	});
	return byExecution;
}

/** How many executions each process started, from `startedByProcess`. */
export const executionsPerProcess = (started: Map<string, number[]>) =>
	tally([...started.values()].map(([index]) => index));

/** The executions of one workflow, keyed by the Contact each one was for. */
export function byContact(
	executions: ExecutionRecord[],
	workflowId: string,
): Map<string, ExecutionRecord[]> {
	const map = new Map<string, ExecutionRecord[]>();
	for (const execution of executions.filter((e) => e.workflowId === workflowId)) {
		for (const email of execution.emails) map.set(email, [...(map.get(email) ?? []), execution]);
	}
	return map;
}
