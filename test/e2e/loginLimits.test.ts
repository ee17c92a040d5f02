import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { request } from 'undici';

import { withChromium } from '../../tools/chromium/chromium';
import { REPO_ROOT } from '../../tools/n8n/n8n';
import { readLimits, separateCopy, withLimits } from '../harness/loginLimits';
import { ExampleN8n, submitForm } from './formSuite';
import { FormVisitor } from './formVisitor';
import { StepTimings } from './stepTimings';

// The limits of the login examples (their "Limits" node and the Data Table "Piggy login limits"),
// in a real n8n 2.41.1 with the packed package and the Piggy simulator. The form login page runs
// as shipped (60 s between codes, 5 an hour, 20 a minute; 5 tries per code, forgotten after 900 s,
// 30 a minute) and is driven in Chromium and by a script. The webhooks run with limits set in
// their Limits nodes, as a builder changes them: the send-a-code webhook with a cooldown of 2 s,
// so that waiting one out takes seconds, the login webhook as shipped but for 100 tries a minute
// (the suite tries more than 30 codes a minute on purpose). Copies with their own tables and
// paths have a per-minute cap of 4 codes, a per-minute cap of 4 tries, and tries forgotten after
// 3 s. The form's tests run first: its per-minute cap on tries counts the webhooks' tries too.

const TOKEN = 'e2e-limits-piggy-token';
const FORM_PAGE_TITLES = {
	email: 'Log in',
	code: 'Check your email',
	loggedIn: "You're logged in",
	wrong: 'That code did not work',
};
const SEND = { secondsBetweenCodes: 2, codesPerAddressPerHour: 3, codesPerMinute: 100 };
const PER_MINUTE = 4;
const LOGIN = { triesPerMinute: 100 };
const TRIES_PER_CODE = 5;
const TRIES_PER_MINUTE = 4;
const SECONDS_TO_FORGET_TRIES = 3;
const WRONG_CODE_ANSWER = `401 application/json; charset=utf-8 ${JSON.stringify({
	error: 'invalid_login_code',
	message: 'The login code is wrong or already used',
})}`;

const timings = new StepTimings();
const { timed } = timings;
/** What a burst let through, printed at the end: the bound is a maximum, the count a measurement. */
const findings: string[] = [];
const found = (line: string) => findings.push(line);

const n8n = new ExampleN8n({ label: 'limits', token: TOKEN, timings });
let contacts = 0;

const example = (file: string) => join(REPO_ROOT, 'examples', file);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The send-a-code example at its own path, with its own table and a per-minute cap of 4. */
const perMinuteCopy = () =>
	separateCopy(example('send-login-code.json'), {
		id: 'piggySendCodeMin',
		name: 'Piggy: send a login code (per-minute cap)',
		path: 'piggy/send-code-per-minute',
		webhookId: '4f1f7a0e-5d2b-4d7e-8c11-2b6e0d5a9f99',
		tableName: 'Per-minute test codes',
		limits: { ...SEND, codesPerMinute: PER_MINUTE },
	});

/** The login example at its own path, with its own table and the limits given. */
const loginCopy = (id: string, path: string, webhookSuffix: string, limits: object) =>
	separateCopy(example('login-with-code.json'), {
		id,
		name: `Piggy: log in with a code (${path})`,
		path,
		webhookId: `9a3c6b2d-1e4f-4a5b-9c7d-6f0e2a7b1c${webhookSuffix}`,
		tableName: `Tries for ${path}`,
		limits: { ...LOGIN, ...limits },
	});

/** A new Contact of the simulator's, so that no other test has sent it a code. */
async function newContact(): Promise<string> {
	contacts += 1;
	const email = `limits-${contacts}-${Date.now()}@bikinibottom.sea`;
	await n8n.control('POST', 'contacts', { email });
	return email;
}

/** How many codes Piggy has emailed to `email`. */
const codesSent = async (email: string) => (await n8n.mailbox(email)).length;
const latestCode = async (email: string) => (await n8n.mailbox(email))[0];
/** How many codes reached Piggy's verify for `email`. */
const codesTried = (email: string) => n8n.simulator.state.triesFor(email).length;

/** POSTs `{email}` to a webhook; answers the status and the body as sent. */
async function askForCode(email: string, path = 'piggy/send-code'): Promise<string> {
	const response = await request(`${n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email }),
	});
	return `${response.statusCode} ${await response.body.text()}`;
}

const sentAnswer = (email: string) =>
	`200 ${JSON.stringify({ sent: true, email: email.trim().toLowerCase() })}`;

/** POSTs `{email, code}` to a login webhook; answers the status, content type and body. */
async function logIn(email: string, code: string, path = 'piggy/login'): Promise<string> {
	const response = await request(`${n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, code }),
	});
	return `${response.statusCode} ${String(response.headers['content-type'])} ${await response.body.text()}`;
}

