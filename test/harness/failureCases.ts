import type { IDataObject } from 'n8n-workflow';
import type nock from 'nock';

import type { OperationName } from '../../nodes/PiggyContactVerification/actions';
import type { WorkflowFixture } from './engine';
import { loadWorkflow } from './engine';
import {
	CONTACT_UUID,
	SEND_PATH,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	piggyErrorBody,
} from './piggyMock';

interface OperationSetup {
	fixture: WorkflowFixture;
	input: IDataObject;
	/** An interceptor for this operation's one request, to be given a reply. */
	intercept: () => nock.Interceptor;
}

export const OPERATIONS: Record<OperationName, () => OperationSetup> = {
	sendVerificationEmail: () => ({
		fixture: loadWorkflow('sendVerificationEmail'),
		input: { email: 'jane@example.com' },
		intercept: () => piggy().post(SEND_PATH, { email: 'jane@example.com' }),
	}),
	verifyLoginCode: () => ({
		fixture: loadWorkflow('verifyLoginCode'),
		input: { email: 'jane@example.com', code: '123456' },
		intercept: () => piggy().post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' }),
	}),
	getAuthToken: () => ({
		fixture: loadWorkflow('getAuthToken'),
		input: { uuid: CONTACT_UUID },
		intercept: () => piggy().get(authTokenPath(CONTACT_UUID)),
	}),
};

/** A Piggy answer that must end as one routed error, and what the builder must read. */
export interface ApiFailureCase {
	title: string;
	operation: OperationName;
	/** Piggy's answer to the operation's request. */
	reply: (request: nock.Interceptor) => nock.Scope;
	httpCode: number | null;
	reason: string;
	code: number | null;
	message: string;
	/** A phrase the description must hold: what to do next. */
	advice: string;
}

export const DOCUMENTED_CODE_CASES: ApiFailureCase[] = [
	{
		title: '1003 Invalid input',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(400, piggyErrorBody(1003, 'Invalid input.')),
		httpCode: 400,
		reason: 'invalid_input',
		code: 1003,
		message: 'Piggy rejected the input as invalid',
		advice: 'Email must be an address like name@example.com',
	},
	{
		title: '55031 Contact not found',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(400, piggyErrorBody(55031, 'Contact not found.')),
		httpCode: 400,
		reason: 'contact_not_found',
		code: 55031,
		message: 'Contact not found in Piggy',
		advice: 'create the Contact in Piggy first',
	},
	{
		title: '55032 User app not found (no Contacts Portal)',
		operation: 'verifyLoginCode',
		reply: (request) => request.reply(400, piggyErrorBody(55032, 'User app not found.')),
		httpCode: 400,
		reason: 'contacts_portal_not_set_up',
		code: 55032,
		message: 'The Contacts Portal is not set up in Piggy',
		advice: 'Set it up in the Piggy Business Dashboard',
	},
	{
		title: '13010 Passcode not found',
		operation: 'verifyLoginCode',
		reply: (request) => request.reply(400, piggyErrorBody(13010, 'Passcode not found.')),
		httpCode: 400,
		reason: 'invalid_login_code',
		code: 13010,
		message: 'The login code is wrong or already used',
		advice: 'send a new verification email',
	},
	{
		title: '1053 Account secret is invalid',
		operation: 'getAuthToken',
		reply: (request) => request.reply(400, piggyErrorBody(1053, 'Account secret is invalid')),
		httpCode: 400,
		reason: 'account_secret_invalid',
		code: 1053,
		message: 'Piggy could not create an auth token: the account secret is invalid',
		advice: 'check the Contacts Portal settings in the Business Dashboard',
	},
	{
		title: '3000 The token is expired',
		operation: 'getAuthToken',
		reply: (request) => request.reply(400, piggyErrorBody(3000, 'The token is expired')),
		httpCode: 400,
		reason: 'token_expired',
		code: 3000,
		message: 'Piggy says the token is expired',
		advice: 'create a new one in the Business Dashboard',
	},
];

