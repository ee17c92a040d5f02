import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isOperationName, nodeProperties, operationSubtitle, operations } from './actions';
import { runOperation } from './itemEngine';

export class PiggyContactVerification implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piggy Contact Verification',
		name: 'piggyContactVerification',
		icon: { light: 'file:piggy.svg', dark: 'file:piggy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle,
		description:
			'Log Contacts in with a code sent by email, using the Piggy (Leat) Contact Verification API',
		defaults: { name: 'Piggy Contact Verification' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piggyApi', required: true }],
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNodeParameter('operation', 0);
		if (!isOperationName(name)) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${String(name)}" is not supported`,
			);
		}
		return [await runOperation.call(this, operations[name])];
	}
}
