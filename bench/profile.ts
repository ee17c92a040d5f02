import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { importWorkflows } from '../tools/n8n/n8n';
import type { CheckpointServer } from './checkpoint';
import type { CpuProfile, Party } from './cpuProfile';
import { cpuByParty } from './cpuProfile';
import { runMemoryWorkflow, startCountingSimulator } from './memoryRun';
import { startBenchN8n } from './n8nServer';
import type { BenchSetup } from './setup';
import type { Spread } from './stats';
import { spread } from './stats';
import type { Contender } from './workflows';
import { profileWorkflow } from './workflows';

// Where a sender's CPU goes, per item: n8n under the inspector's sampling profiler from the
// checkpoint before the sender to the one after it, the simulator at 0 ms latency, items one by
// one. Repeated; each party's figure is the median over the runs.

export const PROFILED: Array<Exclude<Contender, 'none' | 'piggyNodeBatched'>> = [
	'piggyNode',
	'httpRequestNode',
];

export interface ProfileResult {
	items: number;
	runs: number;
	/** Per contender: wall time of the sender per item, and CPU per item by party, in µs. */
	contenders: Record<
		string,
		{ wallMicrosPerItem: Spread; cpuMicrosPerItem: Spread; byParty: Record<Party, number> }
	>;
}

const SAMPLING_INTERVAL_MICROS = 200;

export async function profileSenders(
	setup: BenchSetup,
	checkpoints: CheckpointServer,
	items: number,
	runs: number,
	say: (line: string) => void,
	keepProfilesIn?: string,
): Promise<ProfileResult> {
	const idOf = (contender: string) => `benchProfile-${contender}`;
	const definitions = PROFILED.map((contender) =>
		profileWorkflow({
			id: idOf(contender),
			path: `bench-profile/${contender}`,
			contender,
			items,
			simulatorUrl: setup.simulatorUrl,
			startUrl: checkpoints.urlFor(`${idOf(contender)}-start`),
			stopUrl: checkpoints.urlFor(idOf(contender)),
		}),
	);
	await importWorkflows(setup.instance, definitions, { publish: true });

	const n8n = await startBenchN8n(setup.instance, { inspect: true });
	const inspector = n8n.inspector!;
	const result: ProfileResult = { items, runs, contenders: {} };
	try {
		await inspector.call('Profiler.enable');
		await inspector.call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_MICROS });
		const samples: Record<string, Array<{ wall: number; parties: Map<Party, number> }>> = {};
		// The first run of each warms n8n up (JIT, caches) and is not counted.
		for (let run = 0; run <= runs; run++) {
			for (const contender of PROFILED) {
				const { simulator, sent } = await startCountingSimulator(setup, items);
				let started = 0;
				let profile: CpuProfile | undefined;
				let wall = 0;
				checkpoints.onCheckpoint = async (name) => {
					if (name.endsWith('-start')) {
						await inspector.call('Profiler.start');
						started = performance.now();
					} else {
						wall = performance.now() - started;
						profile = ((await inspector.call('Profiler.stop')) as { profile: CpuProfile }).profile;
					}
				};
				const outcome = await runMemoryWorkflow({
					n8n,
					url: setup.instance.url,
					workflow: { id: idOf(contender), path: `bench-profile/${contender}`, contender, items },
					checkpoints,
					sent,
					timeoutMs: items * 10 + 120_000,
				}).finally(() => simulator.close());
				if (!outcome.completed || !profile) {
					throw new Error(`profiling ${contender}: ${outcome.problem ?? 'no profile'}`);
				}
				if (run === 0) continue;
				if (keepProfilesIn) {
					mkdirSync(keepProfilesIn, { recursive: true });
					writeFileSync(
						join(keepProfilesIn, `${contender}-${run}.cpuprofile`),
						JSON.stringify(profile),
					);
				}
				const parties = cpuByParty(profile);
				(samples[contender] ??= []).push({ wall, parties });
				const cpu = [...parties].filter(([party]) => party !== 'idle');
				const total = cpu.reduce((sum, [, micros]) => sum + micros, 0);
				say(
					`  ${contender}, run ${run}: ${(wall / items).toFixed(3)} ms an item, CPU ` +
						`${(total / items / 1000).toFixed(3)} ms an item; ` +
						cpu
							.sort((a, b) => b[1] - a[1])
							.map(([party, micros]) => `${party} ${Math.round((100 * micros) / total)}%`)
							.join(', '),
				);
			}
		}
		for (const [contender, list] of Object.entries(samples)) {
			const parties = new Set(list.flatMap(({ parties: map }) => [...map.keys()]));
			const byParty = Object.fromEntries(
				[...parties].map((party) => [
					party,
					Math.round(spread(list.map(({ parties: map }) => (map.get(party) ?? 0) / items)).median),
				]),
			) as Record<Party, number>;
			const cpuOf = (map: Map<Party, number>) =>
				[...map].filter(([party]) => party !== 'idle').reduce((sum, [, micros]) => sum + micros, 0);
			result.contenders[contender] = {
				wallMicrosPerItem: spread(list.map(({ wall }) => (wall * 1000) / items)),
				cpuMicrosPerItem: spread(list.map(({ parties: map }) => cpuOf(map) / items)),
				byParty,
			};
		}
		return result;
	} finally {
		await n8n.stop();
	}
}