export const HTTP_STATUS_CASES: ApiFailureCase[] = [
	{
		title: 'HTTP 401 token rejected',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(401, { message: 'Unauthenticated.' }),
		httpCode: 401,
		reason: 'unauthorized',
		code: null,
		message: 'Piggy rejected the Personal Access Token',
		advice: 'paste it into the credential',
	},
	{
		title: 'HTTP 503 maintenance (HTML body)',
		operation: 'verifyLoginCode',
		// Retried twice (immediately, as Retry-After says) before it fails.
		reply: (request) =>
			request.times(3).reply(503, '<!doctype html><title>Be right back.</title>', {
				'Content-Type': 'text/html',
				'Retry-After': '0',
			}),
		httpCode: 503,
		reason: 'maintenance',
		code: null,
		message: 'Piggy is in maintenance mode',
		advice: 'Try again in a few minutes',
	},
	{
		title: 'HTTP 429 with a Retry-After beyond the wait the node allows',
		operation: 'getAuthToken',
		reply: (request) =>
			request.reply(429, { message: 'Too Many Attempts.' }, { 'Retry-After': '120' }),
		httpCode: 429,
		reason: 'rate_limited',
		code: null,
		message: 'Piggy is rate limiting requests',
		advice: 'Piggy asked to wait before trying again (Retry-After: 120).',
	},
	{
		title: 'HTTP 429 without Retry-After, three times',
		operation: 'sendVerificationEmail',
		reply: (request) => request.times(3).reply(429, { message: 'Too Many Attempts.' }),
		httpCode: 429,
		reason: 'rate_limited',
		code: null,
		message: 'Piggy is rate limiting requests',
		advice: 'send fewer items at a time',
	},
	{
		title: 'HTTP 403 forbidden',
		operation: 'verifyLoginCode',
		reply: (request) => request.reply(403, { message: 'This action is unauthorized.' }),
		httpCode: 403,
		reason: 'forbidden',
		code: null,
		message: 'Piggy refused access to this request',
		advice: 'permissions in the Business Dashboard',
	},
	{
		title: 'HTTP 502 with an HTML body (not retried)',
		operation: 'sendVerificationEmail',
		reply: (request) =>
			request.reply(502, '<html><h1>502 Bad Gateway</h1></html>', { 'Content-Type': 'text/html' }),
		httpCode: 502,
		reason: 'server_error',
		code: null,
		message: 'Piggy could not handle the request',
		advice: 'Try again later',
	},
	{
		title: 'a 200 with an empty body',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(200, ''),
		httpCode: 200,
		reason: 'invalid_response',
		code: null,
		message: 'Piggy sent a response this node cannot read',
		advice: 'points to the Piggy API',
	},
	{
		title: 'HTTP 500 server error',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(500, { message: 'Server Error' }),
		httpCode: 500,
		reason: 'server_error',
		code: null,
		message: 'Piggy could not handle the request',
		advice: 'Try again later',
	},
	{
		title: 'HTTP 404 on the API path (wrong Base URL)',
		operation: 'sendVerificationEmail',
		reply: (request) => request.reply(404, '<html>Not Found</html>'),
		httpCode: 404,
		reason: 'api_not_found',
		code: null,
		message: 'The Piggy API was not found at the Base URL',
		advice: 'Check the Base URL in the Piggy API credential',
	},
	{
		title: 'an undocumented error code: the node’s own message, Piggy’s words in the description',
		operation: 'verifyLoginCode',
		reply: (request) => request.reply(400, piggyErrorBody(4242, 'Contact is blocked.')),
		httpCode: 400,
		reason: 'unknown_api_error',
		code: 4242,
		message: 'Piggy refused the request with code 4242',
		advice: 'the Piggy documentation for the code. Piggy said: Contact is blocked.',
	},
	{
		title: 'a 200 without the data envelope',
		operation: 'verifyLoginCode',
		reply: (request) => request.reply(200, '<html>Welcome to Piggy</html>'),
		httpCode: 200,
		reason: 'invalid_response',
		code: null,
		message: 'Piggy sent a response this node cannot read',
		advice: 'points to the Piggy API',
	},
];

export const TRANSPORT_FAILURE_CASES: ApiFailureCase[] = [
	{
		title: 'connection refused',
		operation: 'sendVerificationEmail',
		reply: (request) =>
			request.replyWithError(
				Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
			),
		httpCode: null,
		reason: 'connection_failed',
		code: null,
		message: 'Could not connect to Piggy',
		advice: 'Check the Base URL in the Piggy API credential',
	},
	{
		title: 'a request timeout',
		operation: 'getAuthToken',
		reply: (request) =>
			request.replyWithError(
				Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }),
			),
		httpCode: null,
		reason: 'timeout',
		code: null,
		message: 'Piggy did not answer within 30000 ms',
		advice: 'raise Options → Timeout',
	},
	{
		title: 'a host that does not resolve',
		operation: 'verifyLoginCode',
		reply: (request) =>
			request.replyWithError(
				Object.assign(new Error('getaddrinfo ENOTFOUND api.piggy.eu'), { code: 'ENOTFOUND' }),
			),
		httpCode: null,
		reason: 'connection_failed',
		code: null,
		message: 'Could not connect to Piggy',
		advice: 'Check the Base URL in the Piggy API credential',
	},
	{
		title: 'a TLS certificate failure',
		operation: 'getAuthToken',
		reply: (request) =>
			request.replyWithError(
				Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
			),
		httpCode: null,
		reason: 'tls_failed',
		code: null,
		message: 'The secure connection to Piggy could not be set up',
		advice: 'no proxy intercepts the connection',
	},
];

export const ALL_FAILURE_CASES = [
	...DOCUMENTED_CODE_CASES,
	...HTTP_STATUS_CASES,
	...TRANSPORT_FAILURE_CASES,
];

/** The `error` of an item refused by the input checks; the description is the field's advice. */
export function invalidParameterError(message: string, operation: OperationName) {
	return {
		message,
		description: expect.any(String),
		reason: 'invalid_parameter',
		code: null,
		httpCode: null,
		operation,
	};
}
