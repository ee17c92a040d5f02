import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { PiggyCall } from '../transport/piggyApiRequest';

/**
 * What one operation module exports. The registry (`./index.ts`) builds the node's Operation
 * parameter from `option` and dispatches to `execute`; the item engine calls `readInput` for
 * every item before the first request, then `execute` per item.
 */
export interface Operation<Name extends string = string, Input = unknown> {
	/** Its entry in the Operation dropdown; `value` is saved in workflows, never rename it. */
	option: INodePropertyOptions & { value: Name };
	/** Its own parameters, shown only when it is selected. */
	properties: INodeProperties[];
	/** Entries it adds to the shared Options collection (shown only when it is selected). */
	options?: INodeProperties[];
	/** Reads and checks one item's parameters; throws a PiggyFailure naming the field and item. */
	readInput(this: IExecuteFunctions, itemIndex: number): Input;
	/** Calls Piggy for one item and shapes the item's output JSON. */
	execute(this: IExecuteFunctions, input: Input, call: PiggyCall): Promise<IDataObject>;
}
