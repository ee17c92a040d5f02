import type { LadderResult } from './ladder';
import { LADDER_MB, describeCap } from './ladder';
import type { LatencyResult } from './latency';
import type { ProfileResult } from './profile';
import type { RetentionResult } from './retention';
import type { SpeedResult } from './speed';
import { formatSpread } from './stats';

export interface BenchReport {
	machine: { cpus: number; node: string; n8n: string };
	package: string;
	speed?: SpeedResult[];
	retention?: RetentionResult;
	ladder?: LadderResult[];
	latency?: LatencyResult;
	profile?: ProfileResult;
	seconds?: number;
}

const NAMES: Record<string, string> = {
	none: 'no sender',
	piggyNode: 'this node',
	piggyNodeBatched: 'this node, 10 per batch',
	httpRequestNode: 'HTTP Request node',
	floor: 'floor (webhook, answer)',
	raw: 'raw undici',
	rawConcurrent: 'raw undici, 10 at once',
};
const name = (key: string) => NAMES[key] ?? key;

export function printReport(report: BenchReport, say: (line: string) => void): void {
	say('');
	say(
		`${report.machine.cpus} cores, Node ${report.machine.node}, n8n ${report.machine.n8n}; package: ${report.package}`,
	);
	for (const speed of report.speed ?? []) {
		say('');
		say(
			`Speed, ${speed.items} items at ${speed.latencyMs} ms latency (ms for all items, median (min to max) of ${speed.repeats}):`,
		);
		for (const [key, value] of Object.entries(speed.ms)) {
			say(
				`  ${name(key).padEnd(26)} ${formatSpread(value)}  = ${(value.median / speed.items).toFixed(3)} ms an item`,
			);
		}
	}
	const retention = report.retention;
	if (retention) {
		say('');
		say(
			`Retained at the checkpoint after full GCs, ${retention.items} items, ${retention.rounds} rounds ` +
				`(idle n8n: ${retention.idleHeapMb} MB live):`,
		);
		for (const [key, heap] of Object.entries(retention.heapAtCheckpointMb)) {
			const perItem = retention.retainedBytesPerItem[key];
			say(
				`  ${name(key).padEnd(18)} live heap ${formatSpread(heap, ' MB')}` +
					(perItem ? `, retained ${formatSpread(perItem, ' B')} an item` : '') +
					`; after the run ${formatSpread(retention.heapAfterRunMb[key], ' MB')}; saved ${retention.savedBytesPerItem[key] ?? '?'} B an item`,
			);
		}
	}
	if (report.ladder) {
		say('');
		say(
			`Smallest --max-old-space-size (of ${LADDER_MB.join(', ')} MB) under which one execution completes:`,
		);
		for (const result of report.ladder) {
			const tried = result.rungs
				.map((rung) => `${rung.capMb}: ${rung.completed ? 'ok' : rung.problem} (${rung.seconds} s)`)
				.join('; ');
			say(
				`  ${result.runner.padEnd(13)} ${name(result.contender).padEnd(18)} ${String(result.items).padStart(6)} items: ${describeCap(result)}  [${tried}]`,
			);
			if (result.uncapped) {
				const { seconds, peakRssGrowthMb, peakHeapAfterFullGcMb: gc } = result.uncapped;
				say(
					`${' '.repeat(42)}no cap: ${seconds} s, peak RSS growth ${peakRssGrowthMb} MB, heap after full GC ` +
						`at most ${gc.untilCheckpoint ?? '(none)'} MB in the run, ${gc.whileSaving ?? '(none)'} MB while saving`,
				);
			}
		}
	}
	if (report.latency) {
		say('');
		say('Login latency (send-code + login webhook calls), ms:');
		say('  flow                          visitors  latency   p50     p95     p99   logins/s');
		for (const c of report.latency.cases) {
			say(
				`  ${name(c.flow).padEnd(30)}${String(c.visitors).padStart(4)}  ${String(c.latencyMs).padStart(5)} ms ${String(c.p50).padStart(7)} ${String(c.p95).padStart(7)} ${String(c.p99).padStart(7)} ${String(c.throughput).padStart(8)}`,
			);
		}
		for (const added of report.latency.addedOverFloor) {
			say(
				`  added p50 over the floor, ${added.visitors} visitor(s), ${added.latencyMs} ms: ` +
					`this node ${added.piggyNode} ms, HTTP Request nodes ${added.httpRequestNode} ms ` +
					`(beyond the simulator's own ${3 * added.latencyMs} ms: ${added.piggyNodeBeyondPiggyLatency} ms and ${added.httpRequestNodeBeyondPiggyLatency} ms)`,
			);
		}
	}
	if (report.profile) {
		say('');
		say(
			`CPU per item by party, µs (${report.profile.items} items, median of ${report.profile.runs} runs):`,
		);
		for (const [key, entry] of Object.entries(report.profile.contenders)) {
			say(
				`  ${name(key)}: wall ${formatSpread(entry.wallMicrosPerItem)} µs, CPU ${formatSpread(entry.cpuMicrosPerItem)} µs an item`,
			);
			for (const [party, micros] of Object.entries(entry.byParty).sort((a, b) => b[1] - a[1])) {
				if (party !== 'idle') say(`    ${party.padEnd(44)} ${String(micros).padStart(5)}`);
			}
		}
	}
	if (report.seconds !== undefined) say(`\nThe bench took ${report.seconds} s.`);
}
