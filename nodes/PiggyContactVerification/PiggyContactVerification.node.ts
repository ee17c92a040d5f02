import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isOperationName, nodeProperties, operationSubtitle, operations } from './actions';
import { failure } from './failures';
import { failEveryItem, runOperation } from './itemEngine';

/** The value n8n gives the "Custom API Call" option it adds (n8n's CUSTOM_API_CALL_KEY). */
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';
const CUSTOM_API_CALL_FAILURE = failure('invalid_parameter', {
	message: 'Custom API Call needs an HTTP Request node',
	description:
		'This node makes the Contact Verification calls only. For any other Piggy endpoint, add an HTTP Request node with Authentication: Predefined Credential Type, Credential Type: Piggy API (README, "Call other Piggy endpoints"). Nothing was sent.',
});

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
		// n8n adds "Custom API Call" to the Resource and Operation lists of every node whose
		// credential works in the HTTP Request node, and its editor then suggests that node; a run
		// of this one with it says the same. (With that Resource, Operation is not shown, so unset.)
		const resource = this.getNodeParameter('resource', 0, '');
		const name = this.getNodeParameter('operation', 0, '');
		if (resource === CUSTOM_API_CALL || name === CUSTOM_API_CALL) {
			return [failEveryItem.call(this, CUSTOM_API_CALL, CUSTOM_API_CALL_FAILURE)];
		}
		if (!isOperationName(name)) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${String(name)}" is not supported`,
			);
		}
		return [await runOperation.call(this, operations[name])];
	}
}
