/**
 * Reads Node's `--trace-gc` lines. After a mark-compact (a full collection) the heap holds little
 * but live objects, so the largest heap after one is a fair reading of the most a run kept alive
 * at once; scavenges (young generation only) say nothing about that and are skipped.
 */
const MARK_COMPACT = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/g;

/** The largest heap after a full collection in `output`, in MB; undefined if there was none. */
export function peakHeapAfterFullGcMb(output: string): number | undefined {
	let peak: number | undefined;
	for (const match of output.matchAll(MARK_COMPACT)) {
		const after = Number(match[1]);
		peak = peak === undefined ? after : Math.max(peak, after);
	}
	return peak;
}
