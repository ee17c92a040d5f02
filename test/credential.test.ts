import nock from 'nock';

import { PiggyApi } from '../credentials/PiggyApi.credentials';
import { testCredential } from './harness/credentialTest';
import { loadWorkflow, runWorkflow } from './harness/engine';
import {
	AUTH_TOKEN,
	SEND_PATH,
	VERIFY_PATH,
	authTokenPath,
	piggy,
	sendSuccess,
} from './harness/piggyMock';

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
		expect(result).toEqual({ status: 'OK', statusCode: 200 });
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
		expect(result).toEqual({ status: 'Error', statusCode: 401 });
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
		expect(result).toEqual({ status: 'OK', statusCode: 200 });
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
