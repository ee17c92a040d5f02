import type { IDataObject } from 'n8n-workflow';

interface FailureEntry {
	/** Piggy's documented error code for this reason, when it has one. */
	piggyCode?: number;
	message: string;
	description: string;
	/** What an AI Agent's model is told to do next, when the node runs as its tool (see asTool.ts). */
	nextStep: string;
}

// What a model is told to do next: the visitor in the chat can act on the first few reasons;
// the rest they can only wait out, or it is the builder's to fix, where retrying cannot help.
const TRY_LATER =
	'Tell the visitor that verification is unavailable right now and to try again later; do not call this tool again now.';
const SETUP_PROBLEM =
	'This is a setup problem the visitor cannot fix: tell them verification is unavailable right now; do not call this tool again.';

/**
 * Every way an item can fail, keyed by its `reason`: the public vocabulary builders branch on
 * (`{{ $json.error.reason }}`), so a key is never renamed. Each has a short message and a
 * description that tells the builder what to do, and the next step an AI Agent's model is told;
 * messages marked "runtime" are sharpened where the failure is known (the field and item, Piggy's
 * own message, the timeout).
 */
export const FAILURES = {
	invalid_input: {
		piggyCode: 1003,
		message: 'Piggy rejected the input as invalid',
		description:
			'Piggy answered "Invalid input." (code 1003). Check that every field is filled in and well formed: Email must be an address like name@example.com, Code the code from the email.',
		nextStep: 'Ask the visitor to check the email address and the code, then try again.',
	},
	contact_not_found: {
		piggyCode: 55031,
		message: 'Contact not found in Piggy',
		description:
			'No Contact in this Piggy account matches the email address or Contact UUID. Check the value for typos, or create the Contact in Piggy first.',
		nextStep:
			'Ask the visitor to check what they typed; never tell them whether an address has an account.',
	},
	contacts_portal_not_set_up: {
		piggyCode: 55032,
		message: 'The Contacts Portal is not set up in Piggy',
		description:
			'Piggy answered "User app not found." (code 55032): verification emails and login codes need the Contacts Portal. Set it up in the Piggy Business Dashboard, then run the node again.',
		nextStep: SETUP_PROBLEM,
	},
	invalid_login_code: {
		piggyCode: 13010,
		message: 'The login code is wrong or already used',
		description:
			'Piggy answered "Passcode not found." (code 13010): the code does not match the latest one sent to this email address, or it was used before. Ask the Contact to check the code, or send a new verification email.',
		nextStep: 'Ask the visitor to check the code, or offer to send a new one to the same address.',
	},
	account_secret_invalid: {
		piggyCode: 1053,
		message: 'Piggy could not create an auth token: the account secret is invalid',
		description:
			'Piggy answered "Account secret is invalid" (code 1053). This is a setting of your Piggy account, not of this workflow: check the Contacts Portal settings in the Business Dashboard, or ask Piggy support.',
		nextStep: SETUP_PROBLEM,
	},
	token_expired: {
		piggyCode: 3000,
		message: 'Piggy says the token is expired',
		description:
			'Piggy answered "The token is expired" (code 3000). Personal Access Tokens expire on the date chosen when they were made: create a new one in the Business Dashboard (Apps → Integrations → Personal Access Tokens) and update the Piggy API credential.',
		nextStep: SETUP_PROBLEM,
	},
	unauthorized: {
		message: 'Piggy rejected the Personal Access Token',
		description:
			'Piggy answered HTTP 401: the token in the Piggy API credential is wrong, revoked or expired. Create a new Personal Access Token in the Business Dashboard (Apps → Integrations → Personal Access Tokens) and paste it into the credential.',
		nextStep: SETUP_PROBLEM,
	},
	forbidden: {
		message: 'Piggy refused access to this request',
		description:
			'Piggy answered HTTP 403: the token is valid but may not use the Contact Verification API. Check the token’s account and permissions in the Business Dashboard.',
		nextStep: SETUP_PROBLEM,
	},
	api_not_found: {
		message: 'The Piggy API was not found at the Base URL',
		description:
			'The server answered HTTP 404 for a Piggy API path. Check the Base URL in the Piggy API credential: it should be https://api.piggy.eu (or https://api.leat.com), or the address of the proxy in front of Piggy.',
		nextStep: SETUP_PROBLEM,
	},
	rate_limited: {
		message: 'Piggy is rate limiting requests',
		description:
			'Piggy answered HTTP 429 (too many requests), also after the node’s retries. Wait a moment and run the node again, or send fewer items at a time.',
		nextStep: 'Tell the visitor to try again in a minute; do not call this tool again now.',
	},
	maintenance: {
		message: 'Piggy is in maintenance mode',
		description:
			'Piggy answered HTTP 503, also after the node’s retries: the API is temporarily down for maintenance. Try again in a few minutes; the request was not processed.',
		nextStep: 'Tell the visitor to try again in a few minutes; do not call this tool again now.',
	},
	server_error: {
		message: 'Piggy could not handle the request',
		description:
			'Piggy answered HTTP 5xx: something went wrong on Piggy’s side. Try again later; if it keeps happening, contact Piggy support.',
		nextStep: TRY_LATER,
	},
	// runtime: "Piggy answered HTTP <status>"; Piggy's own message, if any, ends the description
	http_error: {
		message: 'Piggy answered with an unexpected HTTP status',
		description:
			'The request did not succeed and Piggy gave no documented code. Check the Base URL in the Piggy API credential and the node’s inputs.',
		nextStep: TRY_LATER,
	},
	// runtime: "Piggy refused the request with code <code>"; Piggy's own message ends the description
	unknown_api_error: {
		message: 'Piggy refused the request',
		description:
			'Piggy answered with a code this node does not know yet. Check the node’s inputs, and the Piggy documentation for the code.',
		nextStep: TRY_LATER,
	},
	// runtime: names the host the Base URL redirected to
	redirected: {
		message: 'The Base URL redirected the request elsewhere',
		description:
			'The node never follows redirects, so the Personal Access Token is only ever sent to the Base URL. Set the Base URL in the Piggy API credential to where the Piggy API really is (https://api.piggy.eu, or https://api.leat.com), or fix the proxy that redirects.',
		nextStep: SETUP_PROBLEM,
	},
	// runtime: names what is wrong, e.g. "... must start with https://"
	invalid_base_url: {
		message: 'The Base URL in the Piggy API credential is not valid',
		description:
			'Nothing was sent. Open the Piggy API credential and set Base URL to https://api.piggy.eu (or https://api.leat.com; http:// only for a simulator on this machine, such as http://127.0.0.1:8787).',
		nextStep: SETUP_PROBLEM,
	},
	invalid_response: {
		message: 'Piggy sent a response this node cannot read',
		description:
			'The answer was not the JSON that Piggy’s API documents (no "data" field). Check that the Base URL in the Piggy API credential points to the Piggy API and not to a website or proxy.',
		nextStep: SETUP_PROBLEM,
	},
	// runtime: "Piggy did not answer within <timeout> ms"
	timeout: {
		message: 'Piggy did not answer in time',
		description:
			'The request timed out and was not retried, because Piggy may have handled it anyway (a verification email may already be on its way). Try again later, or raise Options → Timeout.',
		nextStep:
			'Piggy may have handled it anyway: ask the visitor to look for a code in their inbox before you send a new one.',
	},
	connection_failed: {
		message: 'Could not connect to Piggy',
		description:
			'The connection to the Base URL was refused or reset, or its host is unknown. Check the Base URL in the Piggy API credential and that this n8n instance can reach it.',
		nextStep: TRY_LATER,
	},
	tls_failed: {
		message: 'The secure connection to Piggy could not be set up',
		description:
			'The server’s TLS certificate could not be verified. Check that the Base URL in the Piggy API credential starts with https://api.piggy.eu (or your Leat host) and that no proxy intercepts the connection.',
		nextStep: SETUP_PROBLEM,
	},
	request_failed: {
		message: 'The request to Piggy did not complete',
		description:
			'Something went wrong while calling Piggy. Try again; if it keeps happening, report it with the cause this item shows.',
		nextStep: TRY_LATER,
	},
	// runtime: names the field and the item, e.g. "Email is empty on item 2"
	invalid_parameter: {
		message: 'A parameter is missing or not valid',
		description:
			'The node checks every item’s parameters before it calls Piggy. Fill in the parameter named in the message for every item.',
		nextStep: 'Ask the visitor for the value named in this message, then call the tool again.',
	},
	// runtime: the original error's message, e.g. from a failing expression
	// Get Auth Token under an AI Agent: a model never gets a token that logs a Contact in
	not_usable_as_tool: {
		message: 'This operation is not available to an AI Agent',
		description:
			'Get Auth Token answers a token that logs the Contact into the Contacts Portal, and the node never hands one to a model. Use Get Auth Token in the workflow outside the agent, for example after the chat has verified the Contact.',
		nextStep: 'Do not call this tool again.',
	},
	unexpected_error: {
		message: 'Something unexpected happened in the node',
		description: 'Check the parameters’ expressions; if it keeps happening, report it.',
		nextStep: TRY_LATER,
	},
} as const satisfies Record<string, FailureEntry>;

