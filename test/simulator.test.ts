import nock from 'nock';
import { request } from 'undici';

import type { RunningSimulator, SimulatorOptions } from '../tools/simulator/server';
import { startSimulator } from '../tools/simulator/server';
import { readResponse } from './harness/http';

// The simulator over real HTTP on 127.0.0.1, as the node and the e2e test reach it.

const TOKEN = 'sim-test-token';
const VERIFICATION = '/api/v3/oauth/clients/contact-verification';
const SEEDED = { email: 'spongebob@bikinibottom.sea', uuid: '123abc-lmnopq-3242a-8899aa' };
const NO_PORTAL = { email: 'squidward@bikinibottom.sea', uuid: '789ghi-xyzabc-9012c-3344cc' };

let simulator: RunningSimulator;
let logLines: string[];

async function start(options: SimulatorOptions = {}) {
	logLines = [];
	simulator = await startSimulator({
		port: 0,
		token: TOKEN,
		log: (line) => logLines.push(line),
		...options,
	});
}

beforeAll(() => nock.enableNetConnect('127.0.0.1'));
beforeEach(() => start());
afterEach(() => simulator.close());

interface Call {
	method?: 'GET' | 'POST' | 'DELETE';
	body?: unknown;
	form?: Record<string, string>;
	token?: string | null;
	headers?: Record<string, string>;
}

async function call(
	path: string,
	{ method = 'GET', body, form, token = TOKEN, headers = {} }: Call = {},
) {
	const response = await request(`${simulator.url}${path}`, {
		method,
		headers: {
			accept: 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			...headers,
		},
		body:
			body !== undefined
				? JSON.stringify(body)
				: form
					? new URLSearchParams(form).toString()
					: undefined,
	});
	return await readResponse(response);
}

const send = (email: string) => call(`${VERIFICATION}/send`, { method: 'POST', body: { email } });
const verify = (email: string, code: string) =>
	call(`${VERIFICATION}/verify`, { method: 'POST', body: { email, code } });
async function latestCode(email: string): Promise<string> {
	const mailbox = await call(`/_simulator/mailbox?email=${encodeURIComponent(email)}`, {
		token: null,
	});
	return (mailbox.json as { data: Array<{ code: string }> }).data[0].code;
}
const piggyError = (code: number, message: string) => ({ message, code, status_code: 400 });

test('listens on 127.0.0.1 only', () => {
	expect(new URL(simulator.url).hostname).toBe('127.0.0.1');
});

describe('authentication', () => {
	test('GET /shops with the token lists the shops', async () => {
		const response = await call('/api/v3/oauth/clients/shops');
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			data: [
				{
					uuid: 'a7c1b2d4-shop-0001',
					name: 'Piggy Simulator Shop',
					type: 'physical',
					reference: 'SIM-1',
				},
			],
		});
	});

	test.each([
		['a wrong token', 'not-the-token'],
		['no token', null],
	])('%s gets HTTP 401 on every API path', async (_label, token) => {
		for (const path of [
			'/api/v3/oauth/clients/shops',
			`${VERIFICATION}/auth-token/${SEEDED.uuid}`,
		]) {
			const response = await call(path, { token });
			expect([response.status, response.json]).toEqual([401, { message: 'Unauthenticated.' }]);
		}
	});
});

describe('send', () => {
	test('answers the documented success body and puts a 6-digit code in the mailbox', async () => {
		const response = await send(SEEDED.email);

		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			data: {
				type: 'Success',
				message:
					'An email containing a link to verify your email has been sent to spongebob@bikinibottom.sea. Please check your spam / junk as well.',
			},
			meta: [],
		});
		expect(await latestCode(SEEDED.email)).toMatch(/^\d{6}$/);
	});

	test('reads form-encoded bodies as Piggy’s SDK sends them', async () => {
		const response = await call(`${VERIFICATION}/send`, {
			method: 'POST',
			form: { email: SEEDED.email },
		});
		expect(response.status).toBe(200);
	});

	test.each([
		['a missing email', {}, 1003, 'Invalid input.'],
		['an unknown email', { email: 'nobody@example.com' }, 55031, 'Contact not found.'],
		['a Contact without Contacts Portal', { email: NO_PORTAL.email }, 55032, 'User app not found.'],
	])('%s answers HTTP 400 with its Piggy code', async (_label, body, code, message) => {
		const response = await call(`${VERIFICATION}/send`, { method: 'POST', body });
		expect(response.status).toBe(400);
		expect(response.json).toMatchObject(piggyError(code, message));
	});

	test('a missing email carries Laravel’s field errors', async () => {
		const response = await call(`${VERIFICATION}/send`, { method: 'POST', body: {} });
		expect(response.json).toEqual({
			...piggyError(1003, 'Invalid input.'),
			errors: { email: ['The email field is required.'] },
		});
	});

	test('the mailbox lists codes newest first', async () => {
		await send(SEEDED.email);
		await send(SEEDED.email);
		const mailbox = await call(`/_simulator/mailbox?email=${SEEDED.email}`, { token: null });
		const sent = (mailbox.json as { data: Array<{ code: string; sent_at: string; used: boolean }> })
			.data;
		expect(sent).toHaveLength(2);
		expect(sent[0].sent_at >= sent[1].sent_at).toBe(true);
		expect(sent.every((entry) => entry.used === false)).toBe(true);
	});
});

