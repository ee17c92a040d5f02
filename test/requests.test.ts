import nock from 'nock';

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

// What goes over the wire: method, path, headers and body, exactly. The nock scopes only match
// with the Bearer token and Accept header present, and `scope.isDone()` proves the call was made.

describe('requests Piggy receives', () => {
	test('Send Verification Email POSTs {email} as JSON to .../contact-verification/send', async () => {
		let contentType: string | undefined;
		const scope = piggy()
			.post(SEND_PATH, (body) => {
				expect(body).toEqual({ email: 'jane@example.com' });
				return true;
			})
			.reply(function () {
				contentType = this.req.headers['content-type'] as string;
				return [200, sendSuccess('jane@example.com')];
			});

		await runWorkflow(loadWorkflow('send-verification-email.json'));

		expect(scope.isDone()).toBe(true);
		expect(contentType).toMatch(/^application\/json/);
	});

	test('Verify Login Code POSTs {code, email} to .../contact-verification/verify', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '123456', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		await runWorkflow(loadWorkflow('verify-login-code.json'));

		expect(scope.isDone()).toBe(true);
	});

	test('Get Auth Token GETs .../contact-verification/auth-token/<uuid> with no body', async () => {
		let body: unknown;
		const scope = piggy()
			.get(authTokenPath(CONTACT_UUID))
			.reply(function (_uri, requestBody) {
				body = requestBody;
				return [200, { data: { auth_token: AUTH_TOKEN }, meta: [] }];
			});

		await runWorkflow(loadWorkflow('get-auth-token.json'));

		expect(scope.isDone()).toBe(true);
		expect(body).toBe('');
	});

	test('a Contact UUID containing "/" and "?" stays one encoded path segment', async () => {
		const scope = piggy().get(authTokenPath('a%2Fb%3Fc%20d')).reply(200, { data: AUTH_TOKEN });

		const result = await runWorkflow(loadWorkflow('get-auth-token.json'), {
			items: [{ uuid: 'a/b?c d' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0).map((item) => item.json)).toEqual([
			{ contact_uuid: 'a/b?c d', auth_token: AUTH_TOKEN },
		]);
	});

	test.each([
		['without a trailing slash', 'https://api.leat.com'],
		['with a trailing slash', 'https://api.leat.com/'],
		['with several trailing slashes and spaces', ' https://api.leat.com// '],
	])('the Base URL works %s', async (_label, baseUrl) => {
		const scope = piggy('https://api.leat.com')
			.post(SEND_PATH, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'));

		await runWorkflow(loadWorkflow('send-verification-email.json'), {
			credentials: { apiKey: 'pat-test-7f3c9a1e-secret', baseUrl },
		});

		expect(scope.isDone()).toBe(true);
	});

	test('a Base URL on a path prefix (a local simulator behind a proxy) keeps the prefix', async () => {
		const scope = piggy('http://127.0.0.1:8787')
			.post(`/piggy${SEND_PATH}`, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'));

		await runWorkflow(loadWorkflow('send-verification-email.json'), {
			credentials: { apiKey: 'pat-test-7f3c9a1e-secret', baseUrl: 'http://127.0.0.1:8787/piggy/' },
		});

		expect(scope.isDone()).toBe(true);
	});

	test('values are trimmed before they are sent', async () => {
		const scope = piggy()
			.post(VERIFY_PATH, { code: '654321', email: 'jane@example.com' })
			.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} });

		const result = await runWorkflow(loadWorkflow('verify-login-code.json'), {
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

		await runWorkflow(loadWorkflow('verify-login-code.json'), {
			items: [{ email: 'jane@example.com', code: 654321 }],
		});

		expect(scope.isDone()).toBe(true);
	});

	afterEach(() => {
		expect(nock.pendingMocks()).toEqual([]);
	});
});
