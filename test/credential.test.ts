import { PiggyApi } from '../credentials/PiggyApi.credentials';
import { testCredential } from './harness/credentialTest';
import { applyAuthentication } from './harness/credentialsHelper';
import nock from 'nock';

const SHOPS_PATH = '/api/v3/oauth/clients/shops';
const shops = {
	data: [{ uuid: 'shop-1', name: 'Main Street', type: 'physical', reference: null }],
};

describe('the Piggy API credential', () => {
	test('authenticates every request with "Authorization: Bearer <token>"', () => {
		const options = applyAuthentication(
			new PiggyApi(),
			{ apiKey: 'pat-abc', baseUrl: 'https://api.piggy.eu' },
			{ url: '/x', headers: { Accept: 'application/json' } },
		);
		expect(options.headers).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer pat-abc',
		});
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
		const scope = nock('https://api.piggy.eu')
			.matchHeader('authorization', 'Bearer pat-expired')
			.get(SHOPS_PATH)
			.reply(401, { message: 'Unauthenticated.' });

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
});
