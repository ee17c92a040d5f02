import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Every way a Piggy call can fail, as a stable `reason` a workflow can branch on, a short message
 * and a description that tells the builder what to do. Piggy's documented error codes carry their
 * `piggyCode`; the rest are HTTP statuses and transport failures.
 */
export const PIGGY_ERRORS = {
	invalid_input: {
		piggyCode: 1003,
		message: 'Piggy rejected the input as invalid',
		description:
			'Piggy answered "Invalid input." (code 1003). Check that every field is filled in and well formed: Email must be an address like name@example.com, Code the code from the email.',
	},
	contact_not_found: {
		piggyCode: 55031,
		message: 'Contact not found in Piggy',
		description:
			'No Contact in this Piggy account matches the email address or Contact UUID. Check the value for typos, or create the Contact in Piggy first.',
	},
	contacts_portal_not_set_up: {
		piggyCode: 55032,
		message: 'The Contacts Portal is not set up in Piggy',
		description:
			'Piggy answered "User app not found." (code 55032): verification emails and login codes need the Contacts Portal. Set it up in the Piggy Business Dashboard, then run the node again.',
	},
	invalid_login_code: {
		piggyCode: 13010,
		message: 'The login code is wrong or already used',
		description:
			'Piggy answered "Passcode not found." (code 13010): the code does not match the latest one sent to this email address, or it was used before. Ask the Contact to check the code, or send a new verification email.',
	},
	account_secret_invalid: {
		piggyCode: 1053,
		message: 'Piggy could not create an auth token: the account secret is invalid',
		description:
			'Piggy answered "Account secret is invalid" (code 1053). This is a setting of your Piggy account, not of this workflow: check the Contacts Portal settings in the Business Dashboard, or ask Piggy support.',
	},
	token_expired: {
		piggyCode: 3000,
		message: 'Piggy says the token is expired',
		description:
			'Piggy answered "The token is expired" (code 3000). Personal Access Tokens expire on the date chosen when they were made: create a new one in the Business Dashboard (Apps → Integrations → Personal Access Tokens) and update the Piggy API credential.',
	},
	unauthorized: {
		message: 'Piggy rejected the Personal Access Token',
		description:
			'Piggy answered HTTP 401: the token in the Piggy API credential is wrong, revoked or expired. Create a new Personal Access Token in the Business Dashboard (Apps → Integrations → Personal Access Tokens) and paste it into the credential.',
	},
	forbidden: {
		message: 'Piggy refused access to this request',
		description:
			'Piggy answered HTTP 403: the token is valid but may not use the Contact Verification API. Check the token’s account and permissions in the Business Dashboard.',
	},
	api_not_found: {
		message: 'The Piggy API was not found at the Base URL',
		description:
			'The server answered HTTP 404 for a Piggy API path. Check the Base URL in the Piggy API credential: it should be https://api.piggy.eu (or https://api.leat.com), without /api/v3 at the end.',
	},
	rate_limited: {
		message: 'Piggy is rate limiting requests',
		description:
			'Piggy answered HTTP 429 (too many requests), also after the node’s retries. Wait a moment and run the node again, or send fewer items at a time.',
	},
	maintenance: {
		message: 'Piggy is in maintenance mode',
		description:
			'Piggy answered HTTP 503, also after the node’s retries: the API is temporarily down for maintenance. Try again in a few minutes; the request was not processed.',
	},
	server_error: {
		message: 'Piggy had an internal error',
		description:
			'Piggy answered with a server error (HTTP 5xx). Try again later; if it keeps happening, contact Piggy support.',
	},
	http_error: {
		message: 'Piggy answered with an unexpected HTTP status',
		description:
			'The request did not succeed and Piggy gave no documented error code. Check the Base URL in the Piggy API credential and the node’s inputs.',
	},
	unknown_api_error: {
		message: 'Piggy returned an error',
		description:
			'Piggy answered with an error code this node does not know yet; its own message is shown above. Check the node’s inputs, and the Piggy documentation for the code.',
	},
	invalid_response: {
		message: 'Piggy sent a response this node cannot read',
		description:
			'The answer was not the JSON that Piggy’s API documents (no "data" field). Check that the Base URL in the Piggy API credential points to the Piggy API and not to a website or proxy.',
	},
	timeout: {
		message: 'Piggy did not answer in time',
		description:
			'The request timed out and was not retried, because Piggy may have handled it anyway (a verification email may already be on its way). Try again later, or raise Options → Timeout.',
	},
	connection_failed: {
		message: 'Could not connect to Piggy',
		description:
			'The connection to the Base URL failed (refused, reset or unknown host). Check the Base URL in the Piggy API credential and that this n8n instance can reach it.',
	},
	tls_failed: {
		message: 'The secure connection to Piggy failed',
		description:
			'The server’s TLS certificate could not be verified. Check that the Base URL in the Piggy API credential starts with https://api.piggy.eu (or your Leat host) and that no proxy intercepts the connection.',
	},
	request_failed: {
		message: 'The request to Piggy failed',
		description:
			'Something went wrong while calling Piggy. Try again; if it keeps happening, report it.',
	},
} as const satisfies Record<string, { piggyCode?: number; message: string; description: string }>;

export type PiggyErrorReason = keyof typeof PIGGY_ERRORS;

