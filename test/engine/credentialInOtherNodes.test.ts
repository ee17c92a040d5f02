import fc from 'fast-check';
import nock from 'nock';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { PiggyApi } from '../../credentials/PiggyApi.credentials';

import type { WorkflowFixture } from '../harness/engine';
import { TEST_CREDENTIALS, loadWorkflow, runWorkflow, runWorkflowAsIs } from '../harness/engine';

// The Piggy API credential used by other nodes: an HTTP Request node with Authentication →
// Predefined Credential Type → Piggy API hands n8n the request library's options (`uri`) through
// requestWithAuthentication; a node's transport hands it n8n's own (`url`) through
// httpRequestWithAuthentication. Both go through n8n-core's real request helpers here (2.x, and
// 1.123's with `npm run test:compat`); HTTP goes to nock. The token goes only to URLs under the
// Base URL, and no redirect is followed.

const SHOPS_PATH = '/api/v3/oauth/clients/shops';
const shops = {
	data: [{ uuid: 'shop-1', name: 'Main Street', type: 'physical', reference: null }],
};
const SIMULATOR = 'http://127.0.0.1:8787';
const ELSEWHERE = 'http://127.0.0.1:9999';
const BEARER = `Bearer ${TEST_CREDENTIALS.apiKey}`;

type Shape = 'uri' | 'url';
const SHAPES: Array<[string, Shape]> = [
	['an HTTP Request node (uri, requestWithAuthentication)', 'uri'],
	['a node transport (url, httpRequestWithAuthentication)', 'url'],
];

interface Call {
	shape: Shape;
	url: string;
	method?: string;
	headers?: Record<string, string>;
	baseUrl?: string;
}

/** A start node, then "HTTP Request" (the caller) with "On Error: Continue". */
function callerWorkflow({ shape, url, method = 'GET', headers = {} }: Call): WorkflowFixture {
	return {
		id: 'credential-in-other-nodes',
		name: 'Piggy API credential in another node',
		active: false,
		isArchived: false,
		createdAt: '2026-12-02T00:00:00.000Z',
		updatedAt: '2026-12-02T00:00:00.000Z',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'test.input',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: '[{}]' },
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'HTTP Request',
				type: 'test.credentialCaller',
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				parameters: { shape, method, url, headers: JSON.stringify(headers) },
				credentials: { piggyApi: { id: 'piggy-credential', name: 'Piggy API' } },
			},
		],
		connections: { Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
	} as unknown as WorkflowFixture;
}

async function call(options: Call) {
	const result = await runWorkflowAsIs(callerWorkflow(options), {
		credentials: { ...TEST_CREDENTIALS, baseUrl: options.baseUrl ?? SIMULATOR },
	});
	const items = result.output('HTTP Request');
	expect(items).toHaveLength(1);
	expect(items[0].pairedItem).toEqual({ item: 0 });
	return { json: items[0].json, run: JSON.stringify(result.run) };
}

/** Counts requests that found no interceptor: with net connect off, each one would have left. */
function countUnmatched(): () => number {
	let unmatched = 0;
	const count = () => unmatched++;
	nock.emitter.on('no match', count);
	return () => (nock.emitter.removeListener('no match', count), unmatched);
}

