import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import type { Page } from 'playwright-core';

import { requireChromium, withChromium as withProfile } from '../chromium/chromium';
import { openNode, openWorkflow, signIn } from '../chromium/editor';
import { CHAT_PATH, FORM_LOGIN_PATH, prepareDevN8n } from '../dev/devN8n';
import type { RunningN8n } from '../n8n/n8n';
import { REPO_ROOT, ensureN8n, importWorkflows, makeUserFolder, startN8n } from '../n8n/n8n';
import { serveChatAssets } from './chatPage';

// `npm run screenshots`: the README's pictures, taken from the same real n8n as `npm run dev`
// (in a fresh user folder, on free ports) with Debian's headless Chromium: the editor's canvas and
// the node's parameters and its tool's operations, then the form login page and the support chat
// as a visitor sees them, against the simulator and the scripted chat model.

const EDITOR_VIEWPORT = { width: 1280, height: 800 };
const WIDE_EDITOR_VIEWPORT = { width: 1600, height: 1000 };
// The form card is 448 px wide: a smaller window, drawn at twice the pixels, keeps it legible.
const FORM_VIEWPORT = { width: 640, height: 400 };
// The hosted chat fills its window: a phone-sized one.
const CHAT_VIEWPORT = { width: 420, height: 720 };
const CONTACT = 'spongebob@bikinibottom.sea';
// Another Contact for the chat: the form's pages have just sent CONTACT a code, and the examples'
// shared limits would hold back the chat's for a minute.
const CHAT_CONTACT = 'patrick@bikinibottom.sea';

