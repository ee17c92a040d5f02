import type {
	ICredentialDataDecryptedObject,
	INodeType,
	INodeTypes,
	NodeParameterValueType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

// n8n resolves credential expressions (`={{$credentials.apiKey}}`) with the workflow expression
// engine and `$credentials` as an extra key; a one-node workflow gives it the context it needs.
const noNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

const expressionWorkflow = new Workflow({
	id: 'credential-expressions',
	nodes: [
		{
			id: 'holder',
			name: 'Credential',
			type: 'credential.holder',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	],
	connections: {},
	active: false,
	nodeTypes: noNodeTypes,
});

export function resolveCredentialExpression<T extends NodeParameterValueType>(
	value: T,
	credentials: ICredentialDataDecryptedObject,
): NodeParameterValueType {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return expressionWorkflow.expression.getParameterValue(
		value,
		null,
		0,
		0,
		'Credential',
		[],
		'internal',
		{ $credentials: credentials } as never,
		undefined,
		false,
		credentials,
	);
}