describe.each(SHAPES)('the Piggy API credential in %s', (_label, shape) => {
	test('an absolute URL under the Base URL gets the token, and the shops come back', async () => {
		const scope = nock(SIMULATOR)
			.matchHeader('authorization', BEARER)
			.get(SHOPS_PATH)
			.reply(200, shops);

		const { json } = await call({ shape, url: `${SIMULATOR}${SHOPS_PATH}` });

		expect(scope.isDone()).toBe(true);
		expect(json).toEqual({ statusCode: 200, body: shops });
	});

	test('a path resolves against the Base URL, its path prefix kept', async () => {
		const scope = nock(SIMULATOR)
			.matchHeader('authorization', BEARER)
			.get(`/piggy${SHOPS_PATH}`)
			.reply(200, shops);

		const { json } = await call({ shape, url: SHOPS_PATH, baseUrl: `${SIMULATOR}/piggy/` });

		expect(scope.isDone()).toBe(true);
		expect(json).toEqual({ statusCode: 200, body: shops });
	});

	test('a query string is kept, and an Authorization header the workflow set is replaced', async () => {
		const scope = nock(SIMULATOR)
			.matchHeader('authorization', BEARER)
			.get(`${SHOPS_PATH}?page=2`)
			.reply(200, shops);

		const { json } = await call({
			shape,
			url: `${SIMULATOR}${SHOPS_PATH}?page=2`,
			headers: { authorization: 'Bearer someone-else' },
		});

		expect(scope.isDone()).toBe(true);
		expect(json).toEqual({ statusCode: 200, body: shops });
	});

	const elsewhere = (where: string, baseUrl = SIMULATOR) => ({
		message: `The Piggy API credential sends its token only to its Base URL, ${baseUrl}`,
		description: `This request is for ${where}. Use a URL that starts with the Base URL, or another credential for other services. Nothing was sent.`,
	});
	test.each([
		['another port on this machine', `${ELSEWHERE}${SHOPS_PATH}`, elsewhere(ELSEWHERE)],
		[
			'https on the same host',
			`https://127.0.0.1:8787${SHOPS_PATH}`,
			elsewhere('https://127.0.0.1:8787'),
		],
		[
			'a host that starts like the Base URL’s',
			`http://127.0.0.1.nip.io:8787${SHOPS_PATH}`,
			elsewhere('http://127.0.0.1.nip.io:8787'),
		],
		[
			'the Base URL as a user name before another host',
			`http://127.0.0.1:8787@127.0.0.2:9999${SHOPS_PATH}`,
			elsewhere('http://127.0.0.2:9999'),
		],
		[
			'a user name and password on the Base URL’s host',
			`http://builder:hunter2@127.0.0.1:8787${SHOPS_PATH}`,
			{
				message: 'The Piggy API credential cannot send this request',
				description: 'Its URL contains a user name or password. Nothing was sent.',
			},
		],
		['a file URL', 'file:///etc/passwd', elsewhere('a file: URL')],
	])('%s is refused before anything is sent', async (_case, url, refusal) => {
		const unmatched = countUnmatched();
		const other = nock(/./).get(/.*/).reply(200, 'got it');

		const { json, run } = await call({ shape, url });

		expect(unmatched()).toBe(0);
		expect(other.isDone()).toBe(false);
		expect(json).toEqual({ error: refusal });
		expect(run).not.toContain(TEST_CREDENTIALS.apiKey);
		expect(run).not.toContain('hunter2');
	});

	test.each([
		['a sibling of the prefix', `${SIMULATOR}/piggy-admin${SHOPS_PATH}`],
		['the host’s root', `${SIMULATOR}${SHOPS_PATH}`],
		['`..` out of the prefix', `${SIMULATOR}/piggy/../admin`],
		['`%2e%2e` out of the prefix', `${SIMULATOR}/piggy/%2e%2e/admin`],
		['a path with `..` out of the prefix', '/../admin'],
	])('with a Base URL on /piggy, %s is refused', async (_case, url) => {
		const unmatched = countUnmatched();
		const other = nock(SIMULATOR).get(/.*/).reply(200, 'got it');

		const { json } = await call({ shape, url, baseUrl: `${SIMULATOR}/piggy` });

		expect(unmatched()).toBe(0);
		expect(other.isDone()).toBe(false);
		expect(json).toEqual({
			error: elsewhere(`a path outside /piggy on ${SIMULATOR}`, `${SIMULATOR}/piggy`),
		});
	});

	test('a URL that is not one is refused, and names nothing of it', async () => {
		const unmatched = countUnmatched();

		const { json } = await call({ shape, url: 'http://[::1:8787/x?token=abc' });

		expect(unmatched()).toBe(0);
		expect(json).toEqual({
			error: {
				message: 'The Piggy API credential cannot send this request',
				description: 'Its URL is not a URL. Nothing was sent.',
			},
		});
	});

	test('a redirect from the Base URL is not followed: its target receives nothing', async () => {
		const piggy = nock(SIMULATOR)
			.matchHeader('authorization', BEARER)
			.get(SHOPS_PATH)
			.reply(302, '', { Location: `${ELSEWHERE}/steal` });
		const target = nock(ELSEWHERE).get('/steal').reply(200, 'got it');

		const { json } = await call({ shape, url: `${SIMULATOR}${SHOPS_PATH}` });

		expect(piggy.isDone()).toBe(true);
		expect(target.isDone()).toBe(false);
		expect(json).toMatchObject({ error: { message: expect.stringContaining('302') } });
	});
});

