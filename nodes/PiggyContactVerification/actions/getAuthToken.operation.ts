import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PiggyCall } from '../transport/piggyApiRequest';
import * as piggy from '../transport/piggyClient';
import { MAX_CONTACT_UUID_LENGTH, contactUuidProblem } from '../transport/piggyClient';
import { invalidParameter, readRequiredText, textProperty } from './parameters';

export const option = {
	name: 'Get Auth Token',
	value: 'getAuthToken',
	description:
		'Get the token that logs a Contact into the Contacts Portal. Needs their Contact UUID; returns the token. Not available to an AI Agent.',
	action: 'Get a contact auth token by UUID',
} as const;

const CONTACT_UUID_FIELD = {
	name: 'contactUuid',
	displayName: 'Contact UUID',
	maxLength: MAX_CONTACT_UUID_LENGTH,
};

export const properties: INodeProperties[] = [
	textProperty(option.value, CONTACT_UUID_FIELD, {
		placeholder: 'e.g. 123abc-lmnopq-3242a-8899aa',
		description:
			'The Contact’s UUID in Piggy, for example the "uuid" that Verify Login Code returns',
	}),
];

export interface Input {
	contactUuid: string;
}

export function readInput(this: IExecuteFunctions, itemIndex: number): Input {
	const contactUuid = readRequiredText.call(this, itemIndex, CONTACT_UUID_FIELD);
	const problem = contactUuidProblem(contactUuid);
	if (problem) {
		invalidParameter(
			`Contact UUID ${problem} on item ${itemIndex}`,
			'Map the "uuid" that Verify Login Code returns, or a Contact UUID from Piggy.',
		);
	}
	return { contactUuid };
}

// No `asTool`: under an AI Agent the operation refuses every call, since its answer is the token.

export async function execute(
	this: IExecuteFunctions,
	{ contactUuid }: Input,
	call: PiggyCall,
): Promise<IDataObject> {
	const authToken = await piggy.getAuthToken.call(this, contactUuid, call);
	return { contact_uuid: contactUuid, auth_token: authToken };
}
