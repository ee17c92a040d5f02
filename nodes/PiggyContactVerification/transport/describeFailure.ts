import type { FailureReason, PiggyFailure } from '../failures';
import { FAILURES, causeChain, describeCause, failure } from '../failures';
import { isRecord } from './json';
import { parseRetryAfterMs } from './retry';
import { capText } from './serverText';

/** How much of Piggy's own words an error repeats: its message, and each field message. */
const MAX_PIGGY_MESSAGE = 500;
const MAX_FIELD_MESSAGE = 200;
const MAX_FIELD_MESSAGES = 10;

const REASON_BY_PIGGY_CODE = new Map<number, FailureReason>(
	Object.entries(FAILURES).flatMap(([reason, entry]) =>
		'piggyCode' in entry ? [[entry.piggyCode, reason as FailureReason]] : [],
	),
);

interface PiggyErrorBody {
	code: number | null;
	message: string | null;
	/** Laravel's per-field validation messages, as "field: message" lines. */
	fieldErrors: string[];
}

function readFieldErrors(errors: unknown): string[] {
	if (!isRecord(errors)) return [];
	return Object.entries(errors)
		.flatMap(([field, messages]) =>
			(Array.isArray(messages) ? messages : [messages])
				.filter((message): message is string => typeof message === 'string')
				.map((message) => capText(`${field}: ${message}`, MAX_FIELD_MESSAGE)),
		)
		.slice(0, MAX_FIELD_MESSAGES);
}

/** Piggy's error body is `{ message, code, status_code, errors? }`; anything else yields no code. */
function readPiggyErrorBody(body: unknown): PiggyErrorBody {
	if (!isRecord(body)) return { code: null, message: null, fieldErrors: [] };
	const code =
		typeof body.code === 'number' || typeof body.code === 'string' ? Number(body.code) : NaN;
	const message = typeof body.message === 'string' ? body.message.trim() : '';
	return {
		code: Number.isSafeInteger(code) && body.code !== '' ? code : null,
		message: message ? capText(message, MAX_PIGGY_MESSAGE) : null,
		fieldErrors: readFieldErrors(body.errors),
	};
}

/** Maps a Piggy answer whose HTTP status is not 2xx (after any retries). */
export function describeHttpFailure(
	statusCode: number,
	body: unknown,
	retryAfter?: string,
): PiggyFailure {
	const found = describeStatus(statusCode, body);
	const waitAsked = parseRetryAfterMs(retryAfter) !== undefined;
	if (waitAsked && (found.reason === 'rate_limited' || found.reason === 'maintenance')) {
		found.description += ` Piggy asked to wait before trying again (Retry-After: ${retryAfter?.trim()}).`;
	}
	return found;
}

function describeStatus(httpCode: number, body: unknown): PiggyFailure {
	const { code, message, fieldErrors } = readPiggyErrorBody(body);
	const piggySaid = (found: PiggyFailure, said: string[]): PiggyFailure =>
		said.length
			? { ...found, description: `${found.description} Piggy said: ${said.join('; ')}` }
			: found;
	if (code !== null) {
		const reason = REASON_BY_PIGGY_CODE.get(code);
		if (reason) return piggySaid(failure(reason, { httpCode, piggyCode: code }), fieldErrors);
		if (httpCode < 500 && httpCode !== 401 && httpCode !== 429) {
			const unknown = failure('unknown_api_error', {
				httpCode,
				piggyCode: code,
				message: `Piggy refused the request with code ${code}`,
			});
			return piggySaid(unknown, message ? [message] : []);
		}
	}
	if (httpCode === 401) return failure('unauthorized', { httpCode });
	if (httpCode === 403) return failure('forbidden', { httpCode });
	if (httpCode === 404) return failure('api_not_found', { httpCode });
	if (httpCode === 429) return failure('rate_limited', { httpCode });
	if (httpCode === 503) return failure('maintenance', { httpCode });
	if (httpCode >= 500) return failure('server_error', { httpCode });
	const unexpected = failure('http_error', {
		httpCode,
		message: `Piggy answered HTTP ${httpCode}`,
	});
	return piggySaid(unexpected, message ? [message] : []);
}

/**
 * A 3xx answer: the node follows no redirect. Names where it pointed (scheme and host, never the
 * path or query, which may carry anything).
 */
export function describeRedirect(
	httpCode: number,
	location: string | undefined,
	requestUrl: string,
): PiggyFailure {
	let target: string | undefined;
	try {
		target = location ? new URL(location, requestUrl).origin : undefined;
	} catch {
		target = undefined;
	}
	const to = target && target !== 'null' ? ` to ${capText(target, 300)}` : '';
	return failure('redirected', {
		httpCode,
		message: `The Base URL redirected the request${to} (HTTP ${httpCode})`,
	});
}

/** A 2xx answer without the documented `data` envelope. */
export function describeInvalidResponse(httpCode: number): PiggyFailure {
	return failure('invalid_response', { httpCode });
}

const TIMEOUT_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'UND_ERR_CONNECT_TIMEOUT',
]);
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPIPE',
]);
/**
 * The error codes along an error's `cause` chain. n8n 2.x wraps the HTTP client's error as the
 * cause; n8n 1.x drops the cause and puts the code (e.g. ECONNREFUSED) in `httpCode`.
 */
function errorCodes(error: unknown): string[] {
	return causeChain(error)
		.flatMap((link) => [link.code, link.httpCode])
		.filter((code): code is string => typeof code === 'string' && !/^\d+$/.test(code));
}

/** Maps a request that got no HTTP answer at all. */
export function describeTransportFailure(error: unknown, timeoutMs: number): PiggyFailure {
	const codes = errorCodes(error);
	if (codes.some((code) => TIMEOUT_CODES.has(code))) {
		return failure('timeout', { message: `Piggy did not answer within ${timeoutMs} ms` });
	}
	if (codes.some((code) => CONNECTION_CODES.has(code))) return failure('connection_failed');
	if (
		codes.some(
			(code) => code === 'EPROTO' || code.startsWith('ERR_TLS') || /CERT|SSL|SIGNATURE/.test(code),
		)
	) {
		return failure('tls_failed');
	}
	// Nothing we recognise: keep the error's class and code (never its message) to debug it by.
	return failure('request_failed', { cause: describeCause(error) });
}
