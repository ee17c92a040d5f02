import type { IDataObject } from 'n8n-workflow';
import type nock from 'nock';

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

type OperationName = 'sendVerificationEmail' | 'verifyLoginCode' | 'getAuthToken';

interface OperationSetup {
	fixture: WorkflowFixture;
	input: IDataObject;
	/** An interceptor for this operation's one request, to be given a reply. */
	intercept: () => nock.Interceptor;
}

export const OPERATIONS: Record<OperationName, () => OperationSetup> = {
	sendVerificationEmail: () => ({
		fixture: loadWorkflow('send-verification-email.json'),
		input: { email: 'jane@example.com' },
		intercept: () => piggy().post(SEND_PATH, { email: 'jane@example.com' }),
	}),
	verifyLoginCode: () => ({
		fixture: loadWorkflow('verify-login-code.json'),
		input: { email: 'jane@example.com', code: '123456' },
		intercept: () => piggy().post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' }),
	}),
	getAuthToken: () => ({
		fixture: loadWorkflow('get-auth-token.json'),
		input: { uuid: CONTACT_UUID },
		intercept: () => piggy().get(authTokenPath(CONTACT_UUID)),
	}),
};

/** A Piggy answer that must end as one routed error, and what the builder must read. */
export interface ApiFailureCase {
	title: string;
	operation: OperationName;
	status: number;
	body: unknown;
	headers?: Record<string, string>;
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
		status: 400,
		body: piggyErrorBody(1003, 'Invalid input.'),
		reason: 'invalid_input',
		code: 1003,
		message: 'Piggy rejected the input as invalid',
		advice: 'Email must be an address like name@example.com',
	},
	{
		title: '55031 Contact not found',
		operation: 'sendVerificationEmail',
		status: 400,
		body: piggyErrorBody(55031, 'Contact not found.'),
		reason: 'contact_not_found',
		code: 55031,
		message: 'Contact not found in Piggy',
		advice: 'create the Contact in Piggy first',
	},
	{
		title: '55032 User app not found (no Contacts Portal)',
		operation: 'verifyLoginCode',
		status: 400,
		body: piggyErrorBody(55032, 'User app not found.'),
		reason: 'contacts_portal_not_set_up',
		code: 55032,
		message: 'The Contacts Portal is not set up in Piggy',
		advice: 'Set it up in the Piggy Business Dashboard',
	},
	{
		title: '13010 Passcode not found',
		operation: 'verifyLoginCode',
		status: 400,
		body: piggyErrorBody(13010, 'Passcode not found.'),
		reason: 'invalid_login_code',
		code: 13010,
		message: 'The login code is wrong or already used',
		advice: 'send a new verification email',
	},
	{
		title: '1053 Account secret is invalid',
		operation: 'getAuthToken',
		status: 400,
		body: piggyErrorBody(1053, 'Account secret is invalid'),
		reason: 'account_secret_invalid',
		code: 1053,
		message: 'Piggy could not create an auth token: the account secret is invalid',
		advice: 'check the Contacts Portal settings in the Business Dashboard',
	},
	{
		title: '3000 The token is expired',
		operation: 'getAuthToken',
		status: 400,
		body: piggyErrorBody(3000, 'The token is expired'),
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
		status: 401,
		body: { message: 'Unauthenticated.' },
		reason: 'unauthorized',
		code: null,
		message: 'Piggy rejected the Personal Access Token',
		advice: 'paste it into the credential',
	},
	{
		title: 'HTTP 503 maintenance (HTML body)',
		operation: 'verifyLoginCode',
		status: 503,
		body: '<!doctype html><title>Be right back.</title>',
		headers: { 'Content-Type': 'text/html' },
		reason: 'maintenance',
		code: null,
		message: 'Piggy is in maintenance mode',
		advice: 'Try again in a few minutes',
	},
	{
		title: 'HTTP 429 rate limited',
		operation: 'getAuthToken',
		status: 429,
		body: { message: 'Too Many Attempts.' },
		headers: { 'Retry-After': '30' },
		reason: 'rate_limited',
		code: null,
		message: 'Piggy is rate limiting requests',
		advice: 'send fewer items at a time',
	},
	{
		title: 'HTTP 500 server error',
		operation: 'sendVerificationEmail',
		status: 500,
		body: { message: 'Server Error' },
		reason: 'server_error',
		code: null,
		message: 'Piggy had an internal error',
		advice: 'Try again later',
	},
	{
		title: 'HTTP 404 on the API path (wrong Base URL)',
		operation: 'sendVerificationEmail',
		status: 404,
		body: '<html>Not Found</html>',
		reason: 'api_not_found',
		code: null,
		message: 'The Piggy API was not found at the Base URL',
		advice: 'Check the Base URL in the Piggy API credential',
	},
	{
		title: 'an undocumented error code keeps Piggy’s message',
		operation: 'verifyLoginCode',
		status: 400,
		body: piggyErrorBody(4242, 'Contact is blocked.'),
		reason: 'unknown_api_error',
		code: 4242,
		message: 'Contact is blocked.',
		advice: 'the Piggy documentation for the code',
	},
	{
		title: 'a 200 without the data envelope',
		operation: 'verifyLoginCode',
		status: 200,
		body: '<html>Welcome to Piggy</html>',
		reason: 'invalid_response',
		code: null,
		message: 'Piggy sent a response this node cannot read',
		advice: 'points to the Piggy API',
	},
];

export const ALL_API_FAILURE_CASES = [...DOCUMENTED_CODE_CASES, ...HTTP_STATUS_CASES];
