import nock from 'nock';

import { TEST_CREDENTIALS } from './engine';

export const PIGGY_URL = 'https://api.piggy.eu';
export const VERIFICATION_PATH = '/api/v3/oauth/clients/contact-verification';
export const SEND_PATH = `${VERIFICATION_PATH}/send`;
export const VERIFY_PATH = `${VERIFICATION_PATH}/verify`;
export const authTokenPath = (encodedUuid: string) =>
	`${VERIFICATION_PATH}/auth-token/${encodedUuid}`;

export const CONTACT_UUID = '123abc-lmnopq-3242a-8899aa';
export const AUTH_TOKEN = 'eyJpdiI6IkF1dGhUb2tlblNlY3JldCIsInZhbHVlIjoic2VjcmV0In0=';

/** Piggy's documented error body. */
export function piggyErrorBody(code: number, message: string) {
	return { message, code, status_code: 400 };
}

/**
 * A nock scope on Piggy that only matches requests carrying the credential's Bearer token and
 * `Accept: application/json`, so a request without them finds no interceptor and fails the test.
 */
export function piggy(baseUrl: string = PIGGY_URL) {
	return nock(baseUrl)
		.matchHeader('authorization', `Bearer ${TEST_CREDENTIALS.apiKey}`)
		.matchHeader('accept', 'application/json');
}

export const sendSuccess = (email: string) => ({
	data: {
		type: 'Success',
		message: `An email containing a link to verify your email has been sent to ${email}. Please check your spam / junk as well.`,
	},
	meta: [],
});
