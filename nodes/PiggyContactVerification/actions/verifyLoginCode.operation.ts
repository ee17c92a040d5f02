import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CONTACT_VERIFICATION_PATH, piggyApiRequest } from '../transport/piggyApiRequest';
import { isRecord } from '../transport/piggyErrors';
import { fetchAuthToken } from './getAuthToken.operation';
import { emailProperty, readEmail, readRequiredText } from './inputs';

const CODE_FIELD = { name: 'code', displayName: 'Code' };

export const description: INodeProperties[] = [
	emailProperty(
		'verifyLoginCode',
		'Email address the code was sent to, the same one used in Send Verification Email',
	),
	{
		...CODE_FIELD,
		type: 'string',
		placeholder: '123456',
		default: '',
		required: true,
		description: 'The login code the Contact received by email and typed into your form',
		displayOptions: { show: { operation: ['verifyLoginCode'] } },
	},
];

export interface VerifyLoginCodeInput {
	email: string;
	code: string;
	includeAuthToken: boolean;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): VerifyLoginCodeInput {
	return {
		email: readEmail(this, itemIndex),
		code: readRequiredText(this, itemIndex, CODE_FIELD),
		includeAuthToken: this.getNodeParameter('options.includeAuthToken', itemIndex, false) === true,
	};
}

function readVerifiedUuid(data: unknown): string | undefined {
	const uuid = isRecord(data) ? data.uuid : undefined;
	return typeof uuid === 'string' && uuid !== '' ? uuid : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	{ email, code, includeAuthToken }: VerifyLoginCodeInput,
	itemIndex: number,
): Promise<IDataObject> {
	const uuid = await piggyApiRequest(
		this,
		{
			method: 'POST',
			path: `${CONTACT_VERIFICATION_PATH}/verify`,
			body: { code, email },
			readData: readVerifiedUuid,
		},
		itemIndex,
	);
	if (!includeAuthToken) return { email, uuid };

	// The code is used up by now: a failure to get the token keeps the Contact's UUID, so the
	// workflow can still fetch the token later instead of asking the Contact for a new code.
	const authToken = await fetchAuthToken(this, uuid, itemIndex, { uuid });
	return { email, uuid, auth_token: authToken };
}
