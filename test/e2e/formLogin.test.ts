import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { request } from 'undici';

import { withChromium } from '../../tools/chromium/chromium';
import { REPO_ROOT } from '../../tools/n8n/n8n';
import { NO_LIMITS, withLimits } from '../harness/loginLimits';
import { ExampleN8n, submitForm } from './formSuite';
import type { FormPage } from './formVisitor';
import { FormVisitor } from './formVisitor';
import { StepTimings } from './stepTimings';

// The form login page (examples/form-login.json) in a real n8n 2.41.1 with the packed package,
// against the Piggy simulator, driven in headless Chromium as a visitor uses it: every path ends
// on a page a visitor understands, and no page shows a token, a UUID or Piggy's words. What a
// script sees is replayed over HTTP (formVisitor.ts) where that proves what a browser cannot.
// The workflow's limits are set off here (loginLimits.test.ts tests them).

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

const piggyCalls: string[] = [];
const n8n = new ExampleN8n({
	label: 'form',
	token: TOKEN,
	timings,
	simulatorLog: (line) => piggyCalls.push(line),
});
const visitors: FormVisitor[] = [];
/** The HTML of every page Chromium showed, as rendered. */
const browserPages: string[] = [];

// The page polls after 1 s; polling sooner sends the same requests and keeps the suite short.
function visitor(): FormVisitor {
	const created = new FormVisitor({ firstPollMs: 100 });
	visitors.push(created);
	return created;
}

const formUrl = () => `${n8n.url}/form/piggy-login`;

const simulatorControl = (method: 'GET' | 'POST', path: string, body?: unknown) =>
	n8n.control(method, path, body);
const latestCode = async (email: string) => (await n8n.mailbox(email))[0];

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

// These tests send many codes to one address: the limits are loginLimits.test.ts's.
beforeAll(() => n8n.start([withLimits(join(REPO_ROOT, 'examples', 'form-login.json'), NO_LIMITS)]));

afterAll(() => n8n.stop());

afterEach(async () => {
	// A test that failed half-way must not leave faults for the next one.
	await request(`${n8n.simulator.url}/_simulator/faults`, { method: 'DELETE' }).then((response) =>
		response.body.dump(),
	);
});

// What a script sees, replayed over HTTP (formVisitor.ts): these prove what a browser run cannot.
// A script reads the bytes n8n serves, not the rendered page, so the code pages of a Contact and
// of a stranger must be the same bytes; and every page this suite was served, by either visitor,
// is searched as served for what no page may hold.
describe('as a script sees it (HTTP)', () => {
	test('an unknown address gets the code page byte for byte, then the wrong-code page', async () => {
		const known = await emailPage(SPONGEBOB.email);
		const strangerBrowser = visitor();
		let ending: FormPage | undefined;
		const calls = await callsDuring(async () => {
			const stranger = await emailPage('nobody@example.com', strangerBrowser);
			expect(stranger.html).toBe(known.html);
			ending = await strangerBrowser.submit(stranger, { 'Login code': '123456' });
		});

		expect(calls).toEqual(['POST send -> 400', 'POST verify -> 400']);
		expect(ending?.title).toBe(PAGES.wrongCode);
	});
});