/** `count` six-digit codes that are not `code`. */
const wrongCodes = (count: number, code = '') =>
	Array.from({ length: count + 1 }, (_, n) => String(100000 + n))
		.filter((guess) => guess !== code)
		.slice(0, count);

/** A Contact that was just sent a code by the send-a-code webhook, and that code. */
async function contactWithCode(): Promise<{ email: string; code: string }> {
	const email = await newContact();
	expect(await askForCode(email)).toBe(sentAnswer(email));
	return { email, code: await latestCode(email) };
}

const loggedIn = (answer: string) => answer.startsWith('200 ') && answer.includes('"auth_token"');

beforeAll(() =>
	n8n.start([
		example('form-login.json'),
		withLimits(example('send-login-code.json'), SEND),
		withLimits(example('login-with-code.json'), LOGIN),
		perMinuteCopy(),
		loginCopy('piggyLoginMinute', 'piggy/login-per-minute', '97', {
			triesPerMinute: TRIES_PER_MINUTE,
		}),
		loginCopy('piggyLoginWindow', 'piggy/login-short-window', '96', {
			secondsToForgetTries: SECONDS_TO_FORGET_TRIES,
		}),
	]),
);

afterAll(async () => {
	await n8n.stop();
	process.stdout.write(`e2e limits findings:\n${findings.map((line) => `  ${line}\n`).join('')}`);
});

// The form login page as shipped, in headless Chromium: a visitor who submits the email page
// twice gets one email and the same code page twice; the code from that one email logs in.
describe('the form login page, as shipped, in Chromium', () => {
	const formUrl = () => `${n8n.url}/form/piggy-login`;

	async function submit(page: Page, value: string, nextTitle: string): Promise<string> {
		await submitForm(page, value, nextTitle);
		return await page.locator('body').innerText();
	}

	test('its limits are the defaults: 60 s between codes, 5 an hour, 20 a minute; 5 tries per code, forgotten after 900 s, 30 a minute', () => {
		expect(readLimits(withLimits(example('form-login.json'), {}))).toEqual({
			secondsBetweenCodes: 60,
			codesPerAddressPerHour: 5,
			codesPerMinute: 20,
			triesPerCode: TRIES_PER_CODE,
			secondsToForgetTries: 900,
			triesPerMinute: 30,
		});
	});

	// A public form will be scripted: a script posts the page without a browser, many at once.
	// Replayed over HTTP (formVisitor.ts), as no browser run can do, with the bytes it is served.
	test('a script posting the email page 5 times at once: one email, 5 identical code pages', async () => {
		const email = await newContact();
		const pages = await Promise.all(
			Array.from({ length: 5 }, async () => {
				const script = new FormVisitor({ firstPollMs: 100 });
				return await script.submit(await script.open(formUrl()), { Email: email });
			}),
		);

		expect(pages.map((page) => page.title)).toEqual(Array(5).fill(FORM_PAGE_TITLES.code));
		expect(new Set(pages.map((page) => page.html)).size).toBe(1);
		expect(await codesSent(email)).toBe(1);
	});

	test('the email page twice: one email, the same code page twice, and its code logs in', async () => {
		const email = await newContact();
		await withChromium({ viewport: { width: 800, height: 700 } }, async (page) => {
			await page.goto(formUrl());
			const first = await submit(page, email, FORM_PAGE_TITLES.code);
			await page.goto(formUrl());
			const second = await submit(page, ` ${email.toUpperCase()}`, FORM_PAGE_TITLES.code);
			expect(second).toBe(first);
			expect(await codesSent(email)).toBe(1);

			const ending = await submit(page, await latestCode(email), FORM_PAGE_TITLES.loggedIn);
			expect(ending).toContain('Your email address is verified.');
		});
	});
	// A code can be guessed: every code typed on the code page counts as a try, also in a run whose
	// send a limit held back (the visitor may still have an earlier code).
	test(`a visitor typing wrong codes: ${TRIES_PER_CODE} reach Piggy, then the right code gets the wrong-code page; a new code logs in`, async () => {
		const email = await newContact();
		await withChromium({ viewport: { width: 800, height: 700 } }, async (page) => {
			const wrongPages: string[] = [];
			let firstSent = 0;
			for (const guess of wrongCodes(TRIES_PER_CODE + 1, '')) {
				await page.goto(formUrl());
				await submit(page, email, FORM_PAGE_TITLES.code);
				firstSent ||= Date.now();
				const code = await latestCode(email);
				wrongPages.push(
					await submit(page, guess === code ? '999999' : guess, FORM_PAGE_TITLES.wrong),
				);
			}
			expect(new Set(wrongPages).size).toBe(1);
			expect(await codesSent(email)).toBe(1);
			expect(codesTried(email)).toBe(TRIES_PER_CODE);

			await page.goto(formUrl());
			await submit(page, email, FORM_PAGE_TITLES.code);
			expect(await submit(page, await latestCode(email), FORM_PAGE_TITLES.wrong)).toBe(
				wrongPages[0],
			);
			expect(codesTried(email)).toBe(TRIES_PER_CODE);

			// The shipped cooldown is 60 s: the next code goes out after it.
			await sleep(Math.max(0, firstSent + 61_000 - Date.now()));
			await page.goto(formUrl());
			await submit(page, email, FORM_PAGE_TITLES.code);
			expect(await codesSent(email)).toBe(2);
			const ending = await submit(page, await latestCode(email), FORM_PAGE_TITLES.loggedIn);
			expect(ending).toContain('Your email address is verified.');
		});
	});

	test(`a script posting the email page and a wrong code 20 times at once: at most ${TRIES_PER_CODE} codes reach Piggy, 20 identical pages`, async () => {
		const email = await newContact();
		const endings = await Promise.all(
			wrongCodes(20).map(async (guess) => {
				const script = new FormVisitor({ firstPollMs: 100 });
				const codePage = await script.submit(await script.open(formUrl()), { Email: email });
				return await script.submit(codePage, { 'Login code': guess });
			}),
		);

		expect(endings.map((page) => page.title)).toEqual(Array(20).fill(FORM_PAGE_TITLES.wrong));
		expect(new Set(endings.map((page) => page.html)).size).toBe(1);
		const tried = codesTried(email);
		found(`form, a script posting a wrong code 20 times at once: ${tried} reached Piggy`);
		expect(tried).toBeLessThanOrEqual(TRIES_PER_CODE);
		expect(tried).toBeGreaterThan(0);
	});
});

