/** Statuses where Piggy did not process the request, so sending it again is safe. */
const RETRYABLE_STATUSES = new Set([429, 503]);

export const MAX_ATTEMPTS = 3;

/** The longest Retry-After we wait for; a longer one fails the item with Piggy's wait in the error. */
export const MAX_RETRY_WAIT_MS = 30_000;

const BACKOFF_MS = 500;

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfterMs(
	retryAfter: string | undefined,
	now = Date.now(),
): number | undefined {
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const value = retryAfter.trim();
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before attempt `attempt + 1`, or undefined when the request must not be
 * retried: not a retryable status, no attempts left, or Piggy asks for a longer wait than we allow.
 */
export function retryDelayMs(
	statusCode: number,
	retryAfter: string | undefined,
	attempt: number,
): number | undefined {
	if (!RETRYABLE_STATUSES.has(statusCode) || attempt >= MAX_ATTEMPTS) return undefined;
	const asked = parseRetryAfterMs(retryAfter);
	if (asked === undefined) return BACKOFF_MS * 2 ** (attempt - 1);
	return asked <= MAX_RETRY_WAIT_MS ? asked : undefined;
}
