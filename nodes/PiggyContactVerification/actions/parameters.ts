import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { failWith, failure } from '../failures';

// Deliberately loose: Piggy is the judge of real addresses; this catches blanks, names and typos
// like "jane.example.com" before they cost a request.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A parameter's name, and the label the builder sees (used in error messages). */
export interface Field {
	name: string;
	displayName: string;
}

export const EMAIL_FIELD: Field = { name: 'email', displayName: 'Email' };

/** A required text parameter of one operation. */
export function textProperty(
	operation: string,
	field: Field,
	details: Pick<INodeProperties, 'placeholder' | 'description'>,
): INodeProperties {
	return {
		...field,
		type: 'string',
		default: '',
		required: true,
		...details,
		displayOptions: { show: { operation: [operation] } },
	};
}

function invalidParameter(message: string, description: string): never {
	return failWith(failure('invalid_parameter', { message, description }));
}

/** A required text parameter, trimmed; numbers (e.g. a code mapped from a form) become text. */
export function readRequiredText(this: IExecuteFunctions, itemIndex: number, field: Field): string {
	const raw = this.getNodeParameter(field.name, itemIndex, '');
	if (raw !== null && raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') {
		invalidParameter(
			`${field.displayName} must be text on item ${itemIndex}, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
			`Map ${field.displayName} to a single text value, for example {{ $json.${field.name} }}.`,
		);
	}
	const value = raw === null || raw === undefined ? '' : String(raw).trim();
	if (value === '') {
		invalidParameter(
			`${field.displayName} is empty on item ${itemIndex}`,
			`The ${field.displayName} parameter needs a value for every item. If you map it with an expression, check that the incoming item has that field.`,
		);
	}
	return value;
}

export function readEmail(this: IExecuteFunctions, itemIndex: number): string {
	const email = readRequiredText.call(this, itemIndex, EMAIL_FIELD);
	if (!EMAIL_PATTERN.test(email)) {
		invalidParameter(
			`Email is not a valid email address on item ${itemIndex}`,
			`Got "${email}". Piggy needs an address like name@example.com.`,
		);
	}
	return email;
}