// The page in headless Chromium, as a visitor uses it: typing, pressing the button, reading the
// page the form goes on to, following its link. The page's own script runs (its checks, polling,
// the ending's resume).
describe('in Chromium', () => {
	const inBrowser = <T>(use: (page: Page) => Promise<T>) =>
		withChromium({ viewport: { width: 800, height: 700 } }, use);

	/** The page's heading and text as shown, kept for the last test. */
	async function shown(page: Page): Promise<{ title: string; text: string }> {
		browserPages.push(await page.content());
		return {
			title: await page.locator('h1:visible').first().innerText(),
			text: await page.locator('body').innerText(),
		};
	}

	async function submit(page: Page, value: string, nextTitle: string) {
		await submitForm(page, value, nextTitle);
		return await shown(page);
	}

	async function openEmailPage(page: Page) {
		await page.goto(formUrl());
		return await shown(page);
	}

	/** The email page, then the code page for `email`. */
	async function toCodePage(page: Page, email = SPONGEBOB.email) {
		await openEmailPage(page);
		return await submit(page, email, PAGES.code);
	}

	test('the email page: "Log in", one Email field, and what it does', async () => {
		await inBrowser(async (page) => {
			const { title, text } = await openEmailPage(page);
			expect(title).toBe(PAGES.email);
			expect(text).toContain(
				"Enter the email address of your account and we'll email you a login code.",
			);
			expect(await page.locator('form input:visible').count()).toBe(1);
			expect(await page.locator('label:visible').allInnerTexts()).toEqual(['Email']);
		});
	});

	test('a whole login: email, code from the mailbox, "You’re logged in"', async () => {
		const calls = await callsDuring(() =>
			inBrowser(async (page) => {
				const codePage = await toCodePage(page);
				expect(codePage.text).toContain('If this address has an account, a code is on its way.');
				const ending = await submit(page, await latestCode(SPONGEBOB.email), PAGES.loggedIn);
				expect(ending.text).toContain('Your email address is verified.');
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
			await toCodePage(page);
			const ending = await submit(page, '000000', PAGES.wrongCode);
			expect(ending.text).toContain('The code is wrong, already used or expired.');
			await page.getByRole('link', { name: 'Get a new code' }).click();
			await page.locator('h1', { hasText: PAGES.email }).waitFor();
			expect(page.url()).toBe(formUrl());
		});
	});

	test('a code already used for a login: the same wrong-code page', async () => {
		await inBrowser(async (page) => {
			await toCodePage(page);
			const used = await latestCode(SPONGEBOB.email);
			await submit(page, used, PAGES.loggedIn);
			await page.waitForTimeout(1500);

			await toCodePage(page);
			expect(await latestCode(SPONGEBOB.email)).not.toBe(used);
			await submit(page, used, PAGES.wrongCode);
		});
	});

	test('an unknown address: the code page, then the wrong-code page', async () => {
		await inBrowser(async (page) => {
			const codePage = await toCodePage(page, 'nobody@example.com');
			expect(codePage.text).toContain('If this address has an account, a code is on its way.');
			await submit(page, '123456', PAGES.wrongCode);
		});
	});

	test('portal not set up: "Login is not available"', async () => {
		await inBrowser(async (page) => {
			await openEmailPage(page);
			const ending = await submit(page, SQUIDWARD, PAGES.notAvailable);
			expect(ending.text).toContain(
				'Logging in with an email code is not available right now. Please contact us.',
			);
		});
	});

	test('account secret invalid after a good code (1053 on the auth token): "Login is not available"', async () => {
		await inBrowser(async (page) => {
			await toCodePage(page);
			const code = await latestCode(SPONGEBOB.email);
			await simulatorControl('POST', 'faults', { piggyCode: 1053 });
			await submit(page, code, PAGES.notAvailable);
		});
	});

	test('Piggy unavailable on send (503 three times, after the node’s retries): "Please try again in a few minutes"', async () => {
		await simulatorControl('POST', 'faults', { status: 503, times: 3 });
		const calls = await callsDuring(() =>
			inBrowser(async (page) => {
				await openEmailPage(page);
				const ending = await submit(page, SPONGEBOB.email, PAGES.tryLater);
				expect(ending.text).toContain(
					'We could not log you in just now. Try again in a few minutes.',
				);
				await page.getByRole('link').first().click();
				await page.locator('h1', { hasText: PAGES.email }).waitFor();
			}),
		);
		expect(calls).toEqual(['POST send -> 503', 'POST send -> 503', 'POST send -> 503']);
	});

	test.each([
		['a server error (500) on verify', { status: 500 }],
		['rate limiting past the retries (429 x 3) on verify', { status: 429, times: 3 }],
	])('Piggy unavailable: %s: "Please try again in a few minutes"', async (_label, fault) => {
		await inBrowser(async (page) => {
			await toCodePage(page);
			const code = await latestCode(SPONGEBOB.email);
			await simulatorControl('POST', 'faults', fault);
			await submit(page, code, PAGES.tryLater);
		});
	});

	test('an address the page accepts but Piggy cannot take (over 254 characters): "Check your email address"', async () => {
		await inBrowser(async (page) => {
			await openEmailPage(page);
			const ending = await submit(page, `${'a'.repeat(250)}@example.com`, PAGES.checkAddress);
			expect(ending.text).toContain(
				'That does not look like an email address we can send a code to.',
			);
		});
	});

	// An empty field is refused by n8n's page script (its own required check); a malformed address
	// by the browser itself (an email input that is not valid).
	test.each([
		['an empty', '', true],
		['a malformed', 'not an address', false],
	])('the page refuses %s address itself: nothing reaches Piggy', async (_label, typed, valid) => {
		const calls = await callsDuring(() =>
			inBrowser(async (page) => {
				await openEmailPage(page);
				await page.locator('input[type=email]').fill(typed);
				await page.locator('#submit-btn').click();
				await page.waitForTimeout(1500);
				expect(await page.locator('h1:visible').innerText()).toBe(PAGES.email);
				expect(
					await page
						.locator('input[type=email]')
						.evaluate((input) => (input as { validity: { valid: boolean } }).validity.valid),
				).toBe(valid);
			}),
		);
		expect(calls).toEqual([]);
	});
});

test('no page served to either visitor showed a token, a UUID, a reason or anything Piggy said', () => {
	const served = [
		...visitors.flatMap((seen) => seen.seen.map((page) => page.html)),
		...browserPages,
	];
	expect(browserPages.length).toBeGreaterThan(25);
	const shown = served.join('\n');
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

test('stopping n8n leaves nothing running', async () => {
	const pid = n8n.running.process.pid!;
	await n8n.running.stop();
	expect(() => process.kill(-pid, 0)).toThrow(/ESRCH/);
});
