import { pause } from '../wait';

/**
 * What a cleared deadline aborts its clock with. n8n's sleep rejects with the abort reason, made
 * an Error if it is not one; without a reason, abort() builds a DOMException. Either way an error
 * and its stack trace per request, which measured about a quarter of the node's own CPU per item.
 * Nobody sees this one: the wait swallows it.
 */
const CLEARED = new Error('The deadline was cleared');

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
		this.clock.abort(CLEARED);
	}
}
