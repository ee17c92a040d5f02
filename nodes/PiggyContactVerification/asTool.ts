import type { IDataObject, INode } from 'n8n-workflow';

import type { Operation } from './actions/operation';
import type { PiggyFailure } from './failures';
import { FAILURES, failure } from './failures';
import type { ItemFailure } from './itemEngine';

// Under an AI Agent the node answers a language model, and through it a stranger in a chat. So the
// model reads only the node's own words: an operation's answer, or a failure's message and the
// next step from the table in failures.ts. Never Piggy's own words (a server can answer anything,
// including instructions to the model), `details`, a cause or a token.

/** n8n runs a node under an AI Agent as its tool variant, whose type it names "<type>Tool". */
export function runsAsTool(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** How one operation's calls read to a model. */
export interface ModelView {
	/** Set when the operation is not for models: every item fails with it, before any request. */
	refusal?: PiggyFailure;
	answer(input: unknown, output: IDataObject): IDataObject;
	/** A failed call read as the operation says: as a success's answer, or as another reason. */
	readFailure(input: unknown, failed: ItemFailure): { answer: IDataObject } | ItemFailure;
	/** Any failure in the words a model reads; the item engine applies it to every failure. */
	told(failed: ItemFailure): ItemFailure;
}

/**
 * The failure as a model reads it: the table's message (for a parameter, the message naming the
 * field, which never quotes the value) and the next step; nothing else.
 */
function forModel({ reason, message, piggyCode, httpCode }: PiggyFailure): PiggyFailure {
	const said = reason === 'invalid_parameter' ? message : FAILURES[reason].message;
	return {
		reason,
		message: `${said}. ${FAILURES[reason].nextStep}`,
		description: null,
		piggyCode,
		httpCode,
	};
}

const told = ({ itemIndex, failure: failed }: ItemFailure): ItemFailure => ({
	itemIndex,
	failure: forModel(failed),
});

export function modelView(operation: Operation): ModelView {
	const answers = operation.asTool;
	if (answers === undefined) {
		// Every item is refused before its call: there is never an answer or a call to read.
		return {
			refusal: failure('not_usable_as_tool'),
			answer: () => ({}),
			readFailure: (_, failed) => failed,
			told,
		};
	}
	return {
		answer: (input, output) => answers.answer(input, output),
		readFailure(input, failed) {
			const readAs = answers.readAs?.[failed.failure.reason];
			if (readAs === 'success') return { answer: answers.answer(input, {}) };
			return readAs === undefined ? failed : { ...failed, failure: failure(readAs) };
		},
		told,
	};
}
