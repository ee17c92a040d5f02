import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Agent, request } from 'undici';

import type { RunningSimulator } from '../tools/simulator/server';
import { n8nCli } from '../tools/n8n/n8n';
import { startCountingSimulator } from './memoryRun';
import type { BenchSetup } from './setup';
import { TOKEN, importForExecuteBatch, writeIdsFile } from './setup';
import type { Spread } from './stats';
import { median, spread } from './stats';
import type { Contender } from './workflows';
import { ITEMS_PER_BATCH, SEND_PATH, benchEmail, cliWorkflow } from './workflows';

// Send Verification Email over N items against the simulator at 0 and 20 ms latency: raw undici
// requests (one by one, and 10 at a time), n8n's HTTP Request node with header auth, our node one
// by one, and our node 10 per batch. n8n figures are the sender's own execution time from the run
// data of `n8n execute-batch`.

const SENDERS: Array<Exclude<Contender, 'none'>> = [
	'httpRequestNode',
	'piggyNode',
	'piggyNodeBatched',
];

export interface SpeedResult {
	items: number;
	latencyMs: number;
	repeats: number;
	/** Milliseconds for all items, over the repeats. */
	ms: Record<'raw' | 'rawConcurrent' | Exclude<Contender, 'none'>, Spread>;
	perItemOverheadOverRawMs: number;
}

async function raw(simulator: RunningSimulator, items: number, concurrency: number) {
	const dispatcher = new Agent({ connections: concurrency });
	const send = async (email: string) => {
		const response = await request(`${simulator.url}${SEND_PATH}`, {
			method: 'POST',
			dispatcher,
			headers: {
				authorization: `Bearer ${TOKEN}`,
				accept: 'application/json',
				'content-type': 'application/json',
			},
			body: JSON.stringify({ email }),
		});
		await response.body.json();
		if (response.statusCode !== 200) throw new Error(`raw request answered ${response.statusCode}`);
	};
	const started = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items) await send(benchEmail(next++));
		}),
	);
	const ms = performance.now() - started;
	await dispatcher.close();
	return ms;
}

/** Runs the workflows in one `n8n execute-batch`; answers each sender's execution time. */
async function executeBatch(
	setup: BenchSetup,
	workflows: ReturnType<typeof cliWorkflow>[],
	items: number,
): Promise<Record<string, number>> {
	const dir = await importForExecuteBatch(setup, workflows);
	const snapshots = join(dir, 'snapshots');
	mkdirSync(snapshots);
	const idsFile = writeIdsFile(
		dir,
		workflows.map((workflow) => workflow.id),
	);
	const summary = join(dir, 'summary.json');
	await n8nCli(setup.instance, [
		'execute-batch',
		`--ids=${idsFile}`,
		'--retries=0',
		`--snapshot=${snapshots}`,
		`--output=${summary}`,
	]);
	const nodeMs: Record<string, number> = {};
	for (const file of readdirSync(snapshots)) {
		const snapshot = JSON.parse(readFileSync(join(snapshots, file), 'utf8')) as {
			data: {
				resultData: {
					runData: Record<string, Array<{ executionTime: number; data: { main: unknown[][] } }>>;
				};
			};
		};
		const send = snapshot.data.resultData.runData.Send[0];
		if (send.data.main[0].length !== items) {
			throw new Error(`${file}: ${send.data.main[0].length} of ${items} items succeeded`);
		}
		nodeMs[file.replace('-snapshot.json', '')] = send.executionTime;
	}
	if (Object.keys(nodeMs).length !== workflows.length) {
		throw new Error(`a bench workflow failed:\n${readFileSync(summary, 'utf8').slice(0, 3000)}`);
	}
	rmSync(dir, { recursive: true, force: true });
	return nodeMs;
}

export async function measureSpeed(
	setup: BenchSetup,
	items: number,
	repeats: number,
	latenciesMs: number[],
	say: (line: string) => void,
): Promise<SpeedResult[]> {
	const results: SpeedResult[] = [];
	for (const latencyMs of latenciesMs) {
		say(`  latency ${latencyMs} ms: ${items} items, ${repeats} runs of each contender...`);
		const { simulator } = await startCountingSimulator(setup, items, latencyMs);
		try {
			const rawMs: number[] = [];
			const rawConcurrentMs: number[] = [];
			for (let i = 0; i < repeats; i++) {
				rawMs.push(await raw(simulator, items, 1));
				rawConcurrentMs.push(await raw(simulator, items, ITEMS_PER_BATCH));
			}
			// Interleaved, so that a slow spell of the machine does not fall on one contender.
			const workflows = Array.from({ length: repeats }, (_, run) =>
				SENDERS.map((sender) =>
					cliWorkflow(`benchSpeed${latencyMs}-${sender}-${run}`, sender, items, setup.simulatorUrl),
				),
			).flat();
			const nodeMs = await executeBatch(setup, workflows, items);
			const of = (sender: string) =>
				spread(
					Object.entries(nodeMs)
						.filter(([id]) => id.split('-')[1] === sender)
						.map(([, ms]) => ms),
				);
			const ms = {
				raw: spread(rawMs),
				rawConcurrent: spread(rawConcurrentMs),
				httpRequestNode: of('httpRequestNode'),
				piggyNode: of('piggyNode'),
				piggyNodeBatched: of('piggyNodeBatched'),
			};
			results.push({
				items,
				latencyMs,
				repeats,
				ms,
				perItemOverheadOverRawMs: Number(
					((ms.piggyNode.median - median(rawMs)) / items).toFixed(3),
				),
			});
		} finally {
			await simulator.close();
		}
	}
	return results;
}
