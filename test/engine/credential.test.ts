import nock from 'nock';

import { PiggyApi } from '../../credentials/PiggyApi.credentials';
import { testCredential } from '../harness/credentialTest';
import { loadWorkflow, runWorkflow } from '../harness/engine';
import {
	AUTH_TOKEN,
	SEND_PATH,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	sendSuccess,
} from '../harness/piggyMock';

const SHOPS_PATH = '/api/v3/oauth/clients/shops';
const shops = {
	data: [{ uuid: 'shop-1', name: 'Main Street', type: 'physical', reference: null }],
};

describe('the Piggy API credential', () => {
	test('authenticates every request with "Authorization: Bearer <token>"', async () => {
		const options = await new PiggyApi().authenticate(
			{ apiKey: 'pat-abc', baseUrl: 'https://api.piggy.eu' },
			{ url: '/x', headers: { Accept: 'application/json' } },
		);
		expect(options.headers).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer pat-abc',
		});
		expect(options.url).toBe('https://api.piggy.eu/x');
	});

	test('Test button: a good token lists the shops and passes', async () => {
		const scope = nock('https://api.piggy.eu')
			.matchHeader('authorization', 'Bearer pat-good')
			.matchHeader('accept', 'application/json')
			.get(SHOPS_PATH)
			.reply(200, shops);

		const result = await testCredential(new PiggyApi(), {
			apiKey: 'pat-good',
			baseUrl: 'https://api.piggy.eu',
		});

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!', statusCode: 200 });
	});

	test('Test button: a bad or expired token gets HTTP 401 and fails', async () => {
		// Piggy refuses this token every time: n8n sends a request that got 401 once more, after
		// its pre-authentication step (a no-op for this credential), so the Test button asks twice.
		const scope = nock('https://api.piggy.eu')
			.matchHeader('authorization', 'Bearer pat-expired')
			.get(SHOPS_PATH)
			.reply(401, { message: 'Unauthenticated.' })
			.persist();

		const result = await testCredential(new PiggyApi(), {
			apiKey: 'pat-expired',
			baseUrl: 'https://api.piggy.eu',
		});

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({
			status: 'Error',
			message: 'Authorization failed - please check your credentials',
			statusCode: 401,
		});
	});

	test('Test button: a Base URL with a trailing slash still reaches /api/v3/oauth/clients/shops', async () => {
		const scope = nock('http://127.0.0.1:8787')
			.matchHeader('authorization', 'Bearer pat-good')
			.get(SHOPS_PATH)
			.reply(200, shops);

		const result = await testCredential(new PiggyApi(), {
			apiKey: 'pat-good',
			baseUrl: 'http://127.0.0.1:8787/',
		});

		expect(scope.isDone()).toBe(true);
		expect(result.status).toBe('OK');
	});

	test('Test button: a Base URL with spaces and trailing slashes reaches the shops, as the node does', async () => {
		const scope = nock('https://api.leat.com')
			.matchHeader('authorization', 'Bearer pat-good')
			.get(SHOPS_PATH)
			.reply(200, shops);

		const result = await testCredential(new PiggyApi(), {
			apiKey: 'pat-good',
			baseUrl: ' https://api.leat.com// ',
		});

		expect(scope.isDone()).toBe(true);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!', statusCode: 200 });
	});
});

// The node's requests go through the same credential: the same Base URL reaches the same URL.
describe('the Base URL in node runs', () => {
	test.each([
		['without a trailing slash', 'https://api.leat.com'],
		['with a trailing slash', 'https://api.leat.com/'],
		['with several trailing slashes and spaces', ' https://api.leat.com// '],
	])('the Base URL works %s', async (_label, baseUrl) => {
		const scope = piggy('https://api.leat.com')
			.post(SEND_PATH, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'));

		await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { apiKey: 'pat-test-7f3c9a1e-secret', baseUrl },
		});

		expect(scope.isDone()).toBe(true);
	});

	test('a Base URL on a path prefix (a local simulator behind a proxy) keeps the prefix', async () => {
		const scope = piggy('http://127.0.0.1:8787')
			.post(`/piggy${SEND_PATH}`, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'));

		await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { apiKey: 'pat-test-7f3c9a1e-secret', baseUrl: 'http://127.0.0.1:8787/piggy/' },
		});

		expect(scope.isDone()).toBe(true);
	});
});

