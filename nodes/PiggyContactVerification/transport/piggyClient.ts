import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isRecord } from './json';
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
			readData: (data) => nonEmptyText(isRecord(data) ? data.uuid : undefined),
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
			readData: (data) => nonEmptyText(isRecord(data) ? data.auth_token : data),
		},
		call,
	);
}

function readSentEmail(data: unknown): SentEmail | undefined {
	if (!isRecord(data)) return undefined;
	const { type = null, message = null } = data as Partial<SentEmail>;
	return { type, message };
}

function nonEmptyText(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
