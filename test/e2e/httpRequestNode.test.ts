import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { request } from 'undici';

import { withChromium } from '../../tools/chromium/chromium';
import { openNode, openWorkflow, signIn } from '../../tools/chromium/editor';
import { ownerSessionCookie } from '../../tools/n8n/n8n';
import { readResponse } from '../harness/http';
import { readmeExample } from '../harness/readmeExample';
import type { LocalServer } from '../harness/localServer';
import { localServer } from '../harness/localServer';
import { ExampleN8n } from './formSuite';
import { StepTimings } from './stepTimings';

// The Piggy API credential in n8n's own HTTP Request node (the current version, 4.5), in a real
// n8n 2.41.1: offered under Authentication → Predefined Credential Type, it lists the shops from
// the simulator, and it gives its token to nothing but its Base URL. The URL comes from the
// webhook's body, as a visitor-fed expression would.

const TOKEN = 'e2e-http-request-token';
const SHOPS_PATH = '/api/v3/oauth/clients/shops';
const WORKFLOW = JSON.parse(
	readFileSync(join(__dirname, 'workflows', 'http-request.json'), 'utf8'),
) as { id: string; name: string; nodes: WorkflowNode[] };
const REDIRECTING_CREDENTIAL = { id: 'piggyRedirecting', name: 'Piggy API (redirecting)' };

