import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { runsAsTool } from '../asTool';
import type { PiggyCall } from '../transport/piggyApiRequest';
import type { ToolAnswers } from './operation';
import * as piggy from '../transport/piggyClient';
import { EMAIL_FIELD, readEmail, readRequiredText, textProperty } from './parameters';

export const option = {
	name: 'Verify Login Code',
	value: 'verifyLoginCode',
	description:
		'Check the code a Contact typed in. Needs their email address and the code; returns the Contact’s UUID.',
	action: 'Verify a login code and get the contact UUID',
} as const;

/** Piggy's codes are 6 digits; the cap only keeps an abusive value from being sent. */
const CODE_FIELD = { name: 'code', displayName: 'Code', maxLength: 64 };

export const properties: INodeProperties[] = [
	textProperty(option.value, EMAIL_FIELD, {
		placeholder: 'e.g. name@example.com',
		description: 'Email address the code was sent to, the same one used in Send Verification Email',
	}),
	textProperty(option.value, CODE_FIELD, {
		placeholder: 'e.g. 123456',
		description: 'The login code the Contact received by email and typed into your form',
	}),
];

export const options: INodeProperties[] = [
	{
		displayName: 'Include Auth Token',
		name: 'includeAuthToken',
		type: 'boolean',
		default: false,
		// Never under an AI Agent: a token that logs the Contact in is not for a model.
		displayOptions: { show: { '/operation': [option.value], '@tool': [false] } },
		description:
			'Whether to also fetch the verified Contact’s auth token (for logging them into the Contacts Portal) in the same step, saving a Get Auth Token node',
	},
];

export interface Input {
	email: string;
	code: string;
	includeAuthToken: boolean;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): Input {
	return {
		email: readEmail.call(this, itemIndex),
		code: readRequiredText.call(this, itemIndex, CODE_FIELD),
		includeAuthToken:
			!runsAsTool(this.getNode()) &&
			this.getNodeParameter('options.includeAuthToken', itemIndex, false) === true,
	};
}

export async function execute(
	this: IExecuteFunctions,
	{ email, code, includeAuthToken }: Input,
	call: PiggyCall,
): Promise<IDataObject> {
	const uuid = await piggy.verifyLoginCode.call(this, email, code, call);
	if (!includeAuthToken) return { email, uuid };

	// The code is used up by now: a failure to get the token keeps the Contact's UUID, so the
	// workflow can still fetch the token later instead of asking the Contact for a new code.
	const authToken = await piggy.getAuthToken.call(this, uuid, {
		...call,
		failureDetails: { uuid },
	});
	return { email, uuid, auth_token: authToken };
}

export const asTool: ToolAnswers<Input> = {
	answer: ({ email }, { uuid }) => ({ verified: true, email, uuid }),
	// An unknown address reads as a wrong code: the model cannot tell them apart.
	readAs: { contact_not_found: 'invalid_login_code' },
};
