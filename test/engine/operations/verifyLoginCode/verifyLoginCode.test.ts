import nock from 'nock';

import { loadWorkflow, runWorkflow } from '../../../harness/engine';
import { OPERATIONS, invalidParameterError } from '../../../harness/failureCases';
import {
	AUTH_TOKEN,
	CONTACT_UUID,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	piggyErrorBody,
} from '../../../harness/piggyMock';

// Verify Login Code, with and without Options → Include Auth Token: the requests Piggy receives,
// the item the builder gets, and the failures only this operation has.

describe('Verify Login Code: the item on the success output', () => {
	test('answers { email, uuid } with the verified Contact’s UUID', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'));

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([
			{ json: { email: 'jane@example.com', uuid: CONTACT_UUID }, pairedItem: { item: 0 } },
		]);
	});
	test('with "Include Auth Token" also fetches the Contact’s auth token in the same step', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} })
			.get(authTokenPath(CONTACT_UUID))
			.reply(200, { data: { auth_token: AUTH_TOKEN }, meta: [] });

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			parameters: { options: { includeAuthToken: true } },
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([
			{
				json: { email: 'jane@example.com', uuid: CONTACT_UUID, auth_token: AUTH_TOKEN },
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Verify Login Code: the request', () => {
	test('Verify Login Code POSTs {code, email} to .../contact-verification/verify', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		await runWorkflow(loadWorkflow('verifyLoginCode'));

		expect(scope.isDone()).toBe(true);
	});
	test('values are trimmed before they are sent', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '654321', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			items: [{ email: '  jane@example.com\n', code: ' 654321 ' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)[0].json).toEqual({
			email: 'jane@example.com',
			uuid: CONTACT_UUID,
		});
	});
	test('a code mapped as a number is sent as text', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '654321', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		await runWorkflow(loadWorkflow('verifyLoginCode'), {
			items: [{ email: 'jane@example.com', code: 654321 }],
		});

		expect(scope.isDone()).toBe(true);
	});

	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
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

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			onError: 'stopWorkflow',
			parameters: { options: { includeAuthToken: true } },
		});

		expect(result.run.data.resultData.error).toMatchObject({
			message: 'Piggy says the token is expired',
			context: { itemIndex: 0, reason: 'token_expired', details: { uuid: 'contact-7' } },
		});
	});
});

describe('Verify Login Code: bad input is refused before any request', () => {
	test('an empty code names the Code field', async () => {
		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			items: [{ email: 'jane@example.com', code: ' ' }],
		});

		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			invalidParameterError('Code is empty on item 0', 'verifyLoginCode'),
		]);
	});

	test.each([
		['65 characters', '1'.repeat(65), 'Code is too long on item 0 (65 characters, at most 64)'],
		[
			'1 MB',
			'1'.repeat(1024 * 1024),
			'Code is too long on item 0 (1048576 characters, at most 64)',
		],
		['a tab inside', '123\t456', 'Code contains control characters on item 0'],
	])('a code of %s is refused', async (_label, code, message) => {
		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			items: [{ email: 'jane@example.com', code }],
		});

		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			{ ...invalidParameterError(message, 'verifyLoginCode'), description: expect.any(String) },
		]);
	});

	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
	});
});
