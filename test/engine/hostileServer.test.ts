import { inspect } from 'node:util';

import nock from 'nock';

import { PiggyApi } from '../../credentials/PiggyApi.credentials';
import { testCredential } from '../harness/credentialTest';
import type { WorkflowRun } from '../harness/engine';
import { TEST_CREDENTIALS, errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import type { LocalServer } from '../harness/localServer';
import { localServer } from '../harness/localServer';

// Whatever sits at the Base URL (Piggy, a proxy, a typo'd host) can answer anything. Real HTTP
// servers on 127.0.0.1 play the hostile part; the node runs in n8n-core's engine.

beforeAll(() => nock.enableNetConnect((host) => host.startsWith('127.0.0.1')));

const TOKEN = TEST_CREDENTIALS.apiKey;
const servers: LocalServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handle: Parameters<typeof localServer>[0]): Promise<LocalServer> {
	const server = await localServer(handle);
	servers.push(server);
	return server;
}

const errorsOf = (result: WorkflowRun) => result.output('Piggy', 1).map(errorOf);

/** The run data, the thrown error with its hidden fields and causes, and what n8n would log. */
const everythingVisible = (result: WorkflowRun) =>
	[
		JSON.stringify(result.run),
		inspect(result.run.data.resultData.error, { depth: 20, showHidden: true }),
		...result.reportedErrors.map((error) => inspect(error, { depth: 20, showHidden: true })),
	].join('\n');

describe('redirects are never followed: the token goes to the Base URL only', () => {
	test.each([301, 302, 303, 307, 308])(
		'Send answered %i to another host: the other host gets nothing, the item fails as redirected',
		async (status) => {
			const elsewhere = await serve((_request, response) => response.end('{"data":{}}'));
			const base = await serve((_request, response) => {
				response.writeHead(status, { Location: `${elsewhere.url}/steal?token=x` }).end();
			});

			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
			});

			expect(elsewhere.requests).toEqual([]);
			expect(base.requests).toHaveLength(1);
			expect(result.output('Piggy', 0)).toEqual([]);
			expect(errorsOf(result)).toEqual([
				{
					message: `The Base URL redirected the request to ${elsewhere.url} (HTTP ${status})`,
					description: expect.stringContaining('never follows redirects'),
					reason: 'redirected',
					code: null,
					httpCode: status,
					operation: 'sendVerificationEmail',
				},
			]);
		},
	);

	test('Get Auth Token and Verify Login Code are not followed either', async () => {
		const elsewhere = await serve((_request, response) =>
			response.end('{"data":{"auth_token":"stolen","uuid":"u"}}'),
		);
		const base = await serve((_request, response) => {
			response.writeHead(307, { Location: elsewhere.url }).end();
		});
		const credentials = { ...TEST_CREDENTIALS, baseUrl: base.url };

		const token = await runWorkflow(loadWorkflow('getAuthToken'), { credentials });
		const verify = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			credentials,
			parameters: { options: { includeAuthToken: true } },
		});

		expect(elsewhere.requests).toEqual([]);
		expect([...errorsOf(token), ...errorsOf(verify)].map((error) => error.reason)).toEqual([
			'redirected',
			'redirected',
		]);
	});

	test('a Location that carries the token names no secret, and no path or query', async () => {
		const base = await serve((_request, response) => {
			response.writeHead(302, { Location: `https://${TOKEN}.example.com/a/${TOKEN}?t=${TOKEN}` });
			response.end();
		});

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
			onError: 'stopWorkflow',
		});

		expect(result.run.data.resultData.error?.message).toBe(
			'The Base URL redirected the request to https://[redacted].example.com (HTTP 302)',
		);
		expect(everythingVisible(result)).not.toContain(TOKEN);
	});

	test('the Test button does not follow a redirect either', async () => {
		const elsewhere = await serve((_request, response) => response.end('{"data":[]}'));
		const base = await serve((_request, response) => {
			response.writeHead(302, { Location: `${elsewhere.url}/api/v3/oauth/clients/shops` }).end();
		});

		const result = await testCredential(new PiggyApi(), { apiKey: TOKEN, baseUrl: base.url });

		expect(result).toEqual({
			status: 'Error',
			message: 'Request failed with status code 302',
			statusCode: 302,
		});
		expect(elsewhere.requests).toEqual([]);
	});
});

