import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * Stands in for the webhook or form trigger a builder would use: it emits the items in its
 * `items` parameter (a JSON array), each paired to the run's single start item.
 */
export class TestInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Input',
		name: 'test.input',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Test Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as object[];
		return [
			items.map((json) => ({ json: json as INodeExecutionData['json'], pairedItem: { item: 0 } })),
		];
	}
}

/** Where a branch ends, like a Respond to Webhook node: passes its items on unchanged. */
export class TestSink implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Sink',
		name: 'test.sink',
		group: ['output'],
		version: 1,
		description: 'Receives items',
		defaults: { name: 'Test Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}
