import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { FailureReason } from '../failures';
import type { PiggyCall } from '../transport/piggyApiRequest';

/**
 * What one operation module exports. The registry (`./index.ts`) builds the node's Operation
 * parameter from `option` and dispatches to `execute`; the item engine calls `readInput` for
 * every item before the first request, then `execute` per item.
 */
export interface Operation<Name extends string = string, Input = unknown> {
	/**
	 * Its entry in the Operation dropdown; `value` is saved in workflows, never rename it. n8n
	 * describes the node to an AI Agent's model with `action`, as "<action> in Piggy Contact
	 * Verification": it says what the operation does and what it needs.
	 */
	option: INodePropertyOptions & { value: Name; action: string };
	/** Its own parameters, shown only when it is selected. */
	properties: INodeProperties[];
	/** Entries it adds to the shared Options collection (shown only when it is selected). */
	options?: INodeProperties[];
	/** Reads and checks one item's parameters; throws a PiggyFailure naming the field and item. */
	readInput(this: IExecuteFunctions, itemIndex: number): Input;
	/** Calls Piggy for one item and shapes the item's output JSON. */
	execute(this: IExecuteFunctions, input: Input, call: PiggyCall): Promise<IDataObject>;
	/** How it answers an AI Agent's model when the node is its tool; without it, it refuses to. */
	asTool?: ToolAnswers<Input>;
}

/** What a model reads of an operation's calls (see `../asTool.ts` for failures). */
export interface ToolAnswers<Input = unknown> {
	/** A call that succeeded: never Piggy's own words or a token. */
	answer(input: Input, output: IDataObject): IDataObject;
	/**
	 * Failures the model reads as another reason, or as a success (with an empty output), so
	 * that no answer tells the model, and so the visitor, which addresses are Contacts.
	 */
	readAs?: Partial<Record<FailureReason, FailureReason | 'success'>>;
}
