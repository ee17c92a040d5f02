import type { CheckpointServer } from './checkpoint';
import { memoryWorkflowFor, runMemoryWorkflow, startCountingSimulator } from './memoryRun';
import { startBenchN8n } from './n8nServer';
import type { BenchSetup } from './setup';
import type { Spread } from './stats';
import { mb, spread } from './stats';
import type { Contender } from './workflows';

// Bytes retained per item: one `n8n start` under the inspector runs, round after round, the
// workflow without a sender, with the HTTP Request node and with our node. At the checkpoint
// after the sender, the bench forces full garbage collections and reads the live heap; the run
// data of every node is alive then. Retained per item = (heap − heap without a sender) / N, each
// against the run without a sender of the same round.

export const RETENTION_CONTENDERS: Contender[] = ['none', 'piggyNode', 'httpRequestNode'];

export interface RetentionResult {
	items: number;
	rounds: number;
	/** Live heap after full GCs while n8n was idle, before the first run. */
	idleHeapMb: number;
	/** Live heap at the checkpoint, per contender, over the rounds. */
	heapAtCheckpointMb: Record<string, Spread>;
	/** Live heap after each execution was saved: what n8n keeps once a run is over. */
	heapAfterRunMb: Record<string, Spread>;
	retainedBytesPerItem: Record<string, Spread>;
	/** The size n8n recorded for the saved execution data (jsonSizeBytes). */
	savedBytesPerItem: Record<string, number>;
}

export async function measureRetention(
	setup: BenchSetup,
	checkpoints: CheckpointServer,
	items: number,
	rounds: number,
	say: (line: string) => void,
): Promise<RetentionResult> {
	const n8n = await startBenchN8n(setup.instance, { inspect: true });
	try {
		const inspector = n8n.inspector!;
		const idleHeap = await inspector.liveHeapBytes();
		const atCheckpoint: Record<string, number[]> = {};
		const afterRun: Record<string, number[]> = {};
		const retained: Record<string, number[]> = {};
		const savedBytesPerItem: Record<string, number> = {};
		// Round 0 warms n8n up (each node's code loaded and compiled, caches filled); not counted.
		for (let round = 0; round <= rounds; round++) {
			let withoutSender = 0;
			for (const contender of RETENTION_CONTENDERS) {
				const workflow = memoryWorkflowFor(contender, items);
				const { simulator, sent } = await startCountingSimulator(setup, items);
				let heap = 0;
				checkpoints.onCheckpoint = async () => {
					heap = await inspector.liveHeapBytes();
				};
				const outcome = await runMemoryWorkflow({
					n8n,
					url: setup.instance.url,
					workflow,
					checkpoints,
					sent,
					timeoutMs: items * 10 + 120_000,
				}).finally(() => simulator.close());
				if (!outcome.completed) throw new Error(`${workflow.id}: ${outcome.problem}`);
				const after = await inspector.liveHeapBytes();
				if (round === 0) continue;
				(atCheckpoint[contender] ??= []).push(mb(heap));
				(afterRun[contender] ??= []).push(mb(after));
				const size = (outcome.execution as { jsonSizeBytes?: number } | undefined)?.jsonSizeBytes;
				if (size) savedBytesPerItem[contender] = Math.round(size / items);
				if (contender === 'none') withoutSender = heap;
				else (retained[contender] ??= []).push((heap - withoutSender) / items);
				say(
					`  round ${round}, ${contender}: live heap ${mb(heap)} MB at the checkpoint, ` +
						`${mb(after)} MB after the run (${outcome.seconds} s)`,
				);
			}
		}
		const spreads = (values: Record<string, number[]>, digits: number) =>
			Object.fromEntries(Object.entries(values).map(([key, list]) => [key, spread(list, digits)]));
		return {
			items,
			rounds,
			idleHeapMb: mb(idleHeap),
			heapAtCheckpointMb: spreads(atCheckpoint, 1),
			heapAfterRunMb: spreads(afterRun, 1),
			retainedBytesPerItem: spreads(retained, 0),
			savedBytesPerItem,
		};
	} finally {
		await n8n.stop();
	}
}
