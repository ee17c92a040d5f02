/** Statuses where Piggy did not process the request, so sending it again is safe. */
const RETRYABLE_STATUSES = new Set([429, 503]);

export const MAX_ATTEMPTS = 3;

/** The longest Retry-After we wait for; a longer one fails the item with Piggy's wait in the error. */
export const MAX_RETRY_WAIT_MS = 30_000;

const BACKOFF_MS = 500;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hours>\\d{2}):(?<minutes>\\d{2}):(?<seconds>\\d{2})';
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

// RFC 9110 §10.2.3: Retry-After is delay-seconds (digits only) or an HTTP-date, which recipients
// read in all three of its formats (§5.6.7). Anchored, without nested repetition: linear time.
const DELAY_SECONDS = /^\d{1,64}$/;
const HTTP_DATES = [
	// IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
	new RegExp(`^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
	// RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
	new RegExp(
		`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
	),
	// asctime: Sun Nov  6 08:49:37 1994
	new RegExp(`^${DAY_NAME} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`),
];

/** The time an HTTP-date names, or undefined when it is not one (or names no real time). */
function parseHttpDate(value: string, now: number): number | undefined {
	const date = HTTP_DATES.map((format) => format.exec(value)?.groups).find(Boolean);
	if (!date) return undefined;
	let year = Number(date.year);
	// RFC 850's two-digit year: more than 50 years ahead means the most recent past such year.
	if (date.year.length === 2) {
		year += 2000;
		if (year > new Date(now).getUTCFullYear() + 50) year -= 100;
	}
	const [day, hours, minutes, seconds] = [date.day, date.hours, date.minutes, date.seconds].map(
		Number,
	);
	const time = Date.UTC(year, MONTHS.indexOf(date.month), day, hours, minutes, seconds);
	const real = new Date(time).getUTCDate() === day && hours < 24 && minutes < 60 && seconds < 61;
	return real ? time : undefined;
}

/** The wait a Retry-After header asks for, in ms; undefined when absent or not RFC 9110's form. */
export function parseRetryAfterMs(
	retryAfter: string | undefined,
	now = Date.now(),
): number | undefined {
	const value = retryAfter?.trim() ?? '';
	if (value === '' || value.length > 64) return undefined;
	if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
	const date = parseHttpDate(value, now);
	return date === undefined ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before attempt `attempt + 1`, or undefined when the request must not be
 * retried: not a retryable status, no attempts left, or Piggy asks for a longer wait than we allow.
 * A Retry-After that is not RFC 9110's form gets the default back-off.
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
