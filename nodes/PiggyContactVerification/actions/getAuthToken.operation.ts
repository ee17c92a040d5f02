import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CONTACT_VERIFICATION_PATH, piggyApiRequest } from '../transport/piggyApiRequest';
import { isRecord } from '../transport/piggyErrors';
import { readRequiredText } from './inputs';

const CONTACT_UUID_FIELD = { name: 'contactUuid', displayName: 'Contact UUID' };

export const description: INodeProperties[] = [
	{
		...CONTACT_UUID_FIELD,
		type: 'string',
		placeholder: '123abc-lmnopq-3242a-8899aa',
		default: '',
		required: true,
		description:
			'The Contact’s UUID in Piggy, for example the "uuid" that Verify Login Code returns',
		displayOptions: { show: { operation: ['getAuthToken'] } },
	},
];

export interface GetAuthTokenInput {
	contactUuid: string;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): GetAuthTokenInput {
	return { contactUuid: readRequiredText(this, itemIndex, CONTACT_UUID_FIELD) };
}

// Piggy's docs answer `{"data":{"auth_token":"..."}}`; its SDK and Postman collection show
// `{"data":"..."}`. Both are real, so both are read.
function readAuthToken(data: unknown): string | undefined {
	const token = isRecord(data) ? data.auth_token : data;
	return typeof token === 'string' && token !== '' ? token : undefined;
}

/** The Contacts Portal login token of one Contact; also used by Verify Login Code. */
export async function fetchAuthToken(
	ctx: IExecuteFunctions,
	contactUuid: string,
	itemIndex: number,
	errorDetails?: IDataObject,
): Promise<string> {
	return await piggyApiRequest(
		ctx,
		{
			method: 'GET',
			// Piggy's Contact UUIDs are free-form: encode so the value stays one path segment.
			path: `${CONTACT_VERIFICATION_PATH}/auth-token/${encodeURIComponent(contactUuid)}`,
			readData: readAuthToken,
			errorDetails,
		},
		itemIndex,
	);
}

export async function execute(
	this: IExecuteFunctions,
	{ contactUuid }: GetAuthTokenInput,
	itemIndex: number,
): Promise<IDataObject> {
	const authToken = await fetchAuthToken(this, contactUuid, itemIndex);
	return { contact_uuid: contactUuid, auth_token: authToken };
}
