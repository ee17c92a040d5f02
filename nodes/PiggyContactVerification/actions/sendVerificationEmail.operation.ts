import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PiggyCall } from '../transport/piggyApiRequest';
import type { ToolAnswers } from './operation';
import * as piggy from '../transport/piggyClient';
import { EMAIL_FIELD, readEmail, textProperty } from './parameters';

export const option = {
	name: 'Send Verification Email',
	value: 'sendVerificationEmail',
	description:
		'Email a one-time login code to a Contact. Needs their email address; returns Piggy’s confirmation.',
	action: 'Send a login code to an email address',
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

/** What a model is told, whether or not the address is a Contact's: the same words. */
export const CODE_ON_ITS_WAY =
	'If this address belongs to an account, a login code is on its way to it. Ask the visitor to type the code from that email; never say whether the address has an account.';

export const asTool: ToolAnswers<Input> = {
	answer: ({ email }) => ({ email, result: CODE_ON_ITS_WAY }),
	readAs: { contact_not_found: 'success' },
};
