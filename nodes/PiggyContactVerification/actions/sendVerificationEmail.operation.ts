import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CONTACT_VERIFICATION_PATH, piggyApiRequest } from '../transport/piggyApiRequest';
import { isRecord } from '../transport/piggyErrors';
import { emailProperty, readEmail } from './inputs';

export const description: INodeProperties[] = [
	emailProperty(
		'sendVerificationEmail',
		'Email address of the Contact who should receive the login code. The Contact must already exist in Piggy.',
	),
];

export interface SendVerificationEmailInput {
	email: string;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): SendVerificationEmailInput {
	return { email: readEmail(this, itemIndex) };
}

function readSendAnswer(data: unknown): IDataObject | undefined {
	if (!isRecord(data)) return undefined;
	// Piggy writes `type` as "Success" or "success"; we pass it on as sent.
	return { type: data.type ?? null, message: data.message ?? null } as IDataObject;
}

export async function execute(
	this: IExecuteFunctions,
	{ email }: SendVerificationEmailInput,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await piggyApiRequest(
		this,
		{
			method: 'POST',
			path: `${CONTACT_VERIFICATION_PATH}/send`,
			body: { email },
			readData: readSendAnswer,
		},
		itemIndex,
	);
	return { email, ...answer };
}
