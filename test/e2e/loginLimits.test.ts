import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { request } from 'undici';

import { withChromium } from '../../tools/chromium/chromium';
import { REPO_ROOT } from '../../tools/n8n/n8n';
import { readLimits, separateCopy, withLimits } from '../harness/loginLimits';
import { ExampleN8n, submitForm } from './formSuite';
import { FormVisitor } from './formVisitor';
import { StepTimings } from './stepTimings';

// The limits of the login examples (their "Limits" node and the Data Table "Piggy login codes"),
// in a real n8n 2.41.1 with the packed package and the Piggy simulator. The form login page runs
// as shipped (60 s between codes, 5 an hour, 20 a minute) and is driven in Chromium. The
// send-a-code webhook runs with shorter limits set in its Limits node, as a builder changes them,
// so that waiting out a cooldown takes seconds; a copy of it with its own table and webhook path
// has a per-minute cap of 4.

const TOKEN = 'e2e-limits-piggy-token';
const FORM_PAGE_TITLES = {
	email: 'Log in',
	code: 'Check your email',
	loggedIn: "You're logged in",
};
const SEND = { secondsBetweenCodes: 2, codesPerAddressPerHour: 3, codesPerMinute: 100 };
const PER_MINUTE = 4;

const timings = new StepTimings();
const { timed } = timings;

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

beforeAll(() =>
	n8n.start([
		example('form-login.json'),
		withLimits(example('send-login-code.json'), SEND),
		perMinuteCopy(),
	]),
);

afterAll(() => n8n.stop());

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

// The form login page as shipped, in headless Chromium: a visitor who submits the email page
// twice gets one email and the same code page twice; the code from that one email logs in.
describe('the form login page, as shipped, in Chromium', () => {
	const formUrl = () => `${n8n.url}/form/piggy-login`;

	async function submit(page: Page, value: string, nextTitle: string): Promise<string> {
		await submitForm(page, value, nextTitle);
		return await page.locator('body').innerText();
	}

	test('its limits are the defaults: 60 s between codes, 5 an hour, 20 a minute', () => {
		expect(readLimits(withLimits(example('form-login.json'), {}))).toEqual({
			secondsBetweenCodes: 60,
			codesPerAddressPerHour: 5,
			codesPerMinute: 20,
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
});