const REASON_BY_PIGGY_CODE = new Map<number, PiggyErrorReason>(
	Object.entries(PIGGY_ERRORS).flatMap(([reason, entry]) =>
		'piggyCode' in entry ? [[entry.piggyCode, reason as PiggyErrorReason]] : [],
	),
);

/** A failed call, reduced to what the builder needs to know; never holds request headers. */
export interface PiggyFailure {
	reason: PiggyErrorReason;
	message: string;
	description: string;
	piggyCode: number | null;
	httpCode: number | null;
}

function failure(
	reason: PiggyErrorReason,
	httpCode: number | null,
	overrides: Partial<PiggyFailure> = {},
): PiggyFailure {
	const entry = PIGGY_ERRORS[reason];
	return {
		reason,
		message: entry.message,
		description: entry.description,
		piggyCode: null,
		httpCode,
		...overrides,
	};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface PiggyErrorBody {
	code: number | null;
	message: string | null;
	/** Laravel's per-field validation messages, as "field: message" lines. */
	fieldErrors: string[];
}

function readFieldErrors(errors: unknown): string[] {
	if (!isRecord(errors)) return [];
	return Object.entries(errors).flatMap(([field, messages]) =>
		(Array.isArray(messages) ? messages : [messages])
			.filter((message): message is string => typeof message === 'string')
			.map((message) => `${field}: ${message}`),
	);
}

/** Piggy's error body is `{ message, code, status_code, errors? }`; anything else yields no code. */
function readPiggyErrorBody(body: unknown): PiggyErrorBody {
	if (!isRecord(body)) return { code: null, message: null, fieldErrors: [] };
	const code =
		typeof body.code === 'number' || typeof body.code === 'string' ? Number(body.code) : NaN;
	return {
		code: Number.isInteger(code) && body.code !== '' ? code : null,
		message: typeof body.message === 'string' && body.message.trim() ? body.message.trim() : null,
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
	if (retryAfter && (found.reason === 'rate_limited' || found.reason === 'maintenance')) {
		found.description += ` Piggy asked to wait before trying again (Retry-After: ${retryAfter}).`;
	}
	return found;
}

function describeStatus(statusCode: number, body: unknown): PiggyFailure {
	const { code, message, fieldErrors } = readPiggyErrorBody(body);
	if (code !== null) {
		const reason = REASON_BY_PIGGY_CODE.get(code);
		if (reason) {
			const found = failure(reason, statusCode, { piggyCode: code });
			if (fieldErrors.length) found.description += ` Piggy said: ${fieldErrors.join('; ')}`;
			return found;
		}
		if (statusCode < 500 && statusCode !== 401 && statusCode !== 429) {
			return failure('unknown_api_error', statusCode, {
				piggyCode: code,
				message: message ?? `Piggy returned error code ${code}`,
			});
		}
	}
	if (statusCode === 401) return failure('unauthorized', statusCode);
	if (statusCode === 403) return failure('forbidden', statusCode);
	if (statusCode === 404) return failure('api_not_found', statusCode);
	if (statusCode === 429) return failure('rate_limited', statusCode);
	if (statusCode === 503) return failure('maintenance', statusCode);
	if (statusCode >= 500) return failure('server_error', statusCode);
	return failure('http_error', statusCode, {
		message: `Piggy answered HTTP ${statusCode}${message ? `: ${message}` : ''}`,
	});
}

/** A 2xx answer without the documented `data` envelope. */
export function describeInvalidResponse(statusCode: number): PiggyFailure {
	return failure('invalid_response', statusCode);
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
	const codes: string[] = [];
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (isRecord(current) && !seen.has(current)) {
		seen.add(current);
		for (const code of [current.code, current.httpCode]) {
			if (typeof code === 'string' && !/^\d+$/.test(code)) codes.push(code);
		}
		current = current.cause;
	}
	return codes;
}

/** Maps a request that got no HTTP answer at all. */
export function describeTransportFailure(error: unknown, timeoutMs: number): PiggyFailure {
	const codes = errorCodes(error);
	if (codes.some((code) => TIMEOUT_CODES.has(code))) {
		return failure('timeout', null, { message: `Piggy did not answer within ${timeoutMs} ms` });
	}
	if (codes.some((code) => CONNECTION_CODES.has(code))) return failure('connection_failed', null);
	if (
		codes.some(
			(code) => code === 'EPROTO' || code.startsWith('ERR_TLS') || /CERT|SSL|SIGNATURE/.test(code),
		)
	) {
		return failure('tls_failed', null);
	}
	return failure('request_failed', null);
}

/** Builds the error n8n shows; its response body is our own summary, never the raw HTTP error. */
export function piggyApiError(
	node: INode,
	piggyFailure: PiggyFailure,
	itemIndex: number,
	details?: IDataObject,
): NodeApiError {
	const summary: JsonObject = {
		message: piggyFailure.message,
		reason: piggyFailure.reason,
		code: piggyFailure.piggyCode,
	};
	const error = new NodeApiError(node, summary, {
		message: piggyFailure.message,
		description: piggyFailure.description,
		httpCode: piggyFailure.httpCode === null ? undefined : String(piggyFailure.httpCode),
		itemIndex,
	});
	error.context.reason = piggyFailure.reason;
	error.context.piggyCode = piggyFailure.piggyCode;
	if (details) error.context.details = details;
	return error;
}