describe('verify', () => {
	test('the right code answers the Contact’s uuid, once', async () => {
		await send(SEEDED.email);
		const code = await latestCode(SEEDED.email);

		const first = await verify(SEEDED.email, code);
		const again = await verify(SEEDED.email, code);

		expect([first.status, first.json]).toEqual([200, { data: { uuid: SEEDED.uuid }, meta: {} }]);
		expect([again.status, again.json]).toEqual([400, piggyError(13010, 'Passcode not found.')]);
	});

	test('a wrong code or an unknown address answers 13010', async () => {
		await send(SEEDED.email);
		const code = await latestCode(SEEDED.email);
		const wrong = code === '000000' ? '111111' : '000000';

		expect((await verify(SEEDED.email, wrong)).json).toEqual(
			piggyError(13010, 'Passcode not found.'),
		);
		expect((await verify('nobody@example.com', code)).json).toEqual(
			piggyError(13010, 'Passcode not found.'),
		);
	});

	test('every code tried is recorded for its address, known or not, newest first', async () => {
		await send(SEEDED.email);
		const code = await latestCode(SEEDED.email);
		const wrong = code === '000000' ? '111111' : '000000';
		await verify(SEEDED.email, wrong);
		await verify(SEEDED.email.toUpperCase(), code);
		await verify('nobody@example.com', code);

		const tried = async (email: string) => {
			const response = await call(`/_simulator/tries?email=${encodeURIComponent(email)}`, {
				token: null,
			});
			return (response.json as { data: Array<{ code: string; accepted: boolean }> }).data.map(
				({ code: triedCode, accepted }) => ({ code: triedCode, accepted }),
			);
		};
		expect(await tried(SEEDED.email)).toEqual([
			{ code, accepted: true },
			{ code: wrong, accepted: false },
		]);
		expect(await tried('nobody@example.com')).toEqual([{ code, accepted: false }]);
	});

	test('an expired code answers 13010', async () => {
		await simulator.close();
		await start({ codeTtlSeconds: 0 });
		await send(SEEDED.email);

		const response = await verify(SEEDED.email, await latestCode(SEEDED.email));

		expect(response.json).toEqual(piggyError(13010, 'Passcode not found.'));
	});

	test('missing fields answer 1003; no Contacts Portal answers 55032', async () => {
		const missing = await call(`${VERIFICATION}/verify`, {
			method: 'POST',
			body: { email: SEEDED.email },
		});
		expect(missing.json).toEqual({
			...piggyError(1003, 'Invalid input.'),
			errors: { code: ['The code field is required.'] },
		});
		expect((await verify(NO_PORTAL.email, '123456')).json).toEqual(
			piggyError(55032, 'User app not found.'),
		);
	});
});

describe('auth-token', () => {
	test('answers the documented { data: { auth_token } } with a Laravel-style token', async () => {
		const response = await call(`${VERIFICATION}/auth-token/${SEEDED.uuid}`);
		const token = (response.json as { data: { auth_token: string } }).data.auth_token;

		expect(response.status).toBe(200);
		expect(Object.keys(JSON.parse(Buffer.from(token, 'base64').toString('utf8')))).toEqual([
			'iv',
			'value',
			'mac',
			'tag',
		]);
	});

	test('answers the SDK’s bare { data: "..." } when asked to', async () => {
		await simulator.close();
		await start({ authTokenShape: 'string' });
		const response = await call(`${VERIFICATION}/auth-token/${SEEDED.uuid}`);
		expect(typeof (response.json as { data: unknown }).data).toBe('string');
	});

	test('an unknown uuid answers 55031; a Contact without portal answers 1053', async () => {
		expect((await call(`${VERIFICATION}/auth-token/nope`)).json).toEqual(
			piggyError(55031, 'Contact not found.'),
		);
		expect((await call(`${VERIFICATION}/auth-token/${NO_PORTAL.uuid}`)).json).toEqual(
			piggyError(1053, 'Account secret is invalid'),
		);
	});
});

describe('control routes', () => {
	test('POST /_simulator/contacts creates a Contact that the API then knows', async () => {
		const created = await call('/_simulator/contacts', {
			method: 'POST',
			body: { email: 'new@example.com', portal: true },
			token: null,
		});
		const { uuid } = (created.json as { data: { uuid: string } }).data;

		expect(created.status).toBe(201);
		expect((await send('new@example.com')).status).toBe(200);
		const verified = await verify('new@example.com', await latestCode('new@example.com'));
		expect(verified.json).toEqual({ data: { uuid }, meta: {} });
	});

	test('a Contact created with portal false gets 55032', async () => {
		await call('/_simulator/contacts', {
			method: 'POST',
			body: { email: 'off@example.com', portal: false },
			token: null,
		});
		expect((await send('off@example.com')).json).toEqual(piggyError(55032, 'User app not found.'));
	});
});

