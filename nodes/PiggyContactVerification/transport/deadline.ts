import { pause } from '../wait';

/**
 * A time limit for one whole request, body included: `passed` turns true `ms` after it starts.
 * `clear()` stops its clock when the request is over (n8n's sleep clears its timer on abort).
 */
export class Deadline {
	private readonly clock = new AbortController();
	private expired = false;
	/** Settles when the time is up, or when the deadline is cleared. */
	readonly over: Promise<void>;

	constructor(ms: number) {
		this.over = pause(ms, this.clock.signal).then(() => {
			this.expired = !this.clock.signal.aborted;
		});
	}

	get passed(): boolean {
		return this.expired;
	}

	clear(): void {
		this.clock.abort();
	}
}
