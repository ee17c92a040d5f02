import nock from 'nock';

import { loadWorkflow, runWorkflow } from './harness/engine';
import type { ApiFailureCase } from './harness/failureCases';
import { ALL_FAILURE_CASES, OPERATIONS } from './harness/failureCases';
import {
	SEND_PATH,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	piggyErrorBody,
	sendSuccess,
} from './harness/piggyMock';

function expectedErrorJson(failure: ApiFailureCase) {
	return {
		message: failure.message,
		description: expect.stringContaining(failure.advice),
		reason: failure.reason,
		code: failure.code,
		httpCode: failure.httpCode,
		operation: failure.operation,
	};
}

async function runFailure(
	failure: ApiFailureCase,
	onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput',
) {
	const { fixture, input, intercept } = OPERATIONS[failure.operation]();
	const scope = failure.reply(intercept());
	const result = await runWorkflow(fixture, { onError, items: [input] });
	expect(scope.isDone()).toBe(true);
	return { result, input };
}

describe.each(ALL_FAILURE_CASES)('$title', (failure) => {
	test('On Error "Continue (using error output)": the item leaves on the error output, paired', async () => {
		const { result, input } = await runFailure(failure, 'continueErrorOutput');

		expect(result.output('Piggy', 0)).toEqual([]);
		// n8n merges the paired input item's fields under the error.
		expect(result.output('Piggy', 1)).toEqual([
			{ json: { ...input, error: expectedErrorJson(failure) }, pairedItem: { item: 0 } },
		]);
		expect(result.ran('Succeeded')).toBe(false);
		expect(result.output('Failed', 0).map((item) => item.json.error)).toEqual([
			expectedErrorJson(failure),
		]);
	});

	test('On Error "Continue": the error item leaves on the main output', async () => {
		const { result } = await runFailure(failure, 'continueRegularOutput');

		expect(result.output('Piggy', 0)).toEqual([
			{ json: { error: expectedErrorJson(failure) }, pairedItem: { item: 0 } },
		]);
		expect(result.run.status).toBe('success');
	});

	test('On Error "Stop Workflow": the run fails with the friendly message on the item', async () => {
		const { result } = await runFailure(failure, 'stopWorkflow');

		const error = result.run.data.resultData.error;
		expect(result.run.status).toBe('error');
		expect(error?.message).toBe(failure.message);
		expect(error?.description).toContain(failure.advice);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			httpCode: failure.httpCode === null ? null : String(failure.httpCode),
			context: { itemIndex: 0, reason: failure.reason, piggyCode: failure.code },
		});
		expect(result.ran('Failed')).toBe(false);
		expect(result.ran('Succeeded')).toBe(false);
	});
});

describe('a batch of 5 where Piggy refuses 2', () => {
	const emails = [
		'a@example.com',
		'b@example.com',
		'c@example.com',
		'd@example.com',
		'e@example.com',
	];

	let sent: string[] = [];

	function mockBatch() {
		sent = [];
		const scope = piggy();
		for (const email of emails) {
			const failing = email === 'b@example.com' || email === 'd@example.com';
			scope.post(SEND_PATH, { email }).reply(() => {
				sent.push(email);
				return failing
					? [400, piggyErrorBody(55031, 'Contact not found.')]
					: [200, sendSuccess(email)];
			});
		}
		return scope;
	}

	test('with the error output: 3 on success, 2 on error, each paired to its input, in order', async () => {
		const scope = mockBatch();

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: emails.map((email) => ({ email })),
		});

		expect(scope.isDone()).toBe(true);
		expect(sent).toEqual(emails);
		expect(
			result.output('Piggy', 0).map((item) => [item.json.email, item.json.type, item.pairedItem]),
		).toEqual([
			['a@example.com', 'Success', { item: 0 }],
			['c@example.com', 'Success', { item: 2 }],
			['e@example.com', 'Success', { item: 4 }],
		]);
		expect(
			result
				.output('Piggy', 1)
				.map((item) => [
					item.json.email,
					(item.json.error as { reason: string }).reason,
					item.pairedItem,
				]),
		).toEqual([
			['b@example.com', 'contact_not_found', { item: 1 }],
			['d@example.com', 'contact_not_found', { item: 3 }],
		]);
		expect(result.output('Succeeded', 0)).toHaveLength(3);
		expect(result.output('Failed', 0)).toHaveLength(2);
	});

	test('stopping on error: the run fails on item 1 and no later item is sent', async () => {
		const scope = mockBatch();

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: emails.map((email) => ({ email })),
			onError: 'stopWorkflow',
		});

		expect(result.run.data.resultData.error).toMatchObject({
			message: 'Contact not found in Piggy',
			context: { itemIndex: 1 },
		});
		expect(sent).toEqual(['a@example.com', 'b@example.com']);
		expect(scope.isDone()).toBe(false);
	});
});