interface WorkflowNode {
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

/** The workflow again: its own id, path and credential, or an HTTP Request node left unset. */
function variant(id: string, path: string, change: (node: WorkflowNode) => void) {
	const copy = structuredClone(WORKFLOW);
	copy.id = id;
	copy.name = `${WORKFLOW.name} (${path})`;
	const [webhook, httpRequest] = copy.nodes;
	webhook.parameters.path = path;
	webhook.webhookId = `${webhook.webhookId!.slice(0, -2)}${id.slice(-2)}`;
	change(httpRequest);
	return copy;
}

const timings = new StepTimings();
const n8n = new ExampleN8n({ label: 'http-request', token: TOKEN, timings });
let elsewhere: LocalServer;
let redirecting: LocalServer;

beforeAll(async () => {
	// Another server on this machine, and a "Piggy" that sends every request there.
	elsewhere = await localServer((_request, response) => response.end('{"data":[]}'));
	redirecting = await localServer((_request, response) => {
		response.writeHead(302, { Location: `${elsewhere.url}${SHOPS_PATH}` }).end();
	});
	await n8n.start(
		[
			WORKFLOW,
			variant('piggyHttpRedirect', 'piggy/http-request-redirecting', (node) => {
				node.credentials = { piggyApi: REDIRECTING_CREDENTIAL };
			}),
			variant('piggyHttpUnset01', 'piggy/http-request-unset', (node) => {
				node.parameters = { authentication: 'predefinedCredentialType', options: {} };
				delete node.credentials;
			}),
		],
		[
			{
				...REDIRECTING_CREDENTIAL,
				type: 'piggyApi',
				data: { apiKey: TOKEN, baseUrl: redirecting.url },
			},
		],
	);
});

afterAll(async () => {
	await n8n.stop();
	await Promise.all([elsewhere?.close(), redirecting?.close()]);
});

beforeEach(() => {
	elsewhere.requests.length = 0;
	redirecting.requests.length = 0;
});

/** Runs the workflow on `path` for `url`; answers what the HTTP Request node output. */
async function callThrough(path: string, url: string) {
	const response = await request(`${n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ url }),
	});
	return await readResponse(response);
}

test('n8n serves the credential type with an `authenticate`, as the HTTP Request node asks, and adds Custom API Call to the node', async () => {
	const cookie = await ownerSessionCookie(n8n.url, 'piggy-e2e');

	const types = await request(`${n8n.url}/types/credentials.json`, {
		headers: { cookie, 'browser-id': 'piggy-e2e' },
	});
	const piggy = ((await types.body.json()) as Array<Record<string, unknown>>).find(
		(type) => type.name === 'piggyApi',
	);

	expect(piggy).toMatchObject({ displayName: 'Piggy API', authenticate: {} });

	// And so n8n adds Custom API Call to the node's Resource and Operation lists (both variants).
	const nodes = await request(`${n8n.url}/types/nodes.json`, {
		headers: { cookie, 'browser-id': 'piggy-e2e' },
	});
	const node = ((await nodes.body.json()) as Array<NodeTypeServed>).find(
		(type) => type.name === 'n8n-nodes-piggy.piggyContactVerification',
	)!;
	const choices = node.properties
		.filter((property) => property.name === 'resource' || property.name === 'operation')
		.map((property) => property.options.map((option) => option.name));
	expect(choices).toEqual([
		['Contact Verification', 'Custom API Call'],
		['Get Auth Token', 'Send Verification Email', 'Verify Login Code', 'Custom API Call'],
		['Send Verification Email', 'Verify Login Code', 'Custom API Call'],
	]);
});

interface NodeTypeServed {
	name: string;
	properties: Array<{ name: string; options: Array<{ name: string }> }>;
}

test('an HTTP Request node with the credential lists the shops from the simulator', async () => {
	const shops = await callThrough('piggy/http-request', `${n8n.simulator.url}${SHOPS_PATH}`);

	expect([shops.status, shops.json]).toEqual([
		200,
		{
			data: [
				{
					uuid: 'a7c1b2d4-shop-0001',
					name: 'Piggy Simulator Shop',
					type: 'physical',
					reference: 'SIM-1',
				},
			],
		},
	]);
});

test('a URL on another port of this machine is refused: that server receives nothing', async () => {
	const answer = await callThrough('piggy/http-request', `${elsewhere.url}/collect?from=piggy`);

	expect(elsewhere.requests).toEqual([]);
	const refusal = {
		message: `The Piggy API credential sends its token only to its Base URL, ${n8n.simulator.url}`,
		description: `This request is for ${elsewhere.url}. Use a URL that starts with the Base URL, or another credential for other services. Nothing was sent.`,
	};
	// What the HTTP Request node puts on its output with "On Error: Continue".
	expect([answer.status, answer.json]).toEqual([
		200,
		{
			error: {
				...refusal,
				name: 'NodeApiError',
				cause: { name: 'Error', message: refusal.message },
				context: {},
				timestamp: expect.any(Number),
			},
			details: { ...refusal, body: null, context: {}, httpCode: null },
		},
	]);
	expect(answer.text).not.toContain(TOKEN);
});

test('a Base URL that redirects is not followed: only the Base URL sees the token', async () => {
	const answer = await callThrough(
		'piggy/http-request-redirecting',
		`${redirecting.url}${SHOPS_PATH}`,
	);

	expect(redirecting.requests.map(({ url, authorization }) => [url, authorization])).toEqual([
		[SHOPS_PATH, `Bearer ${TOKEN}`],
	]);
	expect(elsewhere.requests).toEqual([]);
	expect(answer.status).toBe(200);
	// n8n's own words for an answer it did not follow.
	expect(answer.json).toMatchObject({ error: { name: 'NodeApiError', message: '302 - ""' } });
	expect(answer.text).not.toContain(TOKEN);
});

const EDITOR = { viewport: { width: 1280, height: 800 } };

test('in the editor (Chromium), Predefined Credential Type offers Piggy API, and it can be picked', async () => {
	await withChromium(EDITOR, async (page) => {
		await signIn(page, n8n.url);
		await openWorkflow(page, n8n.url, 'piggyHttpUnset01');
		await openNode(page, 'HTTP Request');

		await page.locator('[data-test-id="parameter-input-nodeCredentialType"] input').click();
		await page.keyboard.type('Piggy');
		const offered = page.locator('.el-select-dropdown__item').filter({ visible: true });
		await offered.first().waitFor();
		expect(await offered.allInnerTexts()).toEqual(['Piggy API']);
		await offered.first().click();

		// n8n then picks a credential of that type by itself (the newest): one of the two imported.
		const picked = page.locator('[data-test-id="node-credentials-select"] input');
		expect(['Piggy API (local simulator)', 'Piggy API (redirecting)']).toContain(
			await picked.inputValue(),
		);
	});
});

test('in the editor (Chromium), the README’s example pastes as an HTTP Request node on Piggy API', async () => {
	await withChromium(EDITOR, async (page) => {
		await signIn(page, n8n.url);
		await openWorkflow(page, n8n.url, WORKFLOW.id);
		// Pasted as a builder pastes copied nodes (a script in the page's own terms: this
		// project's TypeScript has no DOM types).
		const pasted = JSON.stringify(readmeExample('http-request-shops').text);
		await page.evaluate(`(() => {
			const data = new DataTransfer();
			data.setData('text/plain', ${pasted});
			document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
		})()`);
		await openNode(page, 'List the shops');

		// The Credential Type shows Piggy API, and n8n has picked a Piggy API credential for it.
		const credentialType = page.locator('[data-test-id="credential-select"] input');
		expect(await credentialType.inputValue()).toBe('Piggy API');
		const picked = page.locator('[data-test-id="node-credentials-select"] input');
		expect(await picked.inputValue()).toMatch(/^Piggy API \(/);
	});
});
