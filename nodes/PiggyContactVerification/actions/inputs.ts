import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PiggyOperationName } from './operationNames';

/** Reason on error items for input the node refused before calling Piggy. */
export const INVALID_PARAMETER_REASON = 'invalid_parameter';

// Deliberately loose: Piggy is the judge of real addresses; this catches blanks, names and typos
// like "jane.example.com" before they cost a request.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface FieldLabel {
	name: string;
	displayName: string;
}

export const EMAIL_FIELD: FieldLabel = { name: 'email', displayName: 'Email' };

export function emailProperty(operation: PiggyOperationName, description: string): INodeProperties {
	return {
		...EMAIL_FIELD,
		type: 'string',
		placeholder: 'name@example.com',
		default: '',
		required: true,
		description,
		displayOptions: { show: { operation: [operation] } },
	};
}

function invalidInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	error.context.reason = INVALID_PARAMETER_REASON;
	return error;
}

/** A required text parameter, trimmed; numbers (e.g. a code mapped from a form) become text. */
export function readRequiredText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldLabel,
): string {
	const raw = ctx.getNodeParameter(field.name, itemIndex, '');
	if (raw !== null && raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') {
		throw invalidInput(
			ctx,
			itemIndex,
			`${field.displayName} must be text on item ${itemIndex}, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
			`Map ${field.displayName} to a single text value, for example {{ $json.${field.name} }}.`,
		);
	}
	const value = raw === null || raw === undefined ? '' : String(raw).trim();
	if (value === '') {
		throw invalidInput(
			ctx,
			itemIndex,
			`${field.displayName} is empty on item ${itemIndex}`,
			`The ${field.displayName} parameter needs a value for every item. If you map it with an expression, check that the incoming item has that field.`,
		);
	}
	return value;
}

export function readEmail(ctx: IExecuteFunctions, itemIndex: number): string {
	const email = readRequiredText(ctx, itemIndex, EMAIL_FIELD);
	if (!EMAIL_PATTERN.test(email)) {
		throw invalidInput(
			ctx,
			itemIndex,
			`Email is not a valid email address on item ${itemIndex}`,
			`Got "${email}". Piggy needs an address like name@example.com.`,
		);
	}
	return email;
}
