import type { INodeProperties } from 'n8n-workflow';

import * as getAuthToken from './getAuthToken.operation';
import type { Operation } from './operation';
import { optionsProperty } from './options';
import * as sendVerificationEmail from './sendVerificationEmail.operation';
import * as verifyLoginCode from './verifyLoginCode.operation';

// The one list of operations: adding one is a new `*.operation.ts` file and an entry here.
const registry = { getAuthToken, sendVerificationEmail, verifyLoginCode };

/** The `operation` values saved in workflows. */
export type OperationName = keyof typeof registry;

/** Each operation under its own `option.value`: a mismatch is a compile error. */
export const operations: { [Name in OperationName]: Operation<Name> } = registry;

const all: Operation[] = Object.values(operations);

export function isOperationName(value: unknown): value is OperationName {
	return typeof value === 'string' && Object.hasOwn(operations, value);
}

/** Selected when the node is added to a workflow. */
const DEFAULT_OPERATION: OperationName = 'sendVerificationEmail';

/**
 * The node's one resource. n8n describes an operation to an AI Agent's model by its `action` only
 * when the Operation parameter is shown for a resource; without one, every operation's tool read
 * the same. Workflows saved before it existed have no `resource`, and get this default.
 */
const RESOURCE = 'contactVerification';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Contact Verification', value: RESOURCE }],
	default: RESOURCE,
};

/** The Operation parameter; under an AI Agent (`@tool`), only the operations it may use. */
const operationProperty = (asTool: boolean): INodeProperties => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [RESOURCE], '@tool': [asTool] } },
	options: all
		.filter((operation) => !asTool || operation.asTool !== undefined)
		.map((operation) => operation.option)
		.sort((a, b) => a.name.localeCompare(b.name)),
	default: DEFAULT_OPERATION,
});

/** The node's parameters: Resource, Operation, each operation's own, then the shared Options. */
export const nodeProperties: INodeProperties[] = [
	resourceProperty,
	operationProperty(false),
	operationProperty(true),
	...all.flatMap((operation) => operation.properties),
	optionsProperty(all.flatMap((operation) => operation.options ?? [])),
];

/** The subtitle under the node on the canvas: the selected operation's name. */
export const operationSubtitle = `={{ ${JSON.stringify(
	Object.fromEntries(all.map(({ option }) => [option.value, option.name])),
)}[$parameter["operation"]] }}`;