describe('an auth-token failure after a good verify ("Include Auth Token")', () => {
	test('is that item’s error, and keeps the verified Contact’s uuid in details', async () => {
		const { fixture, input } = OPERATIONS.verifyLoginCode();
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: 'contact-7' }, meta: {} })
			.get(authTokenPath('contact-7'))
			.reply(400, piggyErrorBody(1053, 'Account secret is invalid'));

		const result = await runWorkflow(fixture, {
			items: [input],
			parameters: { options: { includeAuthToken: true } },
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([]);
		expect(result.output('Piggy', 1)).toEqual([
			{
				json: {
					...input,
					error: {
						message: 'Piggy could not create an auth token: the account secret is invalid',
						description: expect.stringContaining('Account secret is invalid'),
						reason: 'account_secret_invalid',
						code: 1053,
						httpCode: 400,
						operation: 'verifyLoginCode',
						details: { uuid: 'contact-7' },
					},
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('stops the run with the uuid in the error’s context when not continuing', async () => {
		piggy()
			.post(VERIFY_PATH)
			.reply(200, { data: { uuid: 'contact-7' }, meta: {} })
			.get(authTokenPath('contact-7'))
			.reply(400, piggyErrorBody(3000, 'The token is expired'));

		const result = await runWorkflow(loadWorkflow('verify-login-code.json'), {
			onError: 'stopWorkflow',
			parameters: { options: { includeAuthToken: true } },
		});

		expect(result.run.data.resultData.error).toMatchObject({
			message: 'Piggy says the token is expired',
			context: { itemIndex: 0, reason: 'token_expired', details: { uuid: 'contact-7' } },
		});
	});
});

describe('bad input is refused before any request', () => {
	const invalid = (message: string, operation: string) => ({
		message,
		description: expect.any(String),
		reason: 'invalid_parameter',
		code: null,
		httpCode: null,
		operation,
	});

	test('stopping on error: an empty email on item 1 stops the run before item 0 is sent', async () => {
		const scope = piggy().post(SEND_PATH).reply(200, sendSuccess('jane@example.com'));

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: [{ email: 'jane@example.com' }, { email: '   ' }],
			onError: 'stopWorkflow',
		});

		expect(scope.isDone()).toBe(false);
		expect(result.run.data.resultData.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Email is empty on item 1',
			context: { itemIndex: 1, reason: 'invalid_parameter' },
		});
	});

	test('with the error output: bad items go to the error output, the good one is sent', async () => {
		const scope = piggy()
			.post(SEND_PATH, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'));

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: [{ email: 'jane.example.com' }, { email: 'jane@example.com' }, {}],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0).map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(result.output('Piggy', 1)).toEqual([
			{
				json: {
					email: 'jane.example.com',
					error: {
						...invalid('Email is not a valid email address on item 0', 'sendVerificationEmail'),
						description: 'Got "jane.example.com". Piggy needs an address like name@example.com.',
					},
				},
				pairedItem: { item: 0 },
			},
			{
				json: { error: invalid('Email is empty on item 2', 'sendVerificationEmail') },
				pairedItem: { item: 2 },
			},
		]);
	});

	test('an empty code names the Code field', async () => {
		const result = await runWorkflow(loadWorkflow('verify-login-code.json'), {
			items: [{ email: 'jane@example.com', code: ' ' }],
		});

		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			invalid('Code is empty on item 0', 'verifyLoginCode'),
		]);
	});

	test('a blank Contact UUID names the Contact UUID field', async () => {
		const result = await runWorkflow(loadWorkflow('get-auth-token.json'), {
			items: [{ uuid: '\t ' }],
			onError: 'stopWorkflow',
		});

		expect(result.run.data.resultData.error).toMatchObject({
			message: 'Contact UUID is empty on item 0',
			description:
				'The Contact UUID parameter needs a value for every item. If you map it with an expression, check that the incoming item has that field.',
		});
	});

	afterEach(() => {
		// Nothing but the mocked good items may have gone out.
		expect(nock.pendingMocks().every((mock) => mock.includes(SEND_PATH))).toBe(true);
	});
});

describe('details Piggy adds to an error', () => {
	test('Laravel field messages on 1003 are added to the description', async () => {
		piggy()
			.post(SEND_PATH)
			.reply(400, {
				...piggyErrorBody(1003, 'Invalid input.'),
				errors: { email: ['The email must be a valid email address.'], locale: 'Unknown locale.' },
			});

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'));

		expect(result.output('Piggy', 1)[0].json.error).toMatchObject({
			reason: 'invalid_input',
			description: expect.stringMatching(
				/ Piggy said: email: The email must be a valid email address\.; locale: Unknown locale\.$/,
			),
		});
	});

	test('a mapped value that is not text is refused, naming the field', async () => {
		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: [{ email: { address: 'jane@example.com' } }],
		});

		expect(result.output('Piggy', 1)[0].json.error).toMatchObject({
			message: 'Email must be text on item 0, not object',
			reason: 'invalid_parameter',
		});
	});
});
