import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PiggyCall } from '../transport/piggyApiRequest';
import * as piggy from '../transport/piggyClient';
import { EMAIL_FIELD, readEmail, textProperty } from './parameters';

export const option = {
	name: 'Send Verification Email',
	value: 'sendVerificationEmail',
	description: 'Email a login code to a Contact',
	action: 'Send verification email',
} as const;

export const properties: INodeProperties[] = [
	textProperty(option.value, EMAIL_FIELD, {
		placeholder: 'e.g. name@example.com',
		description:
			'Email address of the Contact who should receive the login code. The Contact must already exist in Piggy.',
	}),
];

export interface Input {
	email: string;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): Input {
	return { email: readEmail.call(this, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	{ email }: Input,
	call: PiggyCall,
): Promise<IDataObject> {
	const sent = await piggy.sendVerificationEmail.call(this, email, call);
	return { email, ...sent };
}