export type FailureReason = keyof typeof FAILURES;

/** An error's class and code, never its message: messages can repeat request headers. */
export interface FailureCause {
	name?: string;
	code?: string;
}

/** One item's failure, as the builder reads it on the error output. Never holds a secret. */
export interface PiggyFailure {
	reason: FailureReason;
	message: string;
	description: string | null;
	/** Piggy's error code, when Piggy sent one. */
	piggyCode: number | null;
	/** The HTTP status of Piggy's answer; null when there was none (bad input, no connection). */
	httpCode: number | null;
	/** Facts the workflow can still use, e.g. the verified Contact's uuid when the token failed. */
	details?: IDataObject;
	/** Where the reason alone cannot be debugged (request_failed, unexpected_error). */
	cause?: FailureCause;
}

/** A failure for `reason` with its table message and description, adjusted by `overrides`. */
export function failure(
	reason: FailureReason,
	overrides: Partial<Omit<PiggyFailure, 'reason'>> = {},
): PiggyFailure {
	const { message, description } = FAILURES[reason];
	return { reason, message, description, piggyCode: null, httpCode: null, ...overrides };
}

/**
 * What the transport and the input checks throw for one item. It never reaches n8n: the item
 * engine turns it into an error item, or into n8n's own NodeApiError/NodeOperationError.
 */
