import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

import { N8N_VERSION } from '../tools/n8n/n8n';
import { startCheckpointServer } from './checkpoint';
import type { LadderResult } from './ladder';
import type { LadderRunner } from './ladder';
import { LADDER_MB, LADDER_RUNNERS, climbLadder } from './ladder';
import { memoryWorkflowFor, publishMemoryWorkflows } from './memoryRun';
import { profileSenders } from './profile';
import { printReport } from './report';
import type { BenchReport } from './report';
import { RETENTION_CONTENDERS, measureRetention } from './retention';
import { prepareBench } from './setup';
import { measureLatency } from './latency';
import { measureSpeed } from './speed';
import type { Contender } from './workflows';

// `npm run bench`: this node against n8n's HTTP Request node in a real n8n, in parts (README,
// "Performance"): speed (execute-batch), memory (retained bytes per item, the old-space ladder,
// peak RSS), latency (the login webhooks under `n8n start`), profile (CPU per item by party).

const PARTS = ['speed', 'memory', 'ladder', 'latency', 'profile'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `npm run bench -- [options]
  --only PART[,PART]    ${PARTS.join(', ')} (default: all)
  --items N             speed: items per run (default 1000)
  --repeats N           speed: runs per contender; memory: rounds (default 3)
  --latencies MS[,MS]   speed: the simulator's latency (default 0,20)
  --memory-items N      memory: items for the retained-bytes runs (default 10000)
  --ladder-items N[,N]  ladder: item counts (default 10000,100000)
  --ladder-runners R[,R] ladder: ${LADDER_RUNNERS.join(', ')} (default: both)
  --logins N            latency: measured logins per case (default 200)
  --profile-items N     profile: items per profiled run (default 2000)
  --profile-runs N      profile: runs per sender (default 3)
  --keep-profiles DIR   profile: also write the .cpuprofile files to DIR
  --package DIR         measure another built checkout of this package
  --json                print the results as JSON only, on standard output`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			only: { type: 'string' },
			items: { type: 'string', default: '1000' },
			repeats: { type: 'string', default: '3' },
			latencies: { type: 'string', default: '0,20' },
			'memory-items': { type: 'string', default: '10000' },
			'ladder-items': { type: 'string', default: '10000,100000' },
			'ladder-runners': { type: 'string', default: LADDER_RUNNERS.join(',') },
			logins: { type: 'string', default: '200' },
			'profile-items': { type: 'string', default: '2000' },
			'profile-runs': { type: 'string', default: '3' },
			'keep-profiles': { type: 'string' },
			package: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const parts = new Set<Part>((values.only?.split(',') ?? PARTS) as Part[]);
	for (const part of parts) {
		if (!PARTS.includes(part)) throw new Error(`unknown part "${part}"\n${USAGE}`);
	}
	const count = (name: keyof typeof values) => {
		const value = Number(values[name]);
		if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number`);
		return value;
	};
	const ladderItems = String(values['ladder-items'])
		.split(',')
		.map((value) => Number(value));
	const ladderRunners = String(values['ladder-runners']).split(',') as LadderRunner[];
	for (const runner of ladderRunners) {
		if (!LADDER_RUNNERS.includes(runner)) throw new Error(`unknown runner "${runner}"\n${USAGE}`);
	}
	// Progress goes to standard error when standard output is for the JSON.
	const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

	const startedAt = performance.now();
	const setup = await prepareBench({ say, packageDir: values.package });
	const checkpoints = await startCheckpointServer();
	const report: BenchReport = {
		machine: { cpus: cpus().length, node: process.versions.node, n8n: N8N_VERSION },
		package: values.package ?? 'this repository',
	};
	try {
		if (parts.has('speed')) {
			say('speed: n8n execute-batch, the sender execution time...');
			const latencies = String(values.latencies).split(',').map(Number);
			report.speed = await measureSpeed(setup, count('items'), count('repeats'), latencies, say);
		}
		if (parts.has('memory') || parts.has('ladder')) {
			const ladder: Array<[Contender, number]> = parts.has('ladder')
				? ladderItems.flatMap((items) =>
						(['piggyNode', 'httpRequestNode', 'none'] as Contender[]).map(
							(contender): [Contender, number] => [contender, items],
						),
					)
				: [];
			const retention = parts.has('memory')
				? RETENTION_CONTENDERS.map((contender) =>
						memoryWorkflowFor(contender, count('memory-items')),
					)
				: [];
			// Only the ladder's `start` rungs run these; `execute-batch` imports its own.
			const ladderUnderStart = ladderRunners.includes('start') ? ladder : [];
			await publishMemoryWorkflows(setup, checkpoints, [
				...retention,
				...ladderUnderStart.map(([contender, items]) => memoryWorkflowFor(contender, items)),
			]);
			if (parts.has('memory')) {
				say(
					`memory: live heap after full GCs at the checkpoint, ${count('memory-items')} items, ${count('repeats')} rounds...`,
				);
				report.retention = await measureRetention(
					setup,
					checkpoints,
					count('memory-items'),
					count('repeats'),
					say,
				);
			}
			if (parts.has('ladder')) {
				say(
					`ladder: the smallest --max-old-space-size of ${LADDER_MB.join(', ')} MB that completes...`,
				);
				const results: LadderResult[] = [];
				for (const runner of ladderRunners) {
					for (const [contender, items] of ladder) {
						// The HTTP Request node goes to the top first: if it fails there, the rest is moot.
						// At the largest size it gets no reference run: it would take minutes and we want
						// only whether it completes.
						const largest = items === Math.max(...ladderItems);
						results.push(
							await climbLadder({ setup, checkpoints, say }, contender, items, {
								runner,
								uncapped: !(contender === 'httpRequestNode' && largest),
								topFirst: contender === 'httpRequestNode',
							}),
						);
					}
				}
				report.ladder = results;
			}
		}
		if (parts.has('latency')) {
			say(`latency: the login webhooks under n8n start, ${count('logins')} logins a case...`);
			report.latency = await measureLatency(setup, count('logins'), say);
		}
		if (parts.has('profile')) {
			say(
				`profile: CPU per item by party, ${count('profile-items')} items, ${count('profile-runs')} runs...`,
			);
			report.profile = await profileSenders(
				setup,
				checkpoints,
				count('profile-items'),
				count('profile-runs'),
				say,
				values['keep-profiles'],
			);
		}
	} finally {
		await checkpoints.close();
		setup.remove();
	}
	report.seconds = Math.round((performance.now() - startedAt) / 1000);
	if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	else printReport(report, say);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
