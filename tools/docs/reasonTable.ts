import type { FailureReason } from '../../nodes/PiggyContactVerification/failures';
import { FAILURES } from '../../nodes/PiggyContactVerification/failures';

/**
 * The README's table of reasons. The reasons, their Piggy codes and their messages come from
 * failures.ts; this adds what the table says beyond it: when each reason happens (where it has no
 * Piggy code), what to do, and an example for the messages the node builds when it fails. A
 * reason added to failures.ts is a compile error here until it has a row.
 */

interface Row {
	/** When it happens; rows with a Piggy code show the code instead. */
	when?: string;
	/** The message as the node builds it at run time, where it is not the one in failures.ts. */
	message?: string;
	whatToDo: string;
}

// In the order a builder meets them: Piggy's codes, HTTP statuses, the connection, the node.
const ROWS: Record<FailureReason, Row> = {
	invalid_input: { whatToDo: 'Fill in every field; Email like name@example.com' },
	contact_not_found: { whatToDo: 'Check the email or UUID, or create the Contact first' },
	contacts_portal_not_set_up: {
		whatToDo: 'Set up the Contacts Portal in the Business Dashboard',
	},
	invalid_login_code: { whatToDo: 'Ask the Contact to check the code, or send a new email' },
	account_secret_invalid: {
		whatToDo: 'Check the Contacts Portal settings, or ask Piggy support',
	},
	token_expired: { whatToDo: 'Create a new Personal Access Token and update the credential' },
	unknown_api_error: {
		when: 'other code',
		message: "Piggy refused the request with code N (Piggy's own words end the description)",
		whatToDo: "Check the inputs and Piggy's documentation",
	},
	unauthorized: {
		when: 'HTTP 401',
		whatToDo: 'Create a new token and paste it into the credential',
	},
	forbidden: { when: 'HTTP 403', whatToDo: "Check the token's account and permissions" },
	api_not_found: {
		when: 'HTTP 404',
		whatToDo: 'Fix the Base URL: https://api.piggy.eu or https://api.leat.com',
	},
	rate_limited: { when: 'HTTP 429', whatToDo: 'Wait, or send fewer items at a time' },
	maintenance: { when: 'HTTP 503', whatToDo: 'Try again in a few minutes' },
	server_error: { when: 'other HTTP 5xx', whatToDo: 'Try again later' },
	redirected: {
		when: 'HTTP 3xx',
		message: 'The Base URL redirected the request to https://other.host (HTTP 302)',
		whatToDo: 'Set the Base URL to where the API really is; the node never follows redirects',
	},
	http_error: {
		when: 'other HTTP status',
		message: "Piggy answered HTTP N (Piggy's own words end the description)",
		whatToDo: 'Check the Base URL and inputs',
	},
	invalid_response: {
		when: '2xx without `data`',
		whatToDo: 'Point the Base URL at the Piggy API',
	},
	timeout: {
		when: 'no answer within Options → Timeout',
		message: 'Piggy did not answer within N ms',
		whatToDo: 'Try again later (an email may still have been sent), or raise the Timeout',
	},
	connection_failed: {
		when: 'refused / unknown host',
		whatToDo: 'Check the Base URL and the network',
	},
	tls_failed: { when: 'TLS failure', whatToDo: 'Check the Base URL and any proxy' },
	request_failed: {
		when: 'anything else on the request',
		whatToDo: 'Try again; report it with `error.cause` if it persists',
	},
	invalid_base_url: {
		when: 'Base URL not https (http only for this machine), with a user name, query, fragment or `/api/v3`',
		message:
			'The Base URL in the Piggy API credential must start with https:// (names what is wrong)',
		whatToDo: 'Fix the Base URL; nothing was sent',
	},
	invalid_parameter: {
		when: 'a parameter fails the input check',
		message: 'names the field and item, e.g. Email is empty on item 2',
		whatToDo: 'Fill in or fix the parameter for that item',
	},
	not_usable_as_tool: {
		when: 'Get Auth Token as an AI Agent’s tool',
		whatToDo: 'Use Get Auth Token outside the agent',
	},
	unexpected_error: {
		when: 'anything else in the node (e.g. a failing expression)',
		message: 'the original message',
		whatToDo: "Check the parameter's expression",
	},
};

/** The Markdown table, one row per reason, then the one outcome that is not a reason. */
export function reasonTable(): string {
	const rows = (Object.entries(ROWS) as Array<[FailureReason, Row]>).map(([reason, row]) => {
		const entry: { piggyCode?: number; message: string } = FAILURES[reason];
		const when = entry.piggyCode === undefined ? row.when : String(entry.piggyCode);
		return [when, `\`${reason}\``, row.message ?? entry.message, row.whatToDo];
	});
	const cancelled = [
		'execution stopped',
		'(the run stops)',
		'The execution was cancelled: items from N on were not sent to Piggy',
		'',
	];
	return [
		'| Piggy code / status | reason | Message | What to do |',
		'| --- | --- | --- | --- |',
		...[...rows, cancelled].map(
			(cells) => `|${cells.map((cell) => ` ${cell} `.replace(/^ {2}$/, ' ')).join('|')}|`,
		),
	].join('\n');
}
