import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { getGlobalDispatcher, request } from 'undici';

import type { RunningSimulator } from '../../tools/simulator/server';
import { startSimulator } from '../../tools/simulator/server';
import type { N8nInstance, RunningN8n } from '../../tools/n8n/n8n';
import { readResponse } from '../harness/http';
import { NO_LIMITS, withLimits } from '../harness/loginLimits';
import { localServer } from '../harness/localServer';
import { StepTimings } from './stepTimings';
import {
	ownerSessionCookie,
	REPO_ROOT,
	ensureN8n,
	importCredentials,
	installPackage,
	makeUserFolder,
	importWorkflows,
	n8nCli,
	n8nInstance,
	packPackage,
	startN8n,
} from '../../tools/n8n/n8n';

// The package as builders get it: packed with npm, installed into a fresh n8n user folder like the
// Community Nodes screen does, loaded by a real n8n 2.x, driven through its CLI and its webhooks,
// against the Piggy simulator.

const TOKEN = 'e2e-piggy-token';
const GOOD_CREDENTIAL = 'piggySimulator01';
const WRONG_CREDENTIAL = 'piggyWrongToken1';
const SEND_WORKFLOW = 'piggySendCode001';
const LOGIN_WORKFLOW = 'piggyLoginCode01';
const CLI_WORKFLOW = 'piggyCliSend0001';

const timings = new StepTimings();
const { timed } = timings;

let simulator: RunningSimulator;
let instance: N8nInstance;
let n8n: RunningN8n | undefined;
let workDir: string;
let cookie = '';
const BROWSER_ID = 'piggy-e2e-browser';

