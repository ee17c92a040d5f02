import { setTimeout as sleep } from 'node:timers/promises';

import type { RunningSimulator } from '../tools/simulator/server';
import { startSimulator } from '../tools/simulator/server';
import { importWorkflows } from '../tools/n8n/n8n';
import type { CheckpointServer } from './checkpoint';
import type { BenchN8n, ExecutionSummary } from './n8nServer';
import { postWebhook } from './n8nServer';
import type { BenchSetup } from './setup';
import { TOKEN } from './setup';
import type { Contender } from './workflows';
import { SEND_PATH, benchEmail, memoryWorkflow } from './workflows';

// One memory run as a builder gets it: `n8n start`, a production execution started by a webhook,
// N items sent to the simulator, and n8n saving the execution's data at the end (as it does for
// every production execution by default: EXECUTIONS_DATA_SAVE_ON_SUCCESS=all).

export interface MemoryWorkflow {
	id: string;
	path: string;
	contender: Contender;
	items: number;
}

export const memoryWorkflowFor = (contender: Contender, items: number): MemoryWorkflow => ({
	id: `benchMem-${contender}-${items}`,
	path: `bench-memory/${contender}/${items}`,
	contender,
	items,
});

/** Imports and publishes the workflows, so they are active when n8n starts. */
export async function publishMemoryWorkflows(
	setup: BenchSetup,
	checkpoints: CheckpointServer,
	workflows: MemoryWorkflow[],
): Promise<void> {
	const definitions = workflows.map((workflow) =>
		memoryWorkflow({
			...workflow,
			simulatorUrl: setup.simulatorUrl,
			checkpointUrl: checkpoints.urlFor(workflow.id),
		}),
	);
	await importWorkflows(setup.instance, definitions, { publish: true });
}

/** The simulator with every bench Contact, counting the sends it answered with 200. */
export async function startCountingSimulator(
	setup: BenchSetup,
	contacts: number,
	latencyMs = 0,
): Promise<{ simulator: RunningSimulator; sent(): number }> {
	let sent = 0;
	const simulator = await startSimulator({
		port: setup.simulatorPort,
		token: TOKEN,
		fault: { latencyMs },
		log: (line) => {
			if (line.startsWith(`POST ${SEND_PATH} -> 200`)) sent++;
		},
	});
	for (let index = 0; index < contacts; index++) {
		simulator.state.createContact(benchEmail(index), true);
	}
	return { simulator, sent: () => sent };
}

export interface RunOutcome {
	completed: boolean;
	/** Why it did not complete. */
	problem?: string;
	seconds: number;
	execution?: ExecutionSummary;
}

export const outOfMemory = (output: string) =>
	/heap out of memory|Reached heap limit|Allocation failed/i.test(output);

/**
 * Starts the workflow's execution and waits until n8n has saved it. Completed means: the
 * checkpoint after the sender was reached, the simulator answered a send for every item, the
 * execution was saved with status "success", and n8n is still running.
 */
export async function runMemoryWorkflow(options: {
	n8n: BenchN8n;
	url: string;
	workflow: MemoryWorkflow;
	checkpoints: CheckpointServer;
	sent: () => number;
	timeoutMs: number;
}): Promise<RunOutcome> {
	const { n8n, workflow, checkpoints, sent, timeoutMs } = options;
	const started = performance.now();
	const seconds = () => Number(((performance.now() - started) / 1000).toFixed(1));
	const sentBefore = sent();
	const died = n8n.exited.then(() => 'died' as const);
	// A process running out of memory stops answering a moment before it exits: wait for that, so
	// that the failure is named for what it was.
	const failed = async (problem: string): Promise<RunOutcome> => {
		const at = seconds();
		await Promise.race([n8n.exited, sleep(3_000)]);
		const crashed = !n8n.alive() && outOfMemory(n8n.running.output());
		return { completed: false, problem: crashed ? 'out of memory' : problem, seconds: at };
	};

	const reached = checkpoints.expect(workflow.id);
	const answer = await postWebhook(`${options.url}/webhook/${workflow.path}`).catch(
		(error: unknown) => ({ status: 0, text: String(error) }),
	);
	if (answer.status !== 200)
		return await failed(`the webhook answered ${answer.status}: ${answer.text}`);

	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	try {
		const first = await Promise.race([reached.then(() => 'reached' as const), died, timedOut]);
		if (first === 'died') return await failed('n8n exited during the run');
		if (first === 'timeout') return await failed(`not done after ${timeoutMs / 1000} s`);
		const sends = sent() - sentBefore;
		if (workflow.contender !== 'none' && sends !== workflow.items) {
			return await failed(`the simulator answered ${sends} of ${workflow.items} sends`);
		}
		const left = Math.max(1_000, timeoutMs - (performance.now() - started));
		let execution: ExecutionSummary | undefined;
		try {
			execution = await n8n.finishedExecution(workflow.id, left);
		} catch (error) {
			if (!n8n.alive()) return await failed('n8n exited while saving the execution');
			return await failed(
				`n8n did not answer for the execution's status (${String(error).slice(0, 200)})`,
			);
		}
		if (!n8n.alive()) return await failed('n8n exited while saving the execution');
		if (!execution) return await failed(`the execution was not saved within ${timeoutMs / 1000} s`);
		if (execution.status !== 'success')
			return await failed(`the execution ended as ${execution.status}`);
		return { completed: true, seconds: seconds(), execution };
	} finally {
		clearTimeout(timer);
	}
}
