import * as n8nWorkflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

// The package runs on whatever n8n-workflow the host n8n ships. 2.x's `sleep(ms, signal)` ends on
// the signal; 1.x's (n8n 1.123) ignores a signal, and its `sleepWithAbort(ms, signal)` honours it.
const { sleep, sleepWithAbort } = n8nWorkflow as unknown as {
	sleep: Sleep;
	sleepWithAbort?: Sleep;
};
const sleepUntilAborted: Sleep = sleepWithAbort ?? sleep;

/**
 * Waits `ms`, or less when `signal` aborts (the execution was stopped). It never rejects: the
 * caller checks the signal afterwards and reports the stop in its own words.
 */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (signal?.aborted) return;
	await sleepUntilAborted(ms, signal).catch(() => undefined);
}
