import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { spawnN8n } from '../tools/n8n/n8n';
import type { CheckpointServer } from './checkpoint';
import { peakHeapAfterFullGcMb } from './gcTrace';
import type { MemoryWorkflow, RunOutcome } from './memoryRun';
import {
	memoryWorkflowFor,
	outOfMemory,
	runMemoryWorkflow,
	startCountingSimulator,
} from './memoryRun';
import { startBenchN8n } from './n8nServer';
import type { BenchSetup } from './setup';
import { importForExecuteBatch, writeIdsFile } from './setup';
import { mb } from './stats';
import type { Contender } from './workflows';
import { cliWorkflow } from './workflows';

// The smallest old-space cap (`node --max-old-space-size`) among a fixed ladder under which one
// execution of N items completes. Each rung is a fresh n8n process, run one of two ways:
// - `start`: `n8n start`, a production execution started by a webhook, its data saved (as a
//   builder's workflows run);
// - `execute-batch`: `n8n execute-batch`, one manual execution, no server (how the 256 MB goal was
//   first measured). n8n also turns the whole execution into pretty-printed JSON at the end of it.

// Finer above 256 MB: `n8n start` 2.41 itself does not start below that (measured).
export const LADDER_MB = [128, 160, 200, 256, 288, 320, 384, 512];

export const LADDER_RUNNERS = ['start', 'execute-batch'] as const;
export type LadderRunner = (typeof LADDER_RUNNERS)[number];

export interface Rung {
	capMb: number;
	completed: boolean;
	problem?: string;
	seconds: number;
}

export interface UncappedRun {
	seconds: number;
	/** Peak RSS of the n8n process during the run (save included) minus its RSS just before. */
	peakRssGrowthMb: number;
	/**
	 * Largest heap after a full GC (--trace-gc) from the webhook call to the checkpoint, and from
	 * the checkpoint until n8n had saved the execution; undefined when no full GC happened.
	 */
	peakHeapAfterFullGcMb: { untilCheckpoint?: number; whileSaving?: number };
	savedJsonBytes?: number;
}

export interface LadderResult {
	runner: LadderRunner;
	contender: Contender;
	items: number;
	uncapped?: UncappedRun;
	rungs: Rung[];
	/** null: it did not complete at the top of the ladder. */
	smallestCapMb: number | null;
}

interface LadderContext {
	setup: BenchSetup;
	checkpoints: CheckpointServer;
	say: (line: string) => void;
}

/** One fresh n8n with `nodeFlags`, one execution of `workflow`, n8n stopped again. */
async function runFresh(
	{ setup, checkpoints }: LadderContext,
	workflow: MemoryWorkflow,
	nodeFlags: string[],
	timeoutMs: number,
): Promise<RunOutcome & { peakRssGrowthMb?: number; gcTrace?: { run: string; save: string } }> {
	const { simulator, sent } = await startCountingSimulator(setup, workflow.items);
	const starting = performance.now();
	let n8n;
	try {
		n8n = await startBenchN8n(setup.instance, { nodeFlags });
	} catch (error) {
		await simulator.close();
		const problem = /heap out of memory|Reached heap limit/.test(String(error))
			? 'n8n did not start: out of memory'
			: 'n8n did not start';
		const seconds = Number(((performance.now() - starting) / 1000).toFixed(1));
		return { completed: false, problem, seconds };
	}
	// What n8n printed from the webhook call to the checkpoint, and from there on (--trace-gc).
	const runFrom = n8n.running.output().length;
	let checkpointAt = runFrom;
	checkpoints.onCheckpoint = async () => {
		checkpointAt = n8n.running.output().length;
	};
	n8n.resetPeakRss();
	const rssBefore = n8n.peakRss();
	try {
		const outcome = await runMemoryWorkflow({
			n8n,
			url: setup.instance.url,
			workflow,
			checkpoints,
			sent,
			timeoutMs,
		});
		const peakRssGrowthMb = mb(n8n.peakRss() - rssBefore);
		const exitCode = await n8n.stop();
		if (outcome.completed && exitCode !== 0) {
			return { ...outcome, completed: false, problem: `n8n exited ${exitCode} when stopped` };
		}
		const output = n8n.running.output();
		const gcTrace = { run: output.slice(runFrom, checkpointAt), save: output.slice(checkpointAt) };
		return { ...outcome, peakRssGrowthMb, gcTrace };
	} finally {
		await n8n.stop();
		await simulator.close();
	}
}

/** A workflow imported for `execute-batch`, and the ids file naming it (see `writeIdsFile`). */
interface BatchWorkflow {
	contender: Contender;
	items: number;
	idsFile: string;
	dir: string;
}

async function importBatchWorkflow(
	{ setup }: LadderContext,
	contender: Contender,
	items: number,
): Promise<BatchWorkflow> {
	const id = `benchCli-${contender}-${items}`;
	const workflow = cliWorkflow(id, contender, items, setup.simulatorUrl);
	const dir = await importForExecuteBatch(setup, [workflow]);
	return { contender, items, idsFile: writeIdsFile(dir, [id]), dir };
}

/**
 * One fresh `n8n execute-batch` with `nodeFlags`. Completed means: it exited 0, its summary counts
 * the execution as a success, and the simulator answered a send for every item.
 */