describe('faults', () => {
	test('X-Simulator-Fault: 503 answers an HTML maintenance page', async () => {
		const response = await call('/api/v3/oauth/clients/shops', {
			headers: { 'x-simulator-fault': '503' },
		});
		expect(response.status).toBe(503);
		expect(response.headers['content-type']).toMatch(/^text\/html/);
	});

	test('a queued 429 with Retry-After answers the next request only', async () => {
		await call('/_simulator/faults', {
			method: 'POST',
			body: { status: 429, retryAfter: 2 },
			token: null,
		});

		const limited = await call('/api/v3/oauth/clients/shops');
		const next = await call('/api/v3/oauth/clients/shops');

		expect([limited.status, limited.headers['retry-after'], limited.json]).toEqual([
			429,
			'2',
			{ message: 'Too Many Attempts.' },
		]);
		expect(next.status).toBe(200);
	});

	test('queued faults can answer a Piggy code, a 500 or a non-JSON 200, in order', async () => {
		await call('/_simulator/faults', { method: 'POST', body: { piggyCode: 3000 }, token: null });
		await call('/_simulator/faults', { method: 'POST', body: { status: 500 }, token: null });
		await call('/_simulator/faults', { method: 'POST', body: { nonJson: true }, token: null });

		const expired = await call(`${VERIFICATION}/auth-token/${SEEDED.uuid}`);
		const broken = await call(`${VERIFICATION}/auth-token/${SEEDED.uuid}`);
		const html = await call(`${VERIFICATION}/auth-token/${SEEDED.uuid}`);

		expect([expired.status, expired.json]).toEqual([400, piggyError(3000, 'The token is expired')]);
		expect([broken.status, broken.json]).toEqual([500, { message: 'Server Error' }]);
		expect([html.status, html.json, html.text]).toEqual([
			200,
			undefined,
			expect.stringContaining('<!doctype html>'),
		]);
	});

	test('latency set for the run delays every API answer by at least that long', async () => {
		await simulator.close();
		await start({ fault: { latencyMs: 60 } });
		const started = performance.now();
		await call('/api/v3/oauth/clients/shops');
		expect(performance.now() - started).toBeGreaterThanOrEqual(55);
	});
});

test('logs one line per request, without the token', async () => {
	await send(SEEDED.email);
	await call('/api/v3/oauth/clients/shops', { token: 'wrong' });

	expect(logLines).toEqual([
		expect.stringMatching(
			/^POST \/api\/v3\/oauth\/clients\/contact-verification\/send -> 200 \(\d+\.\d ms\)$/,
		),
		expect.stringMatching(/^GET \/api\/v3\/oauth\/clients\/shops -> 401 /),
	]);
	expect(logLines.join('\n')).not.toContain(TOKEN);
});

describe('hostile callers', () => {
	test('a 900 kB "email" of dots is answered at once with 1003', async () => {
		const startedAt = performance.now();
		const response = await call(`${VERIFICATION}/send`, {
			method: 'POST',
			body: { email: `a@${'.'.repeat(900_000)}@` },
		});

		expect(performance.now() - startedAt).toBeLessThan(500);
		expect(response.json).toEqual({
			...piggyError(1003, 'Invalid input.'),
			errors: { email: ['The email must not be greater than 254 characters.'] },
		});
	});

	test.each([
		[{ times: 'Infinity' }, 'times is a whole number from 1 to 1000'],
		[{ times: 1e9 }, 'times is a whole number from 1 to 1000'],
		[{ status: 99 }, 'status is a whole number from 200 to 599'],
		[{ latencyMs: 1e12 }, 'latencyMs is a whole number from 0 to 60000'],
	])('POST /_simulator/faults %j is refused, answered at once', async (body, message) => {
		const response = await call('/_simulator/faults', { method: 'POST', body, token: null });
		expect([response.status, response.json]).toEqual([422, { message }]);
		expect(simulator.faults.size).toBe(0);
	});

	test('POST /_simulator/faults with a JSON array is refused', async () => {
		const response = await call('/_simulator/faults', { method: 'POST', body: [], token: null });
		expect([response.status, response.json]).toEqual([400, { message: 'Unreadable body.' }]);
		expect(simulator.faults.size).toBe(0);
	});

	test.each([
		['a form post', { form: { email: 'cross@site.example' } }],
		['a text/plain post', { headers: { 'content-type': 'text/plain' } }],
	])('control routes refuse %s, which any web page could send', async (_label, request) => {
		const response = await call('/_simulator/contacts', {
			method: 'POST',
			token: null,
			...request,
		});

		expect(response.status).toBe(415);
		expect(simulator.state.findByEmail('cross@site.example')).toBeUndefined();
	});
});
