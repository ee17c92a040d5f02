/**
 * Ways to make the simulator misbehave, for tests and demos: set for the whole run (CLI flags),
 * queued for the next requests (POST /_simulator/faults), or per request (X-Simulator-Fault).
 */
export interface Fault {
	/** Delay before answering, in milliseconds. */
	latencyMs?: number;
	/** Answer this HTTP status instead (429, 500, 503, ...). */
	status?: number;
	/** With status 429 or 503: the Retry-After header, in seconds. */
	retryAfter?: number;
	/** Answer this Piggy error code (HTTP 400, documented body). */
	piggyCode?: number;
	/** Answer a 200 whose body is not JSON. */
	nonJson?: boolean;
}

export const PIGGY_MESSAGES: Record<number, string> = {
	1003: 'Invalid input.',
	55031: 'Contact not found.',
	55032: 'User app not found.',
	13010: 'Passcode not found.',
	1053: 'Account secret is invalid',
	3000: 'The token is expired',
};

/** Bounds that keep a fault from hanging or crashing the simulator. */
const LIMITS = { status: [200, 599], retryAfter: [0, 86_400], latencyMs: [0, 60_000] } as const;
export const MAX_QUEUED_TIMES = 1_000;

const within = (value: unknown, [min, max]: readonly [number, number]) =>
	Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** A fault from untrusted JSON, or why it is not one. */
export function checkFault(value: unknown): Fault | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return 'a fault is an object';
	const { status, retryAfter, piggyCode, nonJson, latencyMs } = value as Record<string, unknown>;
	if (status !== undefined && !within(status, LIMITS.status))
		return 'status is a whole number from 200 to 599';
	if (retryAfter !== undefined && !within(retryAfter, LIMITS.retryAfter)) {
		return 'retryAfter is a whole number of seconds from 0 to 86400';
	}
	if (latencyMs !== undefined && !within(latencyMs, LIMITS.latencyMs)) {
		return 'latencyMs is a whole number from 0 to 60000';
	}
	if (piggyCode !== undefined && !Number.isSafeInteger(piggyCode))
		return 'piggyCode is a whole number';
	if (nonJson !== undefined && typeof nonJson !== 'boolean') return 'nonJson is true or false';
	const fault = { status, retryAfter, piggyCode, nonJson, latencyMs };
	// Only the fields given: a queued fault must not blank out the run's own (e.g. its latency).
	return Object.fromEntries(Object.entries(fault).filter(([, set]) => set !== undefined)) as Fault;
}

/**
 * Parses a fault written as comma-separated words, as on the command line or in the
 * X-Simulator-Fault header: `503`, `429:retry=2`, `code=55032`, `latency=20`, `non-json`.
 */
export function parseFault(text: string): Fault {
	const fault: Record<string, unknown> = {};
	for (const word of text
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)) {
		const [name, value] = word.split('=');
		if (/^\d{3}(:retry=\d{1,6})?$/.test(word)) {
			const [status, retry] = word.split(':retry=');
			fault.status = Number(status);
			if (retry !== undefined) fault.retryAfter = Number(retry);
		} else if (name === 'code' && /^\d{1,9}$/.test(value ?? '')) fault.piggyCode = Number(value);
		else if (name === 'latency' && /^\d{1,6}$/.test(value ?? '')) fault.latencyMs = Number(value);
		else if (word === 'non-json') fault.nonJson = true;
		else throw new Error(`Unknown fault "${word}"`);
	}
	const checked = checkFault(fault);
	if (typeof checked === 'string') throw new Error(`Fault "${text}": ${checked}`);
	return checked;
}

/** Answers queued with POST /_simulator/faults, each used by one request. */
export class FaultQueue {
	private readonly queue: Fault[] = [];

	/** Queues `fault` for the next `times` requests (at most MAX_QUEUED_TIMES in the queue). */
	push(fault: Fault, times = 1): void {
		const room = Math.max(0, MAX_QUEUED_TIMES - this.queue.length);
		for (let i = 0; i < Math.min(times, room); i++) this.queue.push(fault);
	}

	next(): Fault | undefined {
		return this.queue.shift();
	}

	clear(): void {
		this.queue.length = 0;
	}

	get size(): number {
		return this.queue.length;
	}
}