async function runBatchFresh(
	{ setup }: LadderContext,
	batch: BatchWorkflow,
	nodeFlags: string[],
	timeoutMs: number,
): Promise<RunOutcome> {
	const { simulator, sent } = await startCountingSimulator(setup, batch.items);
	const summaryFile = join(batch.dir, `summary-${Date.now()}.json`);
	const started = performance.now();
	const seconds = () => Number(((performance.now() - started) / 1000).toFixed(1));
	const n8n = spawnN8n(
		setup.instance,
		['execute-batch', `--ids=${batch.idsFile}`, '--retries=0', `--output=${summaryFile}`],
		undefined,
		nodeFlags,
	);
	try {
		const exited = new Promise<void>((resolve) => n8n.process.once('exit', () => resolve()));
		if (n8n.process.exitCode === null && n8n.process.signalCode === null) {
			const done = await Promise.race([
				exited.then(() => true),
				// Unref'd: a rung that ended in time must not keep the bench process alive.
				sleep(timeoutMs, undefined, { ref: false }).then(() => false),
			]);
			if (!done)
				return {
					completed: false,
					problem: `not done after ${timeoutMs / 1000} s`,
					seconds: seconds(),
				};
		}
		const at = seconds();
		if (outOfMemory(n8n.output()))
			return { completed: false, problem: 'out of memory', seconds: at };
		const how = n8n.process.exitCode ?? n8n.process.signalCode;
		const summary = existsSync(summaryFile)
			? (JSON.parse(readFileSync(summaryFile, 'utf8')) as {
					executions?: Array<{ executionStatus?: string; error?: string }>;
				})
			: undefined;
		const execution = summary?.executions?.[0];
		if (execution?.executionStatus !== 'success') {
			const ended = execution
				? `the execution ended as ${execution.executionStatus}: ${String(execution.error).slice(0, 200)}`
				: `execute-batch exited ${how} without a summary`;
			return { completed: false, problem: ended, seconds: at };
		}
		if (how !== 0) return { completed: false, problem: `execute-batch exited ${how}`, seconds: at };
		if (batch.contender !== 'none' && sent() !== batch.items) {
			const problem = `the simulator answered ${sent()} of ${batch.items} sends`;
			return { completed: false, problem, seconds: at };
		}
		return { completed: true, seconds: at };
	} finally {
		await n8n.stop();
		await simulator.close();
	}
}

export async function climbLadder(
	context: LadderContext,
	contender: Contender,
	items: number,
	options: { runner: LadderRunner; uncapped: boolean; topFirst: boolean },
): Promise<LadderResult> {
	const { say } = context;
	const { runner } = options;
	const workflow = memoryWorkflowFor(contender, items);
	const batch =
		runner === 'execute-batch' ? await importBatchWorkflow(context, contender, items) : undefined;
	const result: LadderResult = { runner, contender, items, rungs: [], smallestCapMb: null };
	// Without a reference run, allow what the slowest contender needs (about 2.5 ms an item here).
	let timeoutMs = items * 6 + 120_000;

	if (options.uncapped && runner === 'start') {
		say(`  ${contender}, ${items} items, no cap (reference run, --trace-gc)...`);
		const run = await runFresh(context, workflow, ['--trace-gc'], timeoutMs);
		if (!run.completed) throw new Error(`${contender} failed without a cap: ${run.problem}`);
		result.uncapped = {
			seconds: run.seconds,
			peakRssGrowthMb: run.peakRssGrowthMb ?? 0,
			peakHeapAfterFullGcMb: {
				untilCheckpoint: peakHeapAfterFullGcMb(run.gcTrace?.run ?? ''),
				whileSaving: peakHeapAfterFullGcMb(run.gcTrace?.save ?? ''),
			},
			savedJsonBytes: run.execution ? savedBytes(run.execution) : undefined,
		};
		// A capped run may spend most of its time collecting garbage near the cap; past 3 times the
		// uncapped time it does not count as completing.
		timeoutMs = Math.round(run.seconds * 3_000 + 60_000);
		say(
			`    ${run.seconds} s, peak RSS +${result.uncapped.peakRssGrowthMb} MB, ` +
				`heap after full GC at most ${result.uncapped.peakHeapAfterFullGcMb.untilCheckpoint ?? '(no full GC)'} MB ` +
				`from the webhook to the checkpoint, ${result.uncapped.peakHeapAfterFullGcMb.whileSaving ?? '(no full GC)'} MB from there on (saving)`,
		);
	}

	const attempt = async (index: number): Promise<boolean> => {
		const capMb = LADDER_MB[index];
		const flags = [`--max-old-space-size=${capMb}`];
		const run = batch
			? await runBatchFresh(context, batch, flags, timeoutMs)
			: await runFresh(context, workflow, flags, timeoutMs);
		result.rungs.push({
			capMb,
			completed: run.completed,
			problem: run.problem,
			seconds: run.seconds,
		});
		say(
			`  ${runner}, ${contender}, ${items} items, old space ${capMb} MB: ` +
				`${run.completed ? 'completed' : `failed (${run.problem})`} in ${run.seconds} s`,
		);
		return run.completed;
	};

	// Bisection: every rung below `low` failed, every rung from `high` on completed. The lower
	// middle first: a failing rung costs more time than a passing one.
	let low = 0;
	let high = LADDER_MB.length;
	if (options.topFirst) {
		if (!(await attempt(LADDER_MB.length - 1))) return result;
		high = LADDER_MB.length - 1;
	}
	while (low < high) {
		const middle = Math.floor((low + high - 1) / 2);
		if (await attempt(middle)) high = middle;
		else low = middle + 1;
	}
	result.smallestCapMb = high < LADDER_MB.length ? LADDER_MB[high] : null;
	return result;
}

const savedBytes = (execution: object) =>
	(execution as { jsonSizeBytes?: number }).jsonSizeBytes ?? undefined;

export function describeCap(result: LadderResult): string {
	return result.smallestCapMb === null
		? `more than ${LADDER_MB[LADDER_MB.length - 1]} MB`
		: `${result.smallestCapMb} MB`;
}
