import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { hasControlCharacter } from '../text';
import { isRecord } from './json';
import { capText } from './serverText';
import type { PiggyCall } from './piggyApiRequest';
import { piggyApiRequest } from './piggyApiRequest';

// The Contact Verification API's three calls, as Piggy documents them; each answers its `data`.

const CONTACT_VERIFICATION_PATH = '/api/v3/oauth/clients/contact-verification';

/** Piggy's answer to a send, passed on as sent (`type` is "Success" or "success"). */
export interface SentEmail extends IDataObject {
	type: IDataObject[string];
	message: IDataObject[string];
}

/** `POST .../send {email}`: Piggy emails the Contact a login code. */
export async function sendVerificationEmail(
	this: IExecuteFunctions,
	email: string,
	call: PiggyCall,
): Promise<SentEmail> {
	return await (piggyApiRequest<SentEmail>).call(
		this,
		{
			method: 'POST',
			path: `${CONTACT_VERIFICATION_PATH}/send`,
			body: { email },
			readData: readSentEmail,
		},
		call,
	);
}

/** `POST .../verify {code, email}`: the verified Contact's UUID. */
export async function verifyLoginCode(
	this: IExecuteFunctions,
	email: string,
	code: string,
	call: PiggyCall,
): Promise<string> {
	return await (piggyApiRequest<string>).call(
		this,
		{
			method: 'POST',
			path: `${CONTACT_VERIFICATION_PATH}/verify`,
			body: { code, email },
			// The UUID goes into the next request's path (Include Auth Token): checked like an input.
			readData: (data) => contactUuidOf(isRecord(data) ? data.uuid : undefined),
		},
		call,
	);
}

/** `GET .../auth-token/{uuid}`: the token that logs the Contact into the Contacts Portal. */
export async function getAuthToken(
	this: IExecuteFunctions,
	contactUuid: string,
	call: PiggyCall,
): Promise<string> {
	return await (piggyApiRequest<string>).call(
		this,
		{
			method: 'GET',
			// Piggy's Contact UUIDs are free-form: encode so the value stays one path segment.
			path: `${CONTACT_VERIFICATION_PATH}/auth-token/${encodeURIComponent(contactUuid)}`,
			// Piggy's docs answer `{"data":{"auth_token":"..."}}`; its SDK and Postman collection
			// show `{"data":"..."}`. Both are real, so both are read.
			readData: (data) => authTokenOf(isRecord(data) ? data.auth_token : data),
		},
		call,
	);
}

const MAX_SENT_TYPE = 100;
const MAX_SENT_MESSAGE = 1_000;
/** Piggy's auth tokens are an encrypted Laravel payload in base64: a few hundred characters. */
const AUTH_TOKEN = /^[\x21-\x7e]{1,8192}$/;

function readSentEmail(data: unknown): SentEmail | undefined {
	if (!isRecord(data)) return undefined;
	const shown = (value: unknown, max: number) =>
		typeof value === 'string' ? capText(value, max) : typeof value === 'number' ? value : null;
	return { type: shown(data.type, MAX_SENT_TYPE), message: shown(data.message, MAX_SENT_MESSAGE) };
}

/** Longer than any Piggy Contact UUID seen (26 characters); Piggy's UUIDs are free-form. */
export const MAX_CONTACT_UUID_LENGTH = 128;

/**
 * Why `uuid` cannot be put in a request path as a Contact UUID, if it cannot. Encoding keeps it
 * one path segment, but "." and ".." would still be read as steps to this or the parent path.
 */
export function contactUuidProblem(uuid: string): string | undefined {
	if (uuid === '.' || uuid === '..') return 'cannot be "." or ".."';
	if (uuid.length > MAX_CONTACT_UUID_LENGTH) return 'is too long';
	if (hasControlCharacter(uuid)) return 'contains control characters';
	return undefined;
}

function contactUuidOf(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' && !contactUuidProblem(value)
		? value
		: undefined;
}

function authTokenOf(value: unknown): string | undefined {
	return typeof value === 'string' && AUTH_TOKEN.test(value) ? value : undefined;
}
