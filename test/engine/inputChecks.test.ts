import nock from 'nock';

import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { invalidParameterError } from '../harness/failureCases';
import { SEND_PATH, piggy, sendSuccess } from '../harness/piggyMock';

// Every item's parameters are checked before the first request: a bad one is named (field and
// item) and goes to the error output, or stops the run before any email is sent. The checks
// only one operation has are beside that operation's tests.

describe('bad input is refused before any request', () => {
	test('stopping on error: an empty email on item 1 stops the run before item 0 is sent', async () => {
		const scope = piggy().post(SEND_PATH).reply(200, sendSuccess('jane@example.com'));

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
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

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: [{ email: 'jane.example.com' }, { email: 'jane@example.com' }, {}],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0).map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(result.output('Piggy', 1)).toEqual([
			{
				json: {
					email: 'jane.example.com',
					error: {
						...invalidParameterError(
							'Email is not a valid email address on item 0',
							'sendVerificationEmail',
						),
						description: 'Got "jane.example.com". Piggy needs an address like name@example.com.',
					},
				},
				pairedItem: { item: 0 },
			},
			{
				json: { error: invalidParameterError('Email is empty on item 2', 'sendVerificationEmail') },
				pairedItem: { item: 2 },
			},
		]);
	});

	test('a mapped value that is not text is refused, naming the field', async () => {
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: [{ email: { address: 'jane@example.com' } }],
		});

		expect(result.output('Piggy', 1)[0].json.error).toMatchObject({
			message: 'Email must be text on item 0, not object',
			reason: 'invalid_parameter',
		});
	});

	afterEach(() => {
		// Nothing but the mocked good items may have gone out.
		expect(nock.pendingMocks().every((mock) => mock.includes(SEND_PATH))).toBe(true);
	});
});

// A visitor can type anything into a login form: each check is linear in the value's length, the
// length is checked first, and nothing reaches Piggy unless every check passes.
describe('hostile values are refused at once', () => {
	const MEGABYTE = 1024 * 1024;

	async function refusal(email: string) {
		const startedAt = performance.now();
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), { items: [{ email }] });
		const elapsedMs = performance.now() - startedAt;
		const errors = result.output('Piggy', 1).map(errorOf);
		return { elapsedMs, messages: errors.map((error) => error.message) };
	}

	test.each([
		[
			'a 1 MB value',
			'a'.repeat(MEGABYTE),
			'Email is too long on item 0 (1048576 characters, at most 254)',
		],
		[
			'"a@" and 60,000 dots and "@" (quadratic for the old pattern)',
			`a@${'.'.repeat(60_000)}@`,
			'Email is too long on item 0 (60003 characters, at most 254)',
		],
		[
			'a 254-character run of dots between two "@"',
			`a@${'.'.repeat(250)}@b`,
			'Email is not a valid email address on item 0',
		],
		['a NUL inside', 'jane\u0000@example.com', 'Email contains control characters on item 0'],
		['a line break inside', 'jane@exa\nmple.com', 'Email contains control characters on item 0'],
	])('%s', async (_label, email, message) => {
		const { elapsedMs, messages } = await refusal(email);
		expect(messages).toEqual([message]);
		// The whole run, n8n's own expression work on a 1 MB value included.
		expect(elapsedMs).toBeLessThan(1_000);
	});

	test('an address of exactly 254 characters is sent', async () => {
		const email = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
		const scope = piggy().post(SEND_PATH, { email }).reply(200, sendSuccess(email));

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), { items: [{ email }] });

		expect(email).toHaveLength(254);
		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toHaveLength(1);
	});

	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
	});
});