describe('Timeout is a deadline for the whole request, body included', () => {
	test('a server that drips its body one byte every 100 ms fails the item at the deadline', async () => {
		const base = await serve((_request, response) => {
			response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
			const drip = setInterval(() => response.write(' '), 100);
			response.on('close', () => clearInterval(drip));
		});

		const startedAt = performance.now();
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
			parameters: { options: { timeout: 300 } },
		});

		expect(performance.now() - startedAt).toBeLessThan(1_500);
		expect(errorsOf(result)).toEqual([
			expect.objectContaining({
				reason: 'timeout',
				message: 'Piggy did not answer within 300 ms',
				// Piggy may have sent the email before the answer was cut off.
				description: expect.stringContaining('a verification email may already be on its way'),
				httpCode: null,
			}),
		]);
	});

	test('a server that drips its headers fails the item at the deadline too', async () => {
		const base = await serve((request) => {
			const { socket } = request;
			socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
			const drip = setInterval(() => socket.write('a'), 100);
			socket.on('close', () => clearInterval(drip));
		});

		const startedAt = performance.now();
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
			parameters: { options: { timeout: 300 } },
		});

		expect(performance.now() - startedAt).toBeLessThan(1_500);
		expect(errorsOf(result).map((error) => error.reason)).toEqual(['timeout']);
	});
});

describe('what a server says is redacted and capped', () => {
	const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
		serve((_request, response) => {
			response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
			response.end(body);
		});

	test.each(['continueErrorOutput', 'stopWorkflow'] as const)(
		'an error body that repeats the token (message, field errors, JSON escapes) shows it nowhere, with %s',
		async (onError) => {
			const escaped = [...TOKEN].map(
				(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
			);
			const base = await answer(
				400,
				JSON.stringify({
					message: `Header was Bearer ${TOKEN}`,
					code: 1003,
					errors: { email: [`token ${TOKEN} rejected`], [TOKEN]: 'key' },
				}).replace('"key"', `"${escaped.join('')}"`),
			);

			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
				onError,
			});

			const visible = everythingVisible(result);
			expect(visible).toContain('[redacted]');
			expect(visible).not.toContain(TOKEN);
		},
	);

	test('a 5 MB error body is not read; the item stays small', async () => {
		const base = await answer(
			400,
			JSON.stringify({ message: `${TOKEN} ${'x'.repeat(5_000_000)}` }),
		);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
		});

		const [error] = errorsOf(result);
		expect(error).toMatchObject({ reason: 'http_error', message: 'Piggy answered HTTP 400' });
		expect(JSON.stringify(error).length).toBeLessThan(1_000);
	});

	test('a 60 kB error body is cut: the error item stays within a few kB', async () => {
		const base = await answer(
			400,
			JSON.stringify({
				message: 'y'.repeat(30_000),
				code: 4242,
				errors: { email: ['z'.repeat(30_000)] },
			}),
		);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
		});

		const [error] = errorsOf(result);
		expect(error).toMatchObject({
			reason: 'unknown_api_error',
			message: 'Piggy refused the request with code 4242',
		});
		expect(JSON.stringify(error).length).toBeLessThan(4_096);
	});

	test('a 5 MB success body is a response the node cannot read', async () => {
		const base = await answer(
			200,
			JSON.stringify({ data: { type: 'Success', message: 'x'.repeat(5_000_000) } }),
		);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
		});

		expect(errorsOf(result).map((error) => error.reason)).toEqual(['invalid_response']);
	});

	test('a success answer that repeats the token does not put it in the output', async () => {
		const base = await answer(200, JSON.stringify({ data: { uuid: TOKEN } }));

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
		});

		expect(result.output('Piggy', 0).map((item) => item.json.uuid)).toEqual(['[redacted]']);
		expect(everythingVisible(result)).not.toContain(TOKEN);
	});

	test('a Contact UUID of ".." from the server is not put in the next request’s path', async () => {
		const base = await answer(200, JSON.stringify({ data: { uuid: '..' } }));

		const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: base.url },
			parameters: { options: { includeAuthToken: true } },
		});

		expect(base.requests.map((request) => request.url)).toEqual([
			'/api/v3/oauth/clients/contact-verification/verify',
		]);
		expect(errorsOf(result).map((error) => error.reason)).toEqual(['invalid_response']);
	});
});

test('a token too short to be a Personal Access Token does not garble the answers it would be redacted from', async () => {
	const base = await localServer((_request, response) => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ data: { type: 'Success', message: 'sent to the address' } }));
	});
	servers.push(base);

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		credentials: { apiKey: 't', baseUrl: base.url },
	});

	expect(result.output('Piggy', 0).map((item) => item.json)).toEqual([
		{ email: 'jane@example.com', type: 'Success', message: 'sent to the address' },
	]);
});