// Property-based (fast-check, fixed seed): whatever URL a workflow hands the credential, in either
// shape, the token goes with it only when n8n would send it under the Base URL.
describe('whatever the URL, the token stays under the Base URL', () => {
	const BASE = 'https://api.leat.com/piggy';
	const pieces = fc.constantFrom(
		'',
		'/',
		'//',
		'\\',
		'@',
		':',
		'.',
		'..',
		'%2e',
		'%2E%2e',
		'?',
		'#',
		'\t',
		'\n',
		' ',
		'%2f',
		'piggy',
		'piggy-admin',
		'api.leat.com',
		'api.leat.com.evil.example',
		'evil.example',
		':443',
		':8443',
		'https:',
		'http:',
		'HTTPS://',
		'file:',
		'user:pw@',
		'[::1]',
		'\u0000',
		'é',
	);
	const urls = fc.oneof(
		fc.webUrl({ withQueryParameters: true, withFragments: true }),
		fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
		fc.array(pieces, { maxLength: 10 }).map((parts) => `${BASE}${parts.join('')}`),
		fc.array(pieces, { maxLength: 10 }).map((parts) => `https://${parts.join('')}`),
	);

	test.each(['url', 'uri'] as const)('in the %s shape', async (shape) => {
		const credential = new PiggyApi();
		await fc.assert(
			fc.asyncProperty(urls, async (requested) => {
				let sent: string | undefined;
				try {
					const options = await credential.authenticate({ apiKey: 'pat-x', baseUrl: BASE }, {
						[shape]: requested,
					} as unknown as IHttpRequestOptions);
					sent = (options as unknown as Record<string, string>)[shape];
				} catch (error) {
					expect((error as Error).message).toMatch(/^The Piggy API credential /);
					return;
				}
				const url = new URL(sent);
				expect(url.href).toBe(sent);
				expect(url.origin).toBe('https://api.leat.com');
				expect(url.username + url.password).toBe('');
				expect(url.pathname === '/piggy' || url.pathname.startsWith('/piggy/')).toBe(true);
			}),
			{ seed: 20261202, numRuns: 3000 },
		);
	});

	test('a URL longer than 16384 characters is refused without being parsed', async () => {
		const long = `${BASE}/${'a'.repeat(16_384)}`;
		await expect(
			new PiggyApi().authenticate({ apiKey: 'pat-x', baseUrl: BASE }, { url: long }),
		).rejects.toMatchObject({
			message: 'The Piggy API credential cannot send this request',
			description: 'Its URL is longer than 16384 characters. Nothing was sent.',
		});
	});
});

// n8n adds "Custom API Call" to this node's Resource and Operation lists once the credential works
// in the HTTP Request node (as for every such node); the editor then points to the HTTP Request
// node, and a run of this node says so too, before sending anything, as a parameter error.
describe('Custom API Call in this node', () => {
	const message = 'Custom API Call needs an HTTP Request node';
	const description =
		'This node makes the Contact Verification calls only. For any other Piggy endpoint, add an HTTP Request node with Authentication: Predefined Credential Type, Credential Type: Piggy API (README, "Call other Piggy endpoints"). Nothing was sent.';
	const CHOSEN = [
		['Resource', { resource: '__CUSTOM_API_CALL__' }],
		['Operation', { operation: '__CUSTOM_API_CALL__' }],
	] as const;

	test.each(CHOSEN)(
		'chosen as the %s, the run stops with where to make it',
		async (_label, parameters) => {
			const unmatched = countUnmatched();
			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				parameters,
				onError: 'stopWorkflow',
			});

			expect(unmatched()).toBe(0);
			expect(result.run.data.resultData.error).toMatchObject({ message, description });
		},
	);

	test.each(CHOSEN)(
		'chosen as the %s with the error output on, every item leaves there, paired',
		async (_label, parameters) => {
			const unmatched = countUnmatched();
			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				parameters,
				items: [{ email: 'jane@example.com' }, { email: 'joe@example.com' }],
				onError: 'continueErrorOutput',
			});

			expect(unmatched()).toBe(0);
			expect(result.output('Piggy', 0)).toEqual([]);
			// n8n itself adds the input item's fields to an error item (README, "Using the error output").
			expect(result.output('Piggy', 1)).toEqual(
				['jane@example.com', 'joe@example.com'].map((email, item) => ({
					json: {
						email,
						error: {
							message,
							description,
							reason: 'invalid_parameter',
							code: null,
							httpCode: null,
							operation: '__CUSTOM_API_CALL__',
						},
					},
					pairedItem: { item },
				})),
			);
		},
	);
});
