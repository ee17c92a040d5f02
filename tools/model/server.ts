import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for an OpenAI chat model, for tests that run n8n's AI Agent: it speaks the
 * chat completions API (`POST /v1/chat/completions`, plain or streamed) with tool calls, and
 * `GET /v1/models`. It is deliberately naive and leaky, so that what it says shows what the tools
 * told it:
 *
 * - it picks a tool by its description only (never its name), with the `tools` rules;
 * - a message with 6-digit codes calls the verify tool once for each (all in one reply, as a model
 *   that makes parallel tool calls does) with the last email address the visitor wrote; a message
 *   with an email address calls the send tool; anything else is a question;
 * - after a tool result it answers "Tool said: <the result, verbatim>".
 *
 * It records every request body, so a test can check what reached the model.
 */

export interface ToolRules {
	/** Matches the description of the tool that sends a login code. */
	send: RegExp;
	/** Matches the description of the tool that verifies a code. */
	verify: RegExp;
}

export interface ScriptedModelOptions {
	/** 0 (the default) picks a free port. */
	port?: number;
	tools?: ToolRules;
}

export interface RunningModel {
	/** The base URL an OpenAI credential takes, e.g. http://127.0.0.1:PORT/v1. */
	url: string;
	/** Every chat completions request body received, in order. */
	requests: ChatRequest[];
	close(): Promise<void>;
}

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: unknown[];
}

interface OfferedTool {
	type: string;
	function: { name: string; description?: string; parameters?: unknown };
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
}

interface ToolCall {
	name: string;
	args: Record<string, string>;
}

type Reply = { text: string } | { calls: ToolCall[] };

const DEFAULT_RULES: ToolRules = { send: /^Send a login code/i, verify: /^Verify a login code/i };
const EMAIL = /[^\s@<>"',;]+@[^\s@<>"',;]+\.[a-z]{2,}/gi;
const CODES = /\b\d{6}\b/g;

/** A message's text, whether the content is a string or a list of parts. */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
		.join('');
}

/** What the scripted model says next in this conversation. */
export function nextReply(request: ChatRequest, rules: ToolRules = DEFAULT_RULES): Reply {
	const messages = request.messages ?? [];
	const last = messages.at(-1);
	if (last?.role === 'tool') return { text: `Tool said: ${textOf(last.content)}` };

	const userTexts = messages
		.filter((message) => message.role === 'user')
		.map((m) => textOf(m.content));
	const said = userTexts.at(-1) ?? '';
	const emails = userTexts.flatMap((text) => text.match(EMAIL) ?? []);
	const toolFor = (rule: RegExp) =>
		request.tools?.find((tool) => rule.test(tool.function.description ?? ''))?.function.name;

	const codes = said.match(CODES) ?? [];
	if (codes.length > 0 && emails.length > 0) {
		const name = toolFor(rules.verify);
		const email = emails.at(-1)!;
		return name ? { calls: codes.map((code) => ({ name, args: { email, code } })) } : noTool();
	}
	const email = said.match(EMAIL)?.at(-1);
	if (email !== undefined) {
		const name = toolFor(rules.send);
		return name ? { calls: [{ name, args: { email } }] } : noTool();
	}
	return { text: 'Which email address should I send a code to?' };
}

const noTool = (): Reply => ({ text: 'I have no tool for that.' });

let callNumber = 0;

function completion(request: ChatRequest, reply: Reply) {
	const message =
		'text' in reply
			? { role: 'assistant', content: reply.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: reply.calls.map((call) => ({
						id: `call_${++callNumber}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.args) },
					})),
				};
	return {
		id: `chatcmpl-${callNumber}-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model ?? 'scripted',
		choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** The same answer as server-sent events: one chunk with the whole message, then the end. */
function streamed(response: ServerResponse, body: ReturnType<typeof completion>): void {
	const [choice] = body.choices;
	const { role, content, tool_calls } = choice.message as {
		role: string;
		content: string | null;
		tool_calls?: Array<Record<string, unknown>>;
	};
	const delta = {
		role,
		...(content !== null && { content }),
		...(tool_calls && { tool_calls: tool_calls.map((call, index) => ({ index, ...call })) }),
	};
	const chunk = (choices: unknown[], extra: object = {}) =>
		`data: ${JSON.stringify({ id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model, choices, ...extra })}\n\n`;
	response.writeHead(200, { 'content-type': 'text/event-stream' });
	response.write(chunk([{ index: 0, delta, finish_reason: null }]));
	response.write(
		chunk([{ index: 0, delta: {}, finish_reason: choice.finish_reason }], { usage: body.usage }),
	);
	response.end('data: [DONE]\n\n');
}

async function readJson(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

export async function startScriptedModel(
	options: ScriptedModelOptions = {},
): Promise<RunningModel> {
	const rules = options.tools ?? DEFAULT_RULES;
	const requests: ChatRequest[] = [];
	const server = createServer((request, response) => {
		const path = (request.url ?? '').split('?')[0];
		if (request.method === 'GET' && /^(\/v1)?\/models$/.test(path)) {
			sendJson(response, 200, {
				object: 'list',
				data: [{ id: 'scripted', object: 'model', owned_by: 'test' }],
			});
			return;
		}
		if (request.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(path)) {
			sendJson(response, 404, { error: { message: `No route ${request.method} ${path}` } });
			return;
		}
		readJson(request).then(
			(json) => {
				const body = json as ChatRequest;
				requests.push(body);
				const answer = completion(body, nextReply(body, rules));
				if (body.stream) streamed(response, answer);
				else sendJson(response, 200, answer);
			},
			(error: Error) => sendJson(response, 400, { error: { message: error.message } }),
		);
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