type Shoot = (page: Page, name: string, clip?: Clip) => Promise<void>;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { out: { type: 'string', default: join(REPO_ROOT, 'docs', 'images') } },
	});
	const outDir = values.out!;
	const say = (line: string) => process.stdout.write(`${line}\n`);
	requireChromium();
	mkdirSync(outDir, { recursive: true });
	const shoot: Shoot = async (page, name, clip) => {
		const file = join(outDir, `${name}.png`);
		await page.screenshot({ path: file, clip });
		say(`  ${file} (${Math.round(statSync(file).size / 1024)} kB)`);
	};

	await ensureN8n(say);
	const userFolder = makeUserFolder('piggy-screenshots-');
	const { instance, simulator, close } = await prepareDevN8n({ userFolder, simulatorPort: 0, say });
	let n8n: RunningN8n | undefined;
	try {
		// The chat example calls the node through its own limits; the tool picture needs the node as
		// an agent's tool itself.
		await importWorkflows(
			instance,
			[join(REPO_ROOT, 'tools', 'screenshots', 'tool-workflow.json')],
			{
				publish: false,
			},
		);
		say('Starting n8n...');
		n8n = await startN8n(instance);
		say('Editor:');
		await shootEditor(join(userFolder, 'chromium-editor'), instance.url, shoot);
		say('Form login page:');
		await shootFormPages(join(userFolder, 'chromium-visitor'), instance.url, simulator.url, shoot);
		say('Support chat:');
		await shootChat(join(userFolder, 'chromium-chat'), instance.url, simulator.url, shoot, say);
	} finally {
		await n8n?.stop();
		await close();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

/** A fresh Chromium profile in `profile`, closed whatever `use` does. */
async function withChromium(
	profile: string,
	options: { viewport: { width: number; height: number }; deviceScaleFactor?: number },
	use: (page: Page) => Promise<void>,
): Promise<void> {
	await withProfile({ ...options, profile }, use);
}

async function shootEditor(profile: string, n8nUrl: string, shoot: Shoot): Promise<void> {
	await withChromium(profile, { viewport: EDITOR_VIEWPORT }, async (editor) => {
		await signIn(editor, n8nUrl);
		await openWorkflow(editor, n8nUrl, 'piggySendCode001');
		await shoot(editor, 'canvas-send-login-code');
		await openWorkflow(editor, n8nUrl, 'piggyLoginCode01');
		await shoot(editor, 'canvas-login-with-code');
		// The form example is wide: a larger window keeps its nodes and notes readable.
		await editor.setViewportSize(WIDE_EDITOR_VIEWPORT);
		await openWorkflow(editor, n8nUrl, 'piggyFormLogin01');
		await shoot(editor, 'canvas-form-login');
		await editor.setViewportSize(EDITOR_VIEWPORT);
		await openNode(editor, 'Verify Login Code');
		await shoot(editor, 'node-parameters');

		await openWorkflow(editor, n8nUrl, 'piggyChatVerify1');
		await shoot(editor, 'canvas-chat-verify-identity');
		// The tool's Operation list, as the editor draws it: Get Auth Token is not for models. n8n
		// adds Custom API Call to every node whose credential works in the HTTP Request node.
		await openWorkflow(editor, n8nUrl, 'piggyToolPicture');
		await openNode(editor, 'Send a login code');
		await editor.locator('[data-test-id="parameter-input-operation"]').click();
		const listed = editor.locator('.el-select-dropdown__item').filter({ visible: true });
		await listed.first().waitFor();
		const operations = (await listed.allInnerTexts()).map((text) => text.split('\n')[0]);
		if (operations.join() !== 'Send Verification Email,Verify Login Code,Custom API Call') {
			throw new Error(`The tool's Operation list shows ${operations.join(', ')}`);
		}
		await shoot(editor, 'tool-operations');
	});
}

/** The support chat as a visitor sees it: verified with the code from the simulator's mailbox. */
async function shootChat(
	profile: string,
	n8nUrl: string,
	simulatorUrl: string,
	shoot: Shoot,
	say: (line: string) => void,
): Promise<void> {
	const options = { viewport: CHAT_VIEWPORT, deviceScaleFactor: 2 };
	await withChromium(profile, options, async (visitor) => {
		await serveChatAssets(visitor, say);
		await visitor.goto(`${n8nUrl}/${CHAT_PATH}`);
		const message = visitor.locator('textarea');
		const send = async (text: string, answered: string) => {
			await message.fill(text);
			await message.press('Enter');
			await visitor.getByText(answered).last().waitFor({ timeout: 30_000 });
		};
		await send(`Hi! Please verify me: ${CHAT_CONTACT}`, 'a login code is on its way');
		const mailbox = await fetch(
			`${simulatorUrl}/_simulator/mailbox?email=${encodeURIComponent(CHAT_CONTACT)}`,
		);
		const [{ code }] = ((await mailbox.json()) as { data: Array<{ code: string }> }).data;
		await send(`The code is ${code}`, '"verified":true');
		await visitor.waitForTimeout(500);
		await shoot(visitor, 'chat-verified');
	});
}

/** The form as a visitor sees it: a browser of its own, without the editor's session. */
async function shootFormPages(
	profile: string,
	n8nUrl: string,
	simulatorUrl: string,
	shoot: Shoot,
): Promise<void> {
	const mailbox = async () => {
		const response = await fetch(
			`${simulatorUrl}/_simulator/mailbox?email=${encodeURIComponent(CONTACT)}`,
		);
		return ((await response.json()) as { data: Array<{ code: string }> }).data[0].code;
	};
	// A form page is one card on an empty background: keep the card and a margin around it.
	const shootCard = async (page: Page, name: string) =>
		await shoot(page, name, await cardArea(page));
	const options = { viewport: FORM_VIEWPORT, deviceScaleFactor: 2 };
	await withChromium(profile, options, async (visitor) => {
		await visitor.goto(`${n8nUrl}/${FORM_LOGIN_PATH}`);
		await visitor.fill('input[type=email]', CONTACT);
		await shootCard(visitor, 'form-email-page');
		await submitAndWaitFor(visitor, 'Check your email');
		await visitor.fill('input[name=field-0]', await mailbox());
		await shootCard(visitor, 'form-code-page');
		await submitAndWaitFor(visitor, "You're logged in");
		await shootCard(visitor, 'form-logged-in');

		await visitor.goto(`${n8nUrl}/${FORM_LOGIN_PATH}`);
		await visitor.fill('input[type=email]', CONTACT);
		await submitAndWaitFor(visitor, 'Check your email');
		await visitor.fill('input[name=field-0]', '000000');
		await submitAndWaitFor(visitor, 'That code did not work');
		await shootCard(visitor, 'form-wrong-code');
	});
}

interface Clip {
	x: number;
	y: number;
	width: number;
	height: number;
}

async function cardArea(page: Page): Promise<Clip> {
	const card = await page.locator('.card').filter({ visible: true }).first().boundingBox();
	if (!card) throw new Error(`no form card on ${page.url()}`);
	const margin = 24;
	const viewport = page.viewportSize() ?? FORM_VIEWPORT;
	const x = Math.max(0, card.x - margin);
	const y = Math.max(0, card.y - margin);
	return {
		x,
		y,
		width: Math.min(viewport.width - x, card.width + 2 * margin),
		height: Math.min(viewport.height - y, card.height + 2 * margin),
	};
}

/** Presses the form's button and waits for the page the form goes on to (n8n polls each second). */
async function submitAndWaitFor(page: Page, heading: string): Promise<void> {
	await page.click('#submit-btn');
	await page.locator('h1', { hasText: heading }).waitFor({ timeout: 30_000 });
	// The ending page's own script resumes the run; let it finish before moving on.
	await page.waitForTimeout(1500);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