describe('the send-a-code webhook', () => {
	test('a burst of 5 requests for one address sends one email; all 5 get the same answer', async () => {
		const email = await newContact();
		const answers = await timed('webhook: burst of 5', () =>
			Promise.all(Array.from({ length: 5 }, () => askForCode(email))),
		);

		expect(answers).toEqual(Array(5).fill(sentAnswer(email)));
		expect(await codesSent(email)).toBe(1);
	});

	test('the address is compared trimmed and case-insensitively', async () => {
		const email = await newContact();
		expect(await askForCode(email)).toBe(sentAnswer(email));
		expect(await askForCode(`  ${email.toUpperCase()} `)).toBe(sentAnswer(email));

		expect(await codesSent(email)).toBe(1);
	});

	test('after the cooldown (2 s here) the next request sends again', async () => {
		const email = await newContact();
		await askForCode(email);
		expect(await askForCode(email)).toBe(sentAnswer(email));
		expect(await codesSent(email)).toBe(1);

		await sleep(SEND.secondsBetweenCodes * 1000 + 500);
		expect(await askForCode(email)).toBe(sentAnswer(email));
		expect(await codesSent(email)).toBe(2);
	});

	test('the hourly cap (3 here) holds past the cooldown, and answers the same', async () => {
		const email = await newContact();
		const answers: string[] = [];
		for (let request = 1; request <= 4; request++) {
			answers.push(await askForCode(email));
			await sleep(SEND.secondsBetweenCodes * 1000 + 500);
		}

		expect(answers).toEqual(Array(4).fill(sentAnswer(email)));
		expect(await codesSent(email)).toBe(3);
	});

	test('one address being limited does not limit another', async () => {
		const limited = await newContact();
		const other = await newContact();
		await askForCode(limited);
		await askForCode(limited);

		expect(await askForCode(other)).toBe(sentAnswer(other));
		expect([await codesSent(limited), await codesSent(other)]).toEqual([1, 1]);
	});

	test(`the per-minute cap (${PER_MINUTE} here) holds for the whole workflow, whatever the addresses`, async () => {
		const addresses = await Promise.all(Array.from({ length: PER_MINUTE + 2 }, newContact));
		const answers: string[] = [];
		for (const email of addresses) {
			answers.push(await askForCode(email, 'piggy/send-code-per-minute'));
		}

		expect(answers).toEqual(addresses.map(sentAnswer));
		const sent = await Promise.all(addresses.map(codesSent));
		expect(sent).toEqual([...Array(PER_MINUTE).fill(1), 0, 0]);
	});
});