test('the credential is read once per run, not once per request', async () => {
	const scope = piggy();
	for (let i = 0; i < 5; i++) {
		scope.post(VERIFY_PATH).reply(200, { data: { uuid: `u${i}` }, meta: {} });
		scope.get(authTokenPath(`u${i}`)).reply(200, { data: AUTH_TOKEN });
	}

	const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
		items: Array.from({ length: 5 }, () => ({ email: 'jane@example.com', code: '123456' })),
		parameters: { options: { includeAuthToken: true } },
	});

	expect(scope.isDone()).toBe(true);
	expect(result.output('Piggy', 0)).toHaveLength(5);
	expect(result.credentialReads).toBe(1);
});

describe('the Base URL rule, one for the node and the Test button', () => {
	const API_V3 =
		'must not include /api/v3: the node adds it (use https://api.piggy.eu or https://api.leat.com)';
	const HTTPS_ONLY =
		'must start with https:// (http:// is allowed only for this machine: localhost, 127.0.0.1 or ::1)';
	const refused = (
		[
			['http://api.piggy.eu', HTTPS_ONLY],
			['http://10.0.0.5:8787', HTTPS_ONLY],
			['http://127.0.0.1.nip.io', HTTPS_ONLY],
			['javascript:alert(1)', HTTPS_ONLY],
			['file:///etc/passwd', HTTPS_ONLY],
			['https://builder:hunter2@api.piggy.eu', 'must not contain a user name or password'],
			['https://api.piggy.eu/?debug=1', 'must not contain a query (?) or a fragment (#)'],
			['https://api.piggy.eu#top', 'must not contain a query (?) or a fragment (#)'],
			['api.piggy.eu', 'is not a URL (it should look like https://api.piggy.eu)'],
			['https://api.piggy.eu/\npiggy', 'contains spaces or control characters'],
			['https://api.piggy.eu/api/v3', API_V3],
			['https://api.leat.com/API/v3/', API_V3],
			['http://127.0.0.1:8787/api/v3/oauth/clients/contact-verification', API_V3],
			['   ', 'is empty'],
			[`https://api.piggy.eu/${'a'.repeat(2_100)}`, 'is too long'],
		] as const
	).map(([baseUrl, problem]) => ({
		label: baseUrl.length > 60 ? `a ${baseUrl.length}-character URL` : JSON.stringify(baseUrl),
		baseUrl,
		problem,
	}));

	test.each(refused)(
		'the node refuses $label before sending anything',
		async ({ baseUrl, problem }) => {
			let requests = 0;
			const count = () => requests++;
			nock.emitter.on('no match', count);

			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				credentials: { apiKey: 'pat-test-7f3c9a1e-secret', baseUrl },
			});

			nock.emitter.removeListener('no match', count);
			expect(requests).toBe(0);
			expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
				{
					message: `The Base URL in the Piggy API credential ${problem}`,
					description: expect.stringContaining('Nothing was sent.'),
					reason: 'invalid_base_url',
					code: null,
					httpCode: null,
					operation: 'sendVerificationEmail',
				},
			]);
			expect(JSON.stringify(result.run)).not.toContain('hunter2');
		},
	);

	test.each(refused)('the Test button refuses $label', async ({ baseUrl, problem }) => {
		const result = await testCredential(new PiggyApi(), { apiKey: 'pat-good', baseUrl });
		expect(result).toEqual({
			status: 'Error',
			message: `The Base URL in the Piggy API credential ${problem}`,
			statusCode: null,
		});
	});

	test('a Base URL changed between two Test button clicks is checked anew each time', async () => {
		const good = { apiKey: 'pat-good', baseUrl: 'https://api.piggy.eu' };
		const bad = { apiKey: 'pat-good', baseUrl: 'http://api.piggy.eu' };
		const scope = nock('https://api.piggy.eu').get(SHOPS_PATH).times(2).reply(200, shops);

		const statuses = [];
		for (const credential of [good, bad, good, bad]) {
			statuses.push((await testCredential(new PiggyApi(), credential)).status);
		}

		expect(statuses).toEqual(['OK', 'Error', 'OK', 'Error']);
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		['http://localhost:8787', 'http://localhost:8787'],
		['http://127.0.0.1:8787/', 'http://127.0.0.1:8787'],
		['https://API.Leat.com:443', 'https://api.leat.com'],
	])('%j is allowed, as %s', async (baseUrl, origin) => {
		const scope = nock(origin).get(SHOPS_PATH).reply(200, shops);

		const result = await testCredential(new PiggyApi(), { apiKey: 'pat-good', baseUrl });

		expect(scope.isDone()).toBe(true);
		expect(result.status).toBe('OK');
	});
});
