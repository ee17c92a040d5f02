import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { getGlobalDispatcher, request } from 'undici';

import { CODE_ON_ITS_WAY } from '../../nodes/PiggyContactVerification/actions/sendVerificationEmail.operation';
import type { RunningModel } from '../../tools/model/server';
import { startScriptedModel } from '../../tools/model/server';
import type { N8nInstance, RunningN8n } from '../../tools/n8n/n8n';
import {
	REPO_ROOT,
	ensureN8n,
	importCredentials,
	importWorkflows,
	installPackage,
	makeUserFolder,
	n8nInstance,
	packPackage,
	startN8n,
} from '../../tools/n8n/n8n';
import type { RunningSimulator } from '../../tools/simulator/server';
import { startSimulator } from '../../tools/simulator/server';
import { readResponse } from '../harness/http';
import type { Workflow } from '../harness/loginLimits';
import { SEND_LIMITS_OFF, readLimits, withLimits } from '../harness/loginLimits';

// The chat example (examples/chat-verify-identity.json) in a real n8n 2.41.1: its Chat Trigger,
// AI Agent 3.1, OpenAI Chat Model 1.2 and memory, with its two tools (Call n8n Workflow Tool
// nodes that run the Piggy nodes behind the workflow's own limits), against the Piggy simulator
// and a scripted model (tools/model) that picks tools by their descriptions and repeats what they
// answer. So each reply shows what the model read. The limits on codes sent are off here (the
// tests send many codes to one address); the limits on codes tried are as shipped.

const TOKEN = 'e2e-chat-piggy-token-7d41';
const EXAMPLE = join(REPO_ROOT, 'examples', 'chat-verify-identity.json');
const CHAT_PATH = 'webhook/piggy-chat-verify-identity/chat';
const CONTACT = { email: 'spongebob@bikinibottom.sea', uuid: '123abc-lmnopq-3242a-8899aa' };

let simulator: RunningSimulator;
let model: RunningModel;
let instance: N8nInstance;
let n8n: RunningN8n | undefined;
let workDir: string;

async function post(url: string, body: unknown) {
	const response = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify(body),
	});
	return await readResponse(response);
}

/** What the agent answers a visitor's message in chat `sessionId`. */
async function chat(sessionId: string, chatInput: string): Promise<string> {
	const answer = await post(`${instance.url}/${CHAT_PATH}`, {
		action: 'sendMessage',
		sessionId,
		chatInput,
	});
	expect(answer.status).toBe(200);
	return (answer.json as { output: string }).output;
}

const simulatorControl = (path: string, body: unknown) =>
	post(`${simulator.url}/_simulator/${path}`, body);

async function mailbox(email: string): Promise<Array<{ code: string }>> {
	const response = await request(
		`${simulator.url}/_simulator/mailbox?email=${encodeURIComponent(email)}`,
	);
	return ((await readResponse(response)).json as { data: Array<{ code: string }> }).data;
}

/** The codes that reached Piggy's verify for `email`. */
const tries = (email: string) => simulator.state.triesFor(email);
const uuidOf = (email: string) => simulator.state.findByEmail(email)!.uuid;

const toolSaid = (json: unknown) => `Tool said: ${JSON.stringify([json])}`;
const WRONG_CODE = {
	error:
		'The login code is wrong or already used. Ask the visitor to check the code, or offer to send a new one to the same address.',
};
const EXAMPLE_WORKFLOW = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Workflow & {
	nodes: Array<{ name: string; parameters: object }>;
};

beforeAll(async () => {
	const log = (line: string) => process.stdout.write(`e2e chat: ${line}\n`);
	await ensureN8n(log);
	workDir = makeUserFolder('piggy-e2e-chat-');
	await installPackage(workDir, await packPackage(join(workDir, 'pack')));

	simulator = await startSimulator({ port: 0, token: TOKEN });
	model = await startScriptedModel();
	instance = await n8nInstance(workDir);
	await importCredentials(instance, [
		{
			id: 'piggySimulator01',
			name: 'Piggy API (local simulator)',
			type: 'piggyApi',
			data: { apiKey: TOKEN, baseUrl: simulator.url },
		},
		{
			id: 'openAiLocal00001',
			name: 'OpenAI',
			type: 'openAiApi',
			data: { apiKey: 'sk-scripted-model', url: model.url },
		},
	]);
	await importWorkflows(instance, [withLimits(EXAMPLE, SEND_LIMITS_OFF)], { publish: true });
	n8n = await startN8n(instance);
});

afterAll(async () => {
	await n8n?.stop();
	await simulator?.close();
	await model?.close();
	if (workDir) rmSync(workDir, { recursive: true, force: true });
	await getGlobalDispatcher().close();
});