// The login webhook's limits on tries: at most 5 codes per address reach Piggy until a new code is
// sent to it or it logs in; every answer over the limits is a wrong code's, byte for byte.
describe('the login webhook', () => {
	test(`40 wrong codes for one address, 20 one by one and 20 at once: ${TRIES_PER_CODE} reach Piggy, 40 wrong-code answers; then the right code is refused unsent`, async () => {
		const { email, code } = await contactWithCode();
		const [oneByOne, atOnce] = [wrongCodes(40, code).slice(0, 20), wrongCodes(40, code).slice(20)];
		const answers: string[] = [];
		for (const guess of oneByOne) answers.push(await logIn(email, guess));
		expect(codesTried(email)).toBe(TRIES_PER_CODE);
		answers.push(...(await Promise.all(atOnce.map((guess) => logIn(email, guess)))));

		expect(answers).toEqual(Array(40).fill(WRONG_CODE_ANSWER));
		expect(codesTried(email)).toBe(TRIES_PER_CODE);
		expect(await logIn(email, code)).toBe(WRONG_CODE_ANSWER);
		expect(codesTried(email)).toBe(TRIES_PER_CODE);
	});

	test(`at once: 20 wrong codes for one address, at most ${TRIES_PER_CODE} reach Piggy, 20 wrong-code answers; then the right code is refused`, async () => {
		const { email, code } = await contactWithCode();
		const answers = await timed('webhook: burst of 20 wrong codes', () =>
			Promise.all(wrongCodes(20, code).map((guess) => logIn(email, guess))),
		);

		expect(answers).toEqual(Array(20).fill(WRONG_CODE_ANSWER));
		const tried = codesTried(email);
		found(`webhook, 20 wrong codes at once: ${tried} reached Piggy`);
		expect(tried).toBeGreaterThan(0);
		expect(tried).toBeLessThanOrEqual(TRIES_PER_CODE);
		expect(await logIn(email, code)).toBe(WRONG_CODE_ANSWER);
	});

	test('an address over its limit holds back no other: another address logs in', async () => {
		const held = await contactWithCode();
		for (const guess of wrongCodes(TRIES_PER_CODE + 1, held.code)) await logIn(held.email, guess);
		const other = await contactWithCode();

		expect(loggedIn(await logIn(other.email, other.code))).toBe(true);
	});

	test('a new code lets the address try again: the right new code logs in', async () => {
		const { email, code } = await contactWithCode();
		for (const guess of wrongCodes(TRIES_PER_CODE, code)) await logIn(email, guess);
		expect(await logIn(email, code)).toBe(WRONG_CODE_ANSWER);

		await sleep(SEND.secondsBetweenCodes * 1000 + 500);
		expect(await askForCode(email)).toBe(sentAnswer(email));
		const newCode = await latestCode(email);
		expect(newCode).not.toBe(code);
		expect(loggedIn(await logIn(email, newCode))).toBe(true);
		expect(codesTried(email)).toBe(TRIES_PER_CODE + 1);
	});

	test(`a login clears the address's tries: ${TRIES_PER_CODE} more reach Piggy after it`, async () => {
		const { email, code } = await contactWithCode();
		for (const guess of wrongCodes(TRIES_PER_CODE - 1, code)) await logIn(email, guess);
		expect(loggedIn(await logIn(email, code))).toBe(true);

		for (const guess of wrongCodes(TRIES_PER_CODE, code)) await logIn(email, guess);
		expect(codesTried(email)).toBe(2 * TRIES_PER_CODE);
	});

	test(`tries are forgotten after secondsToForgetTries (${SECONDS_TO_FORGET_TRIES} s here)`, async () => {
		const email = await newContact();
		const path = 'piggy/login-short-window';
		for (const guess of wrongCodes(TRIES_PER_CODE + 1)) {
			expect(await logIn(email, guess, path)).toBe(WRONG_CODE_ANSWER);
		}
		expect(codesTried(email)).toBe(TRIES_PER_CODE);

		await sleep(SECONDS_TO_FORGET_TRIES * 1000 + 500);
		expect(await logIn(email, '999999', path)).toBe(WRONG_CODE_ANSWER);
		expect(codesTried(email)).toBe(TRIES_PER_CODE + 1);
	});

	test(`the per-minute cap on tries (${TRIES_PER_MINUTE} here) holds for the whole workflow, whatever the addresses`, async () => {
		const addresses = await Promise.all(Array.from({ length: TRIES_PER_MINUTE + 2 }, newContact));
		const answers: string[] = [];
		for (const email of addresses)
			answers.push(await logIn(email, '123456', 'piggy/login-per-minute'));

		expect(answers).toEqual(Array(addresses.length).fill(WRONG_CODE_ANSWER));
		const tried = addresses.map(codesTried);
		expect(tried).toEqual([...Array(TRIES_PER_MINUTE).fill(1), 0, 0]);
	});
});
