import nock from 'nock';

import { loadWorkflow, runWorkflow } from '../../../harness/engine';
import { AUTH_TOKEN, CONTACT_UUID, authTokenPath, piggy } from '../../../harness/piggyMock';

// Get Auth Token: the request Piggy receives, both answer shapes Piggy is known to send, and the
// failures only this operation has.

describe('Get Auth Token: the item on the success output', () => {
	test.each([
		['the documented { data: { auth_token } }', { data: { auth_token: AUTH_TOKEN }, meta: [] }],
		['the SDK’s bare { data: "..." }', { data: AUTH_TOKEN }],
	])('reads %s as { contact_uuid, auth_token }', async (_shape, body) => {
		const scope = piggy().get(authTokenPath(CONTACT_UUID)).reply(200, body);

		const result = await runWorkflow(loadWorkflow('getAuthToken'));

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

		const result = await runWorkflow(loadWorkflow('getAuthToken'));

		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			expect.objectContaining({
				reason: 'invalid_response',
				httpCode: 200,
				operation: 'getAuthToken',
			}),
		]);
	});
});

describe('Get Auth Token: the request', () => {
	test('Get Auth Token GETs .../contact-verification/auth-token/<uuid> with no body', async () => {
		let body: unknown;
		const scope = piggy()
			.get(authTokenPath(CONTACT_UUID))
			.reply(function (_uri, requestBody) {
				body = requestBody;
				return [200, { data: { auth_token: AUTH_TOKEN }, meta: [] }];
			});

		await runWorkflow(loadWorkflow('getAuthToken'));

		expect(scope.isDone()).toBe(true);
		expect(body).toBe('');
	});
	test('a Contact UUID containing "/" and "?" stays one encoded path segment', async () => {
		const scope = piggy().get(authTokenPath('a%2Fb%3Fc%20d')).reply(200, { data: AUTH_TOKEN });

		const result = await runWorkflow(loadWorkflow('getAuthToken'), {
			items: [{ uuid: 'a/b?c d' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0).map((item) => item.json)).toEqual([
			{ contact_uuid: 'a/b?c d', auth_token: AUTH_TOKEN },
		]);
	});

	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Get Auth Token: bad input and retries', () => {
	test.each([
		['"."', '.', 'Contact UUID cannot be "." or ".." on item 0'],
		['".."', ' .. ', 'Contact UUID cannot be "." or ".." on item 0'],
		[
			'1 MB',
			'u'.repeat(1024 * 1024),
			'Contact UUID is too long on item 0 (1048576 characters, at most 128)',
		],
	])(
		'a Contact UUID of %s is refused: it would make the request go to another path',
		async (_label, uuid, message) => {
			const result = await runWorkflow(loadWorkflow('getAuthToken'), { items: [{ uuid }] });

			expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
				expect.objectContaining({
					message,
					reason: 'invalid_parameter',
					operation: 'getAuthToken',
				}),
			]);
		},
	);

	test('a blank Contact UUID names the Contact UUID field', async () => {
		const result = await runWorkflow(loadWorkflow('getAuthToken'), {
			items: [{ uuid: '\t ' }],
			onError: 'stopWorkflow',
		});

		expect(result.run.data.resultData.error).toMatchObject({
			message: 'Contact UUID is empty on item 0',
			description:
				"The 'Contact UUID' parameter needs a value for every item. If you map it with an expression, check that the incoming item has that field.",
		});
	});

	test('Get Auth Token is retried on 429 like the others', async () => {
		const scope = piggy()
			.get(authTokenPath(CONTACT_UUID))
			.reply(429, {}, { 'Retry-After': '0' })
			.get(authTokenPath(CONTACT_UUID))
			.reply(200, { data: 'token' });

		const result = await runWorkflow(loadWorkflow('getAuthToken'));

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0).map((item) => item.json)).toEqual([
			{ contact_uuid: CONTACT_UUID, auth_token: 'token' },
		]);
	});
});
