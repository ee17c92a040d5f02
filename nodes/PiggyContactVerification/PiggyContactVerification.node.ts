import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as getAuthToken from './actions/getAuthToken.operation';
import { optionsProperty } from './actions/options';
import { router } from './actions/router';
import * as sendVerificationEmail from './actions/sendVerificationEmail.operation';
import * as verifyLoginCode from './actions/verifyLoginCode.operation';

export class PiggyContactVerification implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Piggy Contact Verification',
		name: 'piggyContactVerification',
		icon: { light: 'file:piggy.svg', dark: 'file:piggy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"sendVerificationEmail": "Send Verification Email", "verifyLoginCode": "Verify Login Code", "getAuthToken": "Get Auth Token"}[$parameter["operation"]] }}',
		description:
			'Log Contacts in with a code sent by email, using the Piggy (Leat) Contact Verification API',
		defaults: { name: 'Piggy Contact Verification' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'piggyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Get Auth Token',
						value: 'getAuthToken',
						description: 'Get a Contact’s token for logging into the Contacts Portal',
						action: 'Get a contact auth token',
					},
					{
						name: 'Send Verification Email',
						value: 'sendVerificationEmail',
						description: 'Email a login code to a Contact',
						action: 'Send a verification email',
					},
					{
						name: 'Verify Login Code',
						value: 'verifyLoginCode',
						description: 'Check the code a Contact typed in and get their UUID',
						action: 'Verify a login code',
					},
				],
				default: 'sendVerificationEmail',
			},
			...sendVerificationEmail.description,
			...verifyLoginCode.description,
			...getAuthToken.description,
			optionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