export class PiggyFailureError extends Error {
	constructor(readonly failure: PiggyFailure) {
		super(failure.message);
		this.name = 'PiggyFailureError';
	}
}

/** Throws `failed` for the item engine to handle. */
export function failWith(failed: PiggyFailure): never {
	throw new PiggyFailureError(failed);
}

const MAX_CAUSE_DEPTH = 8;

/** `error` and the errors along its `cause` chain, outermost first (at most 8). */
export function causeChain(error: unknown): Array<Record<string, unknown>> {
	const chain: Array<Record<string, unknown>> = [];
	let current = error;
	while (chain.length < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null) {
		const link = current as Record<string, unknown>;
		chain.push(link);
		current = link.cause;
	}
	return chain;
}

const SAFE_IDENTIFIER = /^[A-Za-z][\w.:-]{0,63}$/;
const safeIdentifier = (value: unknown) =>
	typeof value === 'string' && SAFE_IDENTIFIER.test(value) ? value : undefined;

/**
 * The class of the innermost error along `error`'s cause chain (a plain "Error" only when there is
 * nothing more specific) and the first code found on it (n8n 1.x puts the code in `httpCode`),
 * each kept only if it looks like an identifier.
 */
export function describeCause(error: unknown): FailureCause | undefined {
	const chain = causeChain(error);
	const names = chain.flatMap((link) => safeIdentifier(link.name) ?? []);
	const name = names.filter((found) => found !== 'Error').at(-1) ?? names.at(-1);
	const code = chain
		.flatMap((link) => [link.code, link.httpCode])
		.map(safeIdentifier)
		.find(Boolean);
	if (name === undefined && code === undefined) return undefined;
	return { ...(name !== undefined && { name }), ...(code !== undefined && { code }) };
}
