import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IExecuteData,
	INode,
	INodeType,
	INodeTypes,
	IRunExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentialsHelper';
import { testAdditionalData } from './engine';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	/** What the editor shows under the credential, as n8n's credentials tester words it. */
	message: string;
	/** The HTTP status of the answer; null when there was none. */
	statusCode: number | null;
}

/**
 * What the credential's Test button does, the way n8n's credentials tester does it: a stand-in
 * node whose one parameter is routed to the credential's `test.request`, run by n8n-core's
 * RoutingNode with the credential (its `authenticate` included). Any failure fails the test.
 */
export async function testCredential(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const request = credentialType.test?.request;
	if (!request) throw new Error(`${credentialType.name} has no test request`);

	let statusCode: number | null = null;
	const testerNodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'test.credentialTester',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: {
						request,
						// Only observes: the status is what a test asserts on.
						output: {
							postReceive: [async (items, response) => ((statusCode = response.statusCode), items)],
						},
					},
				},
			],
		},
	};
	const node: INode = {
		id: 'credential-test',
		name: 'Temp-Node',
		type: testerNodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'credential', name: credentialType.displayName } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => testerNodeType,
		getByNameAndVersion: () => testerNodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = testAdditionalData(new TestCredentialsHelper(credentialType, credentials));
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const decrypted = {
		id: 'credential',
		name: credentialType.displayName,
		type: credentialType.name,
		data: credentials,
	};

	try {
		await new RoutingNode(context, testerNodeType, decrypted).runNode();
		return { status: 'OK', message: 'Connection successful!', statusCode };
	} catch (error) {
		const httpCode = error instanceof NodeApiError ? String(error.httpCode) : '';
		return {
			status: 'Error',
			message: (error as Error).message,
			statusCode: /^\d{3}$/.test(httpCode) ? Number(httpCode) : null,
		};
	}
}
