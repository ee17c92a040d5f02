import { loadWorkflow, runWorkflow } from './harness/engine';
import {
	AUTH_TOKEN,
	CONTACT_UUID,
	SEND_PATH,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	sendSuccess,
} from './harness/piggyMock';

// The items a builder sees on the success output: Piggy's documented field names plus the input
// that identifies the item, one per input item, paired and in order.

describe('Send Verification Email', () => {
	test('answers { email, type, message } per item, in input order', async () => {
		const scope = piggy()
			.post(SEND_PATH, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'))
			.post(SEND_PATH, { email: 'joe@example.com' })
			.reply(200, { data: { type: 'success', message: 'Sent.' }, meta: {} });

		const result = await runWorkflow(loadWorkflow('send-verification-email.json'), {
			items: [{ email: 'jane@example.com' }, { email: 'joe@example.com' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([
			{
				json: {
					email: 'jane@example.com',
					type: 'Success',
					message:
						'An email containing a link to verify your email has been sent to jane@example.com. Please check your spam / junk as well.',
				},
				pairedItem: { item: 0 },
			},
			{
				json: { email: 'joe@example.com', type: 'success', message: 'Sent.' },
				pairedItem: { item: 1 },
			},
		]);
		expect(result.output('Piggy', 1)).toEqual([]);
		expect(result.output('Succeeded', 0)).toHaveLength(2);
	});
});

describe('Verify Login Code', () => {
	test('answers { email, uuid } with the verified Contact’s UUID', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		const result = await runWorkflow(loadWorkflow('verify-login-code.json'));

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

		const result = await runWorkflow(loadWorkflow('verify-login-code.json'), {
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

describe('Get Auth Token', () => {
	test.each([
		['the documented { data: { auth_token } }', { data: { auth_token: AUTH_TOKEN }, meta: [] }],
		['the SDK’s bare { data: "..." }', { data: AUTH_TOKEN }],
	])('reads %s as { contact_uuid, auth_token }', async (_shape, body) => {
		const scope = piggy().get(authTokenPath(CONTACT_UUID)).reply(200, body);

		const result = await runWorkflow(loadWorkflow('get-auth-token.json'));

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([
			{ json: { contact_uuid: CONTACT_UUID, auth_token: AUTH_TOKEN }, pairedItem: { item: 0 } },
		]);
	});

	test.each([
		['an empty token', { data: { auth_token: '' } }],
		['no data at all', { meta: [] }],
		['a token that is not text', { data: { auth_token: 42 } }],
	])('treats %s as a response it cannot read', async (_shape, body) => {
		piggy().get(authTokenPath(CONTACT_UUID)).reply(200, body);

		const result = await runWorkflow(loadWorkflow('get-auth-token.json'));

		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			expect.objectContaining({
				reason: 'invalid_response',
				httpCode: 200,
				operation: 'getAuthToken',
			}),
		]);
	});
});

test('the credential is read once per run, not once per request', async () => {
	const scope = piggy();
	for (let i = 0; i < 5; i++) {
		scope.post(VERIFY_PATH).reply(200, { data: { uuid: `u${i}` }, meta: {} });
		scope.get(authTokenPath(`u${i}`)).reply(200, { data: AUTH_TOKEN });
	}

	const result = await runWorkflow(loadWorkflow('verify-login-code.json'), {
		items: Array.from({ length: 5 }, () => ({ email: 'jane@example.com', code: '123456' })),
		parameters: { options: { includeAuthToken: true } },
	});

	expect(scope.isDone()).toBe(true);
	expect(result.output('Piggy', 0)).toHaveLength(5);
	expect(result.credentialReads).toBe(1);
});
