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

/**
 * Parses a fault written as comma-separated words, as on the command line or in the
 * X-Simulator-Fault header: `503`, `429:retry=2`, `code=55032`, `latency=20`, `non-json`.
 */
export function parseFault(text: string): Fault {
	const fault: Fault = {};
	for (const word of text
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)) {
		const [name, value] = word.split('=');
		if (/^\d{3}(:retry=\d+)?$/.test(word)) {
			const [status, retry] = word.split(':retry=');
			fault.status = Number(status);
			if (retry !== undefined) fault.retryAfter = Number(retry);
		} else if (name === 'code' && value) fault.piggyCode = Number(value);
		else if (name === 'latency' && value) fault.latencyMs = Number(value);
		else if (word === 'non-json') fault.nonJson = true;
		else throw new Error(`Unknown fault "${word}"`);
	}
	return fault;
}

/** Answers queued with POST /_simulator/faults, each used by one request. */
export class FaultQueue {
	private readonly queue: Fault[] = [];

	push(fault: Fault, times = 1): void {
		for (let i = 0; i < times; i++) this.queue.push(fault);
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
