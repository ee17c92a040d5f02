import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { failWith, failure } from '../failures';
import { hasControlCharacter } from '../text';

// Parameters usually come from a public form or webhook: every check here runs in time linear
// in the value's length, and the length is checked first, so even a 1 MB value is refused at once.

/** A parameter's name, the label the builder sees (used in error messages) and its length cap. */
export interface Field {
	name: string;
	displayName: string;
	maxLength: number;
}

/** At most 254 characters: the longest address SMTP can deliver to. */
export const EMAIL_FIELD: Field = { name: 'email', displayName: 'Email', maxLength: 254 };

const WHITESPACE = /\s/;

/** A required text parameter of one operation. */
export function textProperty(
	operation: string,
	field: Field,
	details: Pick<INodeProperties, 'placeholder' | 'description'>,
): INodeProperties {
	const { name, displayName } = field;
	return {
		name,
		displayName,
		type: 'string',
		default: '',
		required: true,
		...details,
		displayOptions: { show: { operation: [operation] } },
	};
}

/** Fails the item: `message` names the field and the item; nothing is sent to Piggy. */
export function invalidParameter(message: string, description: string): never {
	return failWith(failure('invalid_parameter', { message, description }));
}

/**
 * A required text parameter, trimmed, within its length cap and free of control characters;
 * numbers (e.g. a code mapped from a form) become text.
 */
export function readRequiredText(this: IExecuteFunctions, itemIndex: number, field: Field): string {
	const { name, displayName, maxLength } = field;
	const raw = this.getNodeParameter(name, itemIndex, '');
	if (raw !== null && raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') {
		invalidParameter(
			`${displayName} must be text on item ${itemIndex}, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
			`Map '${displayName}' to a single text value, for example {{ $json.${name} }}.`,
		);
	}
	const value = raw === null || raw === undefined ? '' : String(raw).trim();
	if (value === '') {
		invalidParameter(
			`${displayName} is empty on item ${itemIndex}`,
			`The '${displayName}' parameter needs a value for every item. If you map it with an expression, check that the incoming item has that field.`,
		);
	}
	if (value.length > maxLength) {
		invalidParameter(
			`${displayName} is too long on item ${itemIndex} (${value.length} characters, at most ${maxLength})`,
			`Check what is mapped to '${displayName}': Piggy takes at most ${maxLength} characters here.`,
		);
	}
	if (hasControlCharacter(value)) {
		invalidParameter(
			`${displayName} contains control characters on item ${itemIndex}`,
			`Check what is mapped to '${displayName}': line breaks, tabs and other control characters are not allowed inside it.`,
		);
	}
	return value;
}

/**
 * Deliberately loose: Piggy is the judge of real addresses. One "@", no spaces, and a dot inside
 * the domain catches blanks, names and typos like "jane.example.com" before they cost a request.
 */
function looksLikeEmail(email: string): boolean {
	const at = email.indexOf('@');
	if (at < 1 || at !== email.lastIndexOf('@') || WHITESPACE.test(email)) return false;
	const domain = email.slice(at + 1);
	const dot = domain.indexOf('.', 1);
	return dot !== -1 && dot < domain.length - 1;
}

export function readEmail(this: IExecuteFunctions, itemIndex: number): string {
	const email = readRequiredText.call(this, itemIndex, EMAIL_FIELD);
	if (!looksLikeEmail(email)) {
		invalidParameter(
			`Email is not a valid email address on item ${itemIndex}`,
			`Got "${email}". Piggy needs an address like name@example.com.`,
		);
	}
	return email;
}
