import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { getGlobalDispatcher, request } from 'undici';

import { withChromium } from '../../tools/chromium/chromium';
import type { RunningSimulator } from '../../tools/simulator/server';
import { startSimulator } from '../../tools/simulator/server';
import type { N8nInstance, RunningN8n } from '../../tools/n8n/n8n';
import {
	REPO_ROOT,
	ensureN8n,
	importCredentials,
	installPackage,
	makeUserFolder,
	importWorkflows,
	n8nInstance,
	packPackage,
	startN8n,
} from '../../tools/n8n/n8n';
import { NO_LIMITS, withLimits } from '../harness/loginLimits';
import type { FormPage } from './formVisitor';
import { FormVisitor } from './formVisitor';
import { StepTimings } from './stepTimings';

// The form login page (examples/form-login.json) in a real n8n 2.41.1 with the packed package,
// against the Piggy simulator, visited the way a browser does (see formVisitor.ts): every path
// ends on a page a visitor understands, and no page shows a token, a UUID or Piggy's words.

const TOKEN = 'e2e-form-piggy-token';
const SPONGEBOB = { email: 'spongebob@bikinibottom.sea', uuid: '123abc-lmnopq-3242a-8899aa' };
const SQUIDWARD = 'squidward@bikinibottom.sea';

const PAGES = {
	email: 'Log in',
	code: 'Check your email',
	loggedIn: "You're logged in",
	wrongCode: 'That code did not work',
	notAvailable: 'Login is not available',
	tryLater: 'Please try again in a few minutes',
	checkAddress: 'Check your email address',
};

const timings = new StepTimings();
const { timed } = timings;

let simulator: RunningSimulator;
let instance: N8nInstance;
let n8n: RunningN8n | undefined;
let workDir: string;
const piggyCalls: string[] = [];
const visitors: FormVisitor[] = [];

// The page polls after 1 s; polling sooner sends the same requests and keeps the suite short.
function visitor(): FormVisitor {
	const created = new FormVisitor({ firstPollMs: 100 });
	visitors.push(created);
	return created;
}

const formUrl = () => `${instance.url}/form/piggy-login`;