test('the model is offered two tools it can tell apart, and the example’s rules', async () => {
	expect(await chat('offered', 'Hello, who are you?')).toBe(
		'Which email address should I send a code to?',
	);
	const [first] = model.requests;
	const tools = (first.tools ?? []).map(({ function: tool }) => ({
		name: tool.name,
		description: tool.description,
		arguments: Object.keys((tool.parameters as { properties: object }).properties).sort(),
	}));
	const described = (name: string) =>
		(
			EXAMPLE_WORKFLOW.nodes.find((node) => node.name === name)?.parameters as {
				description: string;
			}
		).description;
	expect(tools.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
		{
			name: 'Send_a_login_code',
			description: described('Send a login code'),
			arguments: ['email'],
		},
		{
			name: 'Verify_the_login_code',
			description: described('Verify the login code'),
			arguments: ['code', 'email'],
		},
	]);
	const system = first.messages.find((message) => message.role === 'system');
	expect(String(system?.content)).toContain('never say or hint whether an address has an account');
});

test('a visitor is verified: the code reaches their mailbox, they type it, the agent says verified', async () => {
	const before = (await mailbox(CONTACT.email)).length;
	expect(await chat('verified', `Hi, please verify me: ${CONTACT.email}`)).toBe(
		toolSaid({ email: CONTACT.email, result: CODE_ON_ITS_WAY }),
	);
	const mails = await mailbox(CONTACT.email);
	expect(mails).toHaveLength(before + 1);

	// Memory carries the address: the visitor types only the code.
	expect(await chat('verified', `The code is ${mails[0].code}`)).toBe(
		toolSaid({ verified: true, email: CONTACT.email, uuid: CONTACT.uuid }),
	);
});

test('a wrong code: the agent is told to ask for the code again or send a new one', async () => {
	await chat('wrong-code', `Verify me please, ${CONTACT.email}`);
	expect(await chat('wrong-code', 'It is 000000')).toBe(toolSaid(WRONG_CODE));
});

test('an unknown address reads exactly like a known one, and no email goes out', async () => {
	const stranger = 'nobody@bikinibottom.sea';
	expect(await chat('unknown', `Verify me: ${stranger}`)).toBe(
		toolSaid({ email: stranger, result: CODE_ON_ITS_WAY }),
	);
	expect(await mailbox(stranger)).toEqual([]);
	// Any code for it reads as a wrong code, as for a Contact.
	expect(await chat('unknown', 'Code 123456')).toBe(toolSaid(WRONG_CODE));
});

test('Piggy down: the agent is told to have the visitor try again in a few minutes', async () => {
	await simulatorControl('faults', { status: 503, times: 3 });
	expect(await chat('piggy-down', `Please verify ${CONTACT.email}`)).toBe(
		toolSaid({
			error:
				'Verification is unavailable right now. Tell the visitor to try again in a few minutes; do not call this tool again now.',
		}),
	);
});

// A prompt is not a control: the model here calls Verify as often as the visitor's message has
// codes, 20 in one reply. The workflow's own limits decide what reaches Piggy.
test('20 codes in one message: the model calls Verify 20 times, 5 reach Piggy; then the right code is refused until a new one is sent', async () => {
	const email = `chat-guessed-${Date.now()}@bikinibottom.sea`;
	await simulatorControl('contacts', { email });
	const shipped = readLimits(EXAMPLE_WORKFLOW);
	expect(shipped.triesPerCode).toBe(5);
	const session = 'guessed';
	await chat(session, `Verify me: ${email}`);
	const [{ code }] = await mailbox(email);
	const guesses = Array.from({ length: 20 }, (_, guess) => String(100000 + guess)).filter(
		(guess) => guess !== code,
	);
	const requestsBefore = model.requests.length;

	expect(await chat(session, `Try these: ${guesses.join(' ')}`)).toBe(toolSaid(WRONG_CODE));
	// The agent ran the tool once per call: the model's next request carries that many results
	// after the visitor's message.
	const afterTools = model.requests
		.slice(requestsBefore)
		.find((r) => r.messages.at(-1)?.role === 'tool');
	const roles = (afterTools?.messages ?? []).map((message) => message.role);
	const results = roles.slice(roles.lastIndexOf('user')).filter((role) => role === 'tool');
	expect(results.length).toBe(guesses.length);
	expect(tries(email).length).toBe(shipped.triesPerCode);

	// Twenty tool calls fill the memory's window: the visitor names the address again.
	expect(await chat(session, `Sorry, for ${email} it is ${code}`)).toBe(toolSaid(WRONG_CODE));
	expect(tries(email).length).toBe(shipped.triesPerCode);

	expect(await chat(session, `Please send a new code to ${email}`)).toBe(
		toolSaid({ email, result: CODE_ON_ITS_WAY }),
	);
	const [newCode] = await mailbox(email);
	expect(await chat(session, `The new code for ${email} is ${newCode.code}`)).toBe(
		toolSaid({ verified: true, email, uuid: uuidOf(email) }),
	);
});

test('nothing the model received holds the token or Piggy’s own words', () => {
	const received = JSON.stringify(model.requests);
	expect(model.requests.length).toBeGreaterThanOrEqual(10);
	expect(received).not.toContain(TOKEN);
	expect(received).not.toContain('An email containing a link');
	expect(received).not.toMatch(/Passcode not found|Contact not found|auth_token/i);
});
