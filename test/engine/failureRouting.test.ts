import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import type { ApiFailureCase } from '../harness/failureCases';
import { ALL_FAILURE_CASES, OPERATIONS } from '../harness/failureCases';
import { SEND_PATH, piggy, piggyErrorBody, sendSuccess } from '../harness/piggyMock';

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

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
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
				.map((item) => [item.json.email, errorOf(item).reason, item.pairedItem]),
		).toEqual([
			['b@example.com', 'contact_not_found', { item: 1 }],
			['d@example.com', 'contact_not_found', { item: 3 }],
		]);
		expect(result.output('Succeeded', 0)).toHaveLength(3);
		expect(result.output('Failed', 0)).toHaveLength(2);
	});

	test('stopping on error: the run fails on item 1 and no later item is sent', async () => {
		const scope = mockBatch();

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
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

describe('details Piggy adds to an error', () => {
	test('Laravel field messages on 1003 are added to the description', async () => {
		piggy()
			.post(SEND_PATH)
			.reply(400, {
				...piggyErrorBody(1003, 'Invalid input.'),
				errors: { email: ['The email must be a valid email address.'], locale: 'Unknown locale.' },
			});

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

		expect(result.output('Piggy', 1)[0].json.error).toMatchObject({
			reason: 'invalid_input',
			description: expect.stringMatching(
				/ Piggy said: email: The email must be a valid email address\.; locale: Unknown locale\.$/,
			),
		});
	});
});

describe('failures the reason alone does not explain keep their cause', () => {
	test('an unrecognised transport failure: request_failed with the error’s class and code, not its message', async () => {
		piggy()
			.post(SEND_PATH)
			.replyWithError(
				Object.assign(new Error('odd failure near Bearer pat-test-7f3c9a1e-secret'), {
					code: 'ERR_ODD_FAILURE',
				}),
			);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

		const [error] = result.output('Piggy', 1).map((item) => item.json.error);
		expect(error).toEqual({
			message: 'The request to Piggy did not complete',
			description: expect.stringContaining('report it with the cause this item shows'),
			reason: 'request_failed',
			code: null,
			httpCode: null,
			operation: 'sendVerificationEmail',
			cause: { name: expect.stringMatching(/Error$/), code: 'ERR_ODD_FAILURE' },
		});
		expect(JSON.stringify(result.run)).not.toContain('pat-test-7f3c9a1e-secret');
	});

	test('a failing expression: unexpected_error with the expression’s message and class', async () => {
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			parameters: { email: '={{ $("Missing Node").item.json.email }}' },
		});

		const [error] = result.output('Piggy', 1).map((item) => item.json.error);
		expect(error).toMatchObject({
			reason: 'unexpected_error',
			message: "Referenced node doesn't exist",
			code: null,
			httpCode: null,
			operation: 'sendVerificationEmail',
			cause: { name: 'ExpressionError' },
		});
	});
});