async function simulatorControl(method: 'GET' | 'POST', path: string, body?: unknown) {
	const response = await request(`${simulator.url}/_simulator/${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.body.json()) as { data: Array<{ code: string }> };
}

async function latestCode(email: string): Promise<string> {
	const mailbox = await simulatorControl('GET', `mailbox?email=${encodeURIComponent(email)}`);
	return mailbox.data[0].code;
}

/** The Piggy calls made while `step` ran, as "METHOD path -> status". */
async function callsDuring(step: () => Promise<void>): Promise<string[]> {
	const before = piggyCalls.length;
	await step();
	return piggyCalls
		.slice(before)
		.filter((line) => !line.includes(' /_simulator/'))
		.map((line) => line.replace(/^(\w+) \/api\/v3\/oauth\/clients\/contact-verification\//, '$1 '))
		.map((line) => line.replace(/ \([\d.]+ ms\)$/, ''));
}

async function emailPage(email: string, by = visitor()): Promise<FormPage> {
	const start = await by.open(formUrl());
	return await by.submit(start, { Email: email });
}

beforeAll(async () => {
	const log = (line: string) => process.stdout.write(`e2e form: ${line}\n`);
	await timed('n8n install (cached after the first run)', () => ensureN8n(log));

	workDir = makeUserFolder('piggy-e2e-form-');
	const tarball = await timed('npm pack', () => packPackage(join(workDir, 'pack')));
	await timed('package install into ~/.n8n/nodes', () => installPackage(workDir, tarball));

	simulator = await startSimulator({
		port: 0,
		token: TOKEN,
		log: (line) => piggyCalls.push(line),
	});
	instance = await n8nInstance(workDir);
	await timed('n8n import and publish', async () => {
		await importCredentials(instance, [
			{
				id: 'piggySimulator01',
				name: 'Piggy API (local simulator)',
				type: 'piggyApi',
				data: { apiKey: TOKEN, baseUrl: simulator.url },
			},
		]);
		// These tests send many codes to one address: the limits are loginLimits.test.ts's.
		const formLogin = withLimits(join(REPO_ROOT, 'examples', 'form-login.json'), NO_LIMITS);
		await importWorkflows(instance, [formLogin], { publish: true });
	});
	n8n = await timed('n8n start-up', () => startN8n(instance));
});

afterAll(async () => {
	await n8n?.stop();
	await simulator?.close();
	if (workDir) rmSync(workDir, { recursive: true, force: true });
	await getGlobalDispatcher().close();
	process.stdout.write(`${timings.lines('e2e form timings (ms):').join('\n')}\n`);
});

afterEach(async () => {
	// A test that failed half-way must not leave faults for the next one.
	await request(`${simulator.url}/_simulator/faults`, { method: 'DELETE' }).then((response) =>
		response.body.dump(),
	);
});

test('the email page: the Form Trigger’s page at /form/piggy-login, one Email field', async () => {
	const page = await visitor().open(formUrl());

	expect([page.kind, page.title, page.labels]).toEqual(['form', PAGES.email, ['Email']]);
	expect(page.text).toBe(
		"Enter the email address of your account and we'll email you a login code.",
	);
});

test('a whole login: email page, code page, code from the mailbox, "You’re logged in"', async () => {
	const browser = visitor();
	let ending: FormPage | undefined;
	let finalStatus = '';
	const calls = await callsDuring(async () => {
		const codePage = await timed('form: email page -> code page', () =>
			emailPage(SPONGEBOB.email, browser),
		);
		expect([codePage.kind, codePage.title, codePage.labels]).toEqual([
			'form',
			PAGES.code,
			['Login code'],
		]);
		expect(codePage.text).toContain('If this address has an account, a code is on its way.');

		const code = await latestCode(SPONGEBOB.email);
		ending = await timed('form: code page -> ending', () =>
			browser.submit(codePage, { 'Login code': code }),
		);
		finalStatus = await timed('form: ending resumes and ends the run', () =>
			browser.finish(ending!),
		);
	});

	expect([ending?.kind, ending?.title, ending?.text]).toEqual([
		'ending',
		PAGES.loggedIn,
		'Your email address is verified.',
	]);
	expect(finalStatus).toBe('success');
	// Verify Login Code with Include Auth Token: the token was fetched, and stayed in the workflow.
	expect(calls).toEqual([
		'POST send -> 200',
		'POST verify -> 200',
		`GET auth-token/${SPONGEBOB.uuid} -> 200`,
	]);
});

test('a wrong code ends on "That code did not work", whose link starts over', async () => {
	const browser = visitor();
	const codePage = await emailPage(SPONGEBOB.email, browser);
	const ending = await browser.submit(codePage, { 'Login code': '000000' });

	expect([ending.title, ending.text]).toEqual([
		PAGES.wrongCode,
		'The code is wrong, already used or expired. Get a new code',
	]);
	expect(ending.links).toEqual([formUrl()]);
	expect(await browser.finish(ending)).toBe('success');
	expect((await browser.open(ending.links[0])).title).toBe(PAGES.email);
});

test('a code already used for a login ends on the same page', async () => {
	const first = visitor();
	const firstCodePage = await emailPage(SPONGEBOB.email, first);
	const used = await latestCode(SPONGEBOB.email);
	await first.finish(await first.submit(firstCodePage, { 'Login code': used }));

	const second = visitor();
	const codePage = await emailPage(SPONGEBOB.email, second);
	expect(await latestCode(SPONGEBOB.email)).not.toBe(used);
	const ending = await second.submit(codePage, { 'Login code': used });

	expect(ending.title).toBe(PAGES.wrongCode);
});

test('an unknown address gets the very same code page, then the wrong-code page', async () => {
	const known = await emailPage(SPONGEBOB.email);
	const strangerBrowser = visitor();
	let ending: FormPage | undefined;
	const calls = await callsDuring(async () => {
		const stranger = await emailPage('nobody@example.com', strangerBrowser);
		// Byte for byte: nothing on the page tells whether the address is a Contact.
		expect(stranger.html).toBe(known.html);
		ending = await strangerBrowser.submit(stranger, { 'Login code': '123456' });
	});

	expect(calls).toEqual(['POST send -> 400', 'POST verify -> 400']);
	expect(ending?.title).toBe(PAGES.wrongCode);
});

test('portal not set up: "Login is not available", straight after the email page', async () => {
	const browser = visitor();
	const ending = await emailPage(SQUIDWARD, browser);

	expect([ending.kind, ending.title, ending.text]).toEqual([
		'ending',
		PAGES.notAvailable,
		'Logging in with an email code is not available right now. Please contact us.',
	]);
	expect(await browser.finish(ending)).toBe('success');
});

test('account secret invalid after a good code (1053 on the auth token): "Login is not available"', async () => {
	const browser = visitor();
	const codePage = await emailPage(SPONGEBOB.email, browser);
	const code = await latestCode(SPONGEBOB.email);
	await simulatorControl('POST', 'faults', {});
	await simulatorControl('POST', 'faults', { piggyCode: 1053 });

	const ending = await browser.submit(codePage, { 'Login code': code });

	expect(ending.title).toBe(PAGES.notAvailable);
});

test('Piggy unavailable on send (503 three times, after the node’s retries): "try again in a few minutes"', async () => {
	const browser = visitor();
	await simulatorControl('POST', 'faults', { status: 503, times: 3 });
	let ending: FormPage | undefined;
	const calls = await callsDuring(async () => {
		ending = await timed('form: send with 3 x 503 -> ending', () =>
			emailPage(SPONGEBOB.email, browser),
		);
	});

	expect(calls).toEqual(['POST send -> 503', 'POST send -> 503', 'POST send -> 503']);
	expect([ending?.title, ending?.text]).toEqual([
		PAGES.tryLater,
		'We could not log you in just now. Try again in a few minutes.',
	]);
	expect(ending?.links).toEqual([formUrl()]);
	expect(await browser.finish(ending!)).toBe('success');
});

test.each([
	['a server error (500) on verify', { status: 500 }],
	['rate limiting past the retries (429 x 3) on verify', { status: 429, times: 3 }],
])('Piggy unavailable: %s ends on "try again in a few minutes"', async (_label, fault) => {
	const browser = visitor();
	const codePage = await emailPage(SPONGEBOB.email, browser);
	const code = await latestCode(SPONGEBOB.email);
	await simulatorControl('POST', 'faults', fault);

	const ending = await browser.submit(codePage, { 'Login code': code });

	expect(ending.title).toBe(PAGES.tryLater);
});

test('an address the page accepts but Piggy cannot take (over 254 characters): "Check your email address"', async () => {
	const tooLong = `${'a'.repeat(250)}@example.com`;
	const ending = await emailPage(tooLong);

	expect([ending.title, ending.text]).toEqual([
		PAGES.checkAddress,
		'That does not look like an email address we can send a code to. Try again',
	]);
});

test('the page itself refuses an empty or malformed email, as a browser does', async () => {
	const browser = visitor();
	const start = await browser.open(formUrl());

	await expect(browser.submit(start, { Email: '' })).rejects.toThrow(/"Email" is required/);
	await expect(browser.submit(start, { Email: 'jane.example.com' })).rejects.toThrow(
		/not an email address/,
	);
});

test('no page showed a token, a UUID, a reason or anything Piggy said', () => {
	const pages = visitors.flatMap((seen) => seen.seen);
	expect(pages.length).toBeGreaterThan(20);
	const shown = pages.map((page) => page.html).join('\n');
	for (const secret of [
		SPONGEBOB.uuid,
		'eyJ', // the simulator's auth tokens are JWT-shaped
		TOKEN,
		'contact_not_found',
		'invalid_login_code',
		'contacts_portal_not_set_up',
		'account_secret_invalid',
		'maintenance',
		'server_error',
		'Passcode not found',
		'Contact not found',
		'User app not found',
		'Account secret is invalid',
		'Piggy',
	]) {
		expect({ secret, found: shown.includes(secret) }).toEqual({ secret, found: false });
	}
});

// The same page in headless Chromium, as a visitor uses it: typing, pressing the button, reading
// the page the form goes on to, following its link. The page's own script runs (polling, the
// ending's resume), which the HTTP visitor above replays by hand.
describe('in Chromium', () => {
	const inBrowser = <T>(use: (page: Page) => Promise<T>) =>
		withChromium({ viewport: { width: 800, height: 700 } }, use);

	/** Types `value` into the page's one field, presses the button, answers the next page's title. */
	async function submit(page: Page, value: string, nextTitle: string): Promise<string> {
		await page.locator('form input:visible').first().fill(value);
		await page.locator('#submit-btn').click();
		const heading = page.locator('h1', { hasText: nextTitle });
		// n8n's page asks every second whether the run has moved on.
		await heading.waitFor({ timeout: 30_000 });
		return await page.locator('body').innerText();
	}

	test('a whole login: email, code from the mailbox, "You’re logged in"', async () => {
		const calls = await callsDuring(() =>
			inBrowser(async (page) => {
				await page.goto(formUrl());
				await submit(page, SPONGEBOB.email, PAGES.code);
				const ending = await submit(page, await latestCode(SPONGEBOB.email), PAGES.loggedIn);
				expect(ending).toContain('Your email address is verified.');
				// The ending page's script resumes the run: wait for the last call to Piggy.
				await page.waitForTimeout(1500);
			}),
		);
		expect(calls).toEqual([
			'POST send -> 200',
			'POST verify -> 200',
			`GET auth-token/${SPONGEBOB.uuid} -> 200`,
		]);
	});

	test('a wrong code: "That code did not work", and its link starts over', async () => {
		await inBrowser(async (page) => {
			await page.goto(formUrl());
			await submit(page, SPONGEBOB.email, PAGES.code);
			const ending = await submit(page, '000000', PAGES.wrongCode);
			expect(ending).toContain('The code is wrong, already used or expired.');
			await page.getByRole('link', { name: 'Get a new code' }).click();
			await page.locator('h1', { hasText: PAGES.email }).waitFor();
			expect(page.url()).toBe(formUrl());
		});
	});

	test('portal not set up: "Login is not available"', async () => {
		await inBrowser(async (page) => {
			await page.goto(formUrl());
			await submit(page, SQUIDWARD, PAGES.notAvailable);
		});
	});

	test('Piggy unavailable (503 three times): "Please try again in a few minutes"', async () => {
		await simulatorControl('POST', 'faults', { status: 503, times: 3 });
		await inBrowser(async (page) => {
			await page.goto(formUrl());
			await submit(page, SPONGEBOB.email, PAGES.tryLater);
		});
	});

	test('the page refuses a malformed address itself: nothing reaches Piggy', async () => {
		const calls = await callsDuring(() =>
			inBrowser(async (page) => {
				await page.goto(formUrl());
				await page.locator('input[type=email]').fill('not an address');
				await page.locator('#submit-btn').click();
				await page.waitForTimeout(1500);
				expect(await page.locator('h1:visible').innerText()).toBe(PAGES.email);
				expect(
					await page
						.locator('input[type=email]')
						.evaluate((input) => (input as { validity: { valid: boolean } }).validity.valid),
				).toBe(false);
			}),
		);
		expect(calls).toEqual([]);
	});
});

test('stopping n8n leaves nothing running', async () => {
	const pid = n8n!.process.pid!;
	await n8n!.stop();
	expect(() => process.kill(-pid, 0)).toThrow(/ESRCH/);
});