async function http(method: 'GET' | 'POST', url: string, body?: unknown) {
	const response = await request(url, {
		method,
		headers: {
			'content-type': 'application/json',
			accept: 'application/json',
			'browser-id': BROWSER_ID,
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await readResponse(response);
}

const webhook = (path: string, body: unknown) =>
	http('POST', `${instance.url}/webhook/${path}`, body);
const simulatorControl = (method: 'GET' | 'POST', path: string, body?: unknown) =>
	http(method, `${simulator.url}/_simulator/${path}`, body);

async function latestCode(email: string): Promise<string> {
	const mailbox = await simulatorControl('GET', `mailbox?email=${encodeURIComponent(email)}`);
	return (mailbox.json as { data: Array<{ code: string }> }).data[0].code;
}

beforeAll(async () => {
	const log = (line: string) => process.stdout.write(`e2e: ${line}\n`);
	await timed('n8n install (cached after the first run)', () => ensureN8n(log));

	workDir = makeUserFolder('piggy-e2e-');
	const tarball = await timed('npm pack', () => packPackage(join(workDir, 'pack')));
	await timed('package install into ~/.n8n/nodes', () => installPackage(workDir, tarball));

	simulator = await startSimulator({ port: 0, token: TOKEN });
	instance = await n8nInstance(workDir);

	const credentials = [
		{
			id: GOOD_CREDENTIAL,
			name: 'Piggy API (local simulator)',
			type: 'piggyApi',
			data: { apiKey: TOKEN, baseUrl: `${simulator.url}/` },
		},
		{
			id: WRONG_CREDENTIAL,
			name: 'Piggy API (wrong token)',
			type: 'piggyApi',
			data: { apiKey: 'not-the-token', baseUrl: simulator.url },
		},
	];
	await timed('n8n import', async () => {
		await importCredentials(instance, credentials);
		const example = (file: string) => join(REPO_ROOT, 'examples', file);
		// These tests send and try many codes for one address: the limits are loginLimits.test.ts's.
		await importWorkflows(
			instance,
			[
				withLimits(example('send-login-code.json'), NO_LIMITS),
				withLimits(example('login-with-code.json'), NO_LIMITS),
				join(__dirname, 'workflows', 'cli-send.json'),
			],
			{ publish: [SEND_WORKFLOW, LOGIN_WORKFLOW] },
		);
	});
});

afterAll(async () => {
	await n8n?.stop();
	await simulator?.close();
	if (workDir) rmSync(workDir, { recursive: true, force: true });
	// Keep-alive sockets to n8n and the simulator would hold Jest open after the run.
	await getGlobalDispatcher().close();
	process.stdout.write(`${timings.lines('e2e timings (ms):').join('\n')}\n`);
});

test('n8n lists the node type from the installed package', async () => {
	const output = join(workDir, 'nodes.json');
	await timed('n8n export:nodes', () => n8nCli(instance, ['export:nodes', `--output=${output}`]));
	const nodes = JSON.parse(readFileSync(output, 'utf8')) as Array<{
		name: string;
		credentials?: Array<{ name: string }>;
	}>;
	const piggy = nodes.find((node) => node.name === 'n8n-nodes-piggy.piggyContactVerification');
	expect(piggy?.credentials).toEqual([{ name: 'piggyApi', required: true }]);
});

test('a headless run (execute-batch) sends a verification email', async () => {
	const snapshots = join(workDir, 'snapshots');
	mkdirSync(snapshots);
	await timed('n8n execute-batch', () =>
		n8nCli(instance, [
			'execute-batch',
			`--ids=${CLI_WORKFLOW}`,
			'--retries=0',
			`--snapshot=${snapshots}`,
			`--output=${join(workDir, 'summary.json')}`,
		]),
	);
	const snapshot = JSON.parse(
		readFileSync(join(snapshots, `${CLI_WORKFLOW}-snapshot.json`), 'utf8'),
	) as {
		status: string;
		data: {
			resultData: {
				runData: Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>>;
			};
		};
	};
	expect(snapshot.status).toBe('success');
	expect(
		snapshot.data.resultData.runData['Send Verification Email'][0].data.main[0].map(
			(item) => item.json,
		),
	).toEqual([
		{
			email: 'patrick@bikinibottom.sea',
			type: 'Success',
			message:
				'An email containing a link to verify your email has been sent to patrick@bikinibottom.sea. Please check your spam / junk as well.',
		},
	]);
	expect(await latestCode('patrick@bikinibottom.sea')).toMatch(/^\d{6}$/);
});

describe('with n8n running', () => {
	beforeAll(async () => {
		n8n = await timed('n8n start-up', () => startN8n(instance));
		cookie = await ownerSessionCookie(instance.url, BROWSER_ID);
	});

	test('the credential Test button passes with the right token and fails with a wrong one', async () => {
		// What the editor sends when Test is pressed on a saved credential.
		const test = (id: string, apiKey: string, baseUrl = `${simulator.url}/`) =>
			http('POST', `${instance.url}/rest/credentials/test`, {
				credentials: { id, name: id, type: 'piggyApi', data: { apiKey, baseUrl } },
			});
		const good = await test(GOOD_CREDENTIAL, TOKEN);
		const wrong = await test(WRONG_CREDENTIAL, 'not-the-token');
		// The node trims the Base URL; the Test button must reach the same place.
		const untrimmed = await test(GOOD_CREDENTIAL, TOKEN, ` ${simulator.url}// `);
		expect(good.json).toEqual({ data: { status: 'OK', message: 'Connection successful!' } });
		expect(wrong.json).toEqual({ data: { status: 'Error', message: 'Unauthorized' } });
		expect(untrimmed.json).toEqual(good.json);
	});

	test('send -> mailbox -> verify -> token: the login webhook answers the Contact’s token', async () => {
		const sent = await timed('webhook: send code', () =>
			webhook('piggy/send-code', { email: 'spongebob@bikinibottom.sea' }),
		);
		expect([sent.status, sent.json]).toEqual([
			200,
			{ sent: true, email: 'spongebob@bikinibottom.sea' },
		]);

		const code = await latestCode('spongebob@bikinibottom.sea');
		const login = await timed('webhook: login', () =>
			webhook('piggy/login', { email: 'spongebob@bikinibottom.sea', code }),
		);

		expect(login.status).toBe(200);
		expect(login.json).toEqual({
			uuid: '123abc-lmnopq-3242a-8899aa',
			auth_token: expect.stringMatching(/^eyJ/),
		});
	});

	describe('each documented error code reaches the error output with its reason', () => {
		test.each([
			[55031, 'contact_not_found', { email: 'nobody@example.com' }, undefined],
			[55032, 'contacts_portal_not_set_up', { email: 'squidward@bikinibottom.sea' }, undefined],
			[1003, 'invalid_input', { email: 'spongebob@bikinibottom.sea' }, { piggyCode: 1003 }],
		])('send: %i answers 422 with reason %s', async (_code, reason, body, fault) => {
			if (fault) await simulatorControl('POST', 'faults', fault);
			const response = await webhook('piggy/send-code', body);
			expect([response.status, (response.json as { reason: string }).reason]).toEqual([
				422,
				reason,
			]);
		});

		test('verify: 13010 (wrong code) answers 401 invalid_login_code', async () => {
			const response = await webhook('piggy/login', {
				email: 'spongebob@bikinibottom.sea',
				code: '000000',
			});
			expect([response.status, response.json]).toEqual([
				401,
				{ error: 'invalid_login_code', message: 'The login code is wrong or already used' },
			]);
		});

		test.each([
			[1053, 'account_secret_invalid'],
			[3000, 'token_expired'],
		])('auth token: %i after a good verify answers 401 %s', async (piggyCode, reason) => {
			await webhook('piggy/send-code', { email: 'spongebob@bikinibottom.sea' });
			const code = await latestCode('spongebob@bikinibottom.sea');
			await simulatorControl('POST', 'faults', {});
			await simulatorControl('POST', 'faults', { piggyCode });

			const response = await webhook('piggy/login', { email: 'spongebob@bikinibottom.sea', code });

			expect([response.status, (response.json as { error: string }).error]).toEqual([401, reason]);
		});
	});

	test('the Test button refuses a Base URL that is not https or includes /api/v3, and follows no redirect', async () => {
		const elsewhere = await localServer((_request, response) => response.end('{"data":[]}'));
		const redirecting = await localServer((_request, response) => {
			response.writeHead(302, { Location: `${elsewhere.url}/api/v3/oauth/clients/shops` }).end();
		});
		try {
			const test = (baseUrl: string) =>
				http('POST', `${instance.url}/rest/credentials/test`, {
					credentials: {
						id: GOOD_CREDENTIAL,
						name: GOOD_CREDENTIAL,
						type: 'piggyApi',
						data: { apiKey: TOKEN, baseUrl },
					},
				});
			const plainHttp = await test('http://api.piggy.eu');
			// As Piggy's documentation writes its URLs (README, "Troubleshooting").
			const withApiPath = await test(`${simulator.url}/api/v3`);
			const redirected = await test(redirecting.url);

			expect(plainHttp.json).toEqual({
				data: {
					status: 'Error',
					message:
						'The Base URL in the Piggy API credential must start with https:// (http:// is allowed only for this machine: localhost, 127.0.0.1 or ::1)',
				},
			});
			expect(withApiPath.json).toEqual({
				data: {
					status: 'Error',
					message:
						'The Base URL in the Piggy API credential must not include /api/v3: the node adds it (use https://api.piggy.eu or https://api.leat.com)',
				},
			});
			expect((redirected.json as { data: { status: string } }).data.status).toBe('Error');
			expect(redirecting.requests.map((seen) => seen.authorization)).toEqual([`Bearer ${TOKEN}`]);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await Promise.all([elsewhere.close(), redirecting.close()]);
		}
	});

	test('a hostile visitor: a 1 MB "email" is answered 422 invalid_parameter at once', async () => {
		const started = performance.now();
		const response = await webhook('piggy/send-code', { email: `a@${'.'.repeat(1024 * 1024)}@` });

		expect(performance.now() - started).toBeLessThan(2_000);
		expect([response.status, response.json]).toEqual([
			422,
			{
				sent: false,
				reason: 'invalid_parameter',
				message: 'Email is too long on item 0 (1048579 characters, at most 254)',
			},
		]);
	});

	test('stopping n8n leaves nothing running', async () => {
		const pid = n8n!.process.pid!;
		await n8n!.stop();
		expect(() => process.kill(-pid, 0)).toThrow(/ESRCH/);
	});
});
