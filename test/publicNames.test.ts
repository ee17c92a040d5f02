import type { INodeProperties } from 'n8n-workflow';

import { PiggyApi } from '../credentials/PiggyApi.credentials';
import { FAILURES } from '../nodes/PiggyContactVerification/failures';
import { PiggyContactVerification } from '../nodes/PiggyContactVerification/PiggyContactVerification.node';
import codex from '../nodes/PiggyContactVerification/PiggyContactVerification.node.json';

// Saved workflows refer to these names; renaming any of them breaks every builder's workflow.

const { description } = new PiggyContactVerification();

test('the node keeps its public names', () => {
	expect(description).toMatchObject({
		name: 'piggyContactVerification',
		displayName: 'Piggy Contact Verification',
		version: 1,
		usableAsTool: true,
		credentials: [{ name: 'piggyApi', required: true }],
	});
	expect(description.subtitle).toContain('$parameter["operation"]');
	expect(codex.node).toBe('n8n-nodes-piggy.piggyContactVerification');
});

test('operations and their parameters keep their names', () => {
	const operation = description.properties.find((property) => property.name === 'operation');
	expect(operation).toMatchObject({ type: 'options', noDataExpression: true });
	expect(operation?.options?.map((option) => 'value' in option && option.value)).toEqual([
		'getAuthToken',
		'sendVerificationEmail',
		'verifyLoginCode',
	]);

	const parametersOf = (value: string) =>
		description.properties
			.filter((property) => property.displayOptions?.show?.operation?.includes(value))
			.map((property) => [property.name, property.required ?? false]);
	expect(parametersOf('sendVerificationEmail')).toEqual([['email', true]]);
	expect(parametersOf('verifyLoginCode')).toEqual([
		['email', true],
		['code', true],
	]);
	expect(parametersOf('getAuthToken')).toEqual([['contactUuid', true]]);

	const options = description.properties.find((property) => property.name === 'options');
	expect(options?.displayOptions).toBeUndefined();
	expect(
		options?.options?.map((option) => [option.name, 'default' in option && option.default]),
	).toEqual([
		['batching', { batch: {} }],
		['includeAuthToken', false],
		['timeout', 30000],
	]);
});

test('numeric options have ceilings in the editor too', () => {
	const options = description.properties.find((property) => property.name === 'options');
	const timeout = options?.options?.find((option) => option.name === 'timeout') as INodeProperties;
	const batching = options?.options?.find(
		(option) => option.name === 'batching',
	) as INodeProperties;
	const batch = (batching.options?.[0] as { values: INodeProperties[] }).values;
	expect([timeout, ...batch].map((option) => [option.name, option.typeOptions])).toEqual([
		['timeout', { minValue: 1, maxValue: 300_000 }],
		['batchSize', { minValue: 1, maxValue: 50 }],
		['batchInterval', { minValue: 0, maxValue: 600_000 }],
	]);
});

test('every parameter has a description a builder can read', () => {
	// Resource and Operation are the choices every n8n node starts with; their options explain them.
	const visible = description.properties.filter(
		(property) => property.name !== 'resource' && property.name !== 'operation',
	);
	for (const property of visible.filter((property) => property.type !== 'collection')) {
		expect([property.name, typeof property.description, typeof property.placeholder]).toEqual([
			property.name,
			'string',
			'string',
		]);
	}
});

test('the credential keeps its public names and defaults', () => {
	const credential = new PiggyApi();
	expect(credential.name).toBe('piggyApi');
	expect(credential.properties.map((property) => [property.name, property.default])).toEqual([
		['apiKey', ''],
		['baseUrl', 'https://api.piggy.eu'],
	]);
	expect(credential.properties[0].typeOptions).toEqual({ password: true });
});

// n8n's UX guidelines for verified community nodes (docs.n8n.io, "UX guidelines"), the checkable part.
describe('n8n’s UX guidelines', () => {
	const operation = description.properties.find((property) => property.name === 'operation');
	const operationOptions = (operation?.options ?? []) as Array<{
		name: string;
		action: string;
		description: string;
	}>;
	const allParameters = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) => [
			property,
			...allParameters(
				(property.options ?? []).flatMap((option) =>
					'values' in option ? option.values : 'type' in option ? [option as INodeProperties] : [],
				),
			),
		]);
	const parameters = allParameters(description.properties);

	// An action is also what an AI Agent's model reads of the tool: "<action> in Piggy Contact
	// Verification". It says what the operation needs, in sentence case like n8n's own actions.
	test('operation actions are sentence case and name what each operation needs', () => {
		expect(operationOptions.map((option) => option.action)).toEqual([
			'Get a contact auth token by UUID',
			'Send a login code to an email address',
			'Verify a login code and get the contact UUID',
		]);
	});

	test('names are Title Case; descriptions start with a capital and booleans with "Whether"', () => {
		const minorWords = new Set([
			'per',
			'of',
			'a',
			'an',
			'the',
			'to',
			'in',
			'on',
			'for',
			'and',
			'or',
		]);
		const names = [
			...operationOptions.map((option) => option.name),
			...parameters.map((parameter) => parameter.displayName),
		];
		for (const name of names) {
			const words = name.split(' ').filter((word, index) => index === 0 || !minorWords.has(word));
			expect([name, words.every((word) => /^[A-Z(]/.test(word))]).toEqual([name, true]);
		}
		for (const parameter of parameters.filter((parameter) => parameter.description)) {
			expect(parameter.description).toMatch(/^[A-Z]/);
			if (parameter.type === 'boolean') expect(parameter.description).toMatch(/^Whether /);
		}
	});

	test('text parameters show an example placeholder starting with "e.g."', () => {
		const textParameters = parameters.filter((parameter) => parameter.type === 'string');
		expect(textParameters.length).toBeGreaterThan(0);
		for (const parameter of textParameters) expect(parameter.placeholder).toMatch(/^e\.g\. /);
	});

	test('error messages and advice avoid "error", "problem", "failure" and "mistake"', () => {
		for (const [reason, { message, description: advice }] of Object.entries(FAILURES)) {
			expect([reason, `${message} ${advice}`]).not.toEqual([
				reason,
				expect.stringMatching(/\b(error|errors|problem|fail(ed|ure)?|mistake)\b/i),
			]);
		}
	});
});
