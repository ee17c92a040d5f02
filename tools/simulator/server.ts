import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Fault } from './faults';
import { FaultQueue, MAX_QUEUED_TIMES, PIGGY_MESSAGES, checkFault, parseFault } from './faults';
import defaultSeed from './seed.json';
import type { Seed } from './state';
import { SimulatorState } from './state';

export const DEFAULT_PORT = 8787;
export const DEFAULT_TOKEN = 'piggy-simulator-token';
export const DEFAULT_CODE_TTL_SECONDS = 900;

export interface SimulatorOptions {
	/** 0 picks a free port. */
	port?: number;
	/** The Personal Access Token the API accepts. */
	token?: string;
	/** How long a login code stays valid. */
	codeTtlSeconds?: number;
	/** Applied to every API request of the run, e.g. latency. */
	fault?: Fault;
	/** Contacts and shops to start with; defaults to seed.json. */
	seed?: Seed;
	/** Piggy documents `{"data":{"auth_token":...}}`; its SDK shows `{"data":"..."}`. */
	authTokenShape?: 'object' | 'string';
	/** Where the one-line request log goes; defaults to nowhere. */
	log?: (line: string) => void;
}

export interface RunningSimulator {
	url: string;
	token: string;
	state: SimulatorState;
	faults: FaultQueue;
	close(): Promise<void>;
}

const API = '/api/v3/oauth/clients';
const VERIFICATION = `${API}/contact-verification`;
const MAX_EMAIL_LENGTH = 254;

/** Roughly Laravel's "email" rule, in linear time: one "@", no spaces, a dot in the domain. */
function isEmail(value: string): boolean {
	const [local, domain, extra] = value.split('@');
	if (extra !== undefined || !local || !domain || /\s/.test(value)) return false;
	const dot = domain.indexOf('.', 1);
	return value.length <= MAX_EMAIL_LENGTH && dot !== -1 && dot < domain.length - 1;
}

/** A fresh copy of seed.json: each simulator changes its own Contacts. */
export function loadDefaultSeed(): Seed {
	return structuredClone(defaultSeed) as Seed;
}

interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({
	status,
	body,
	headers,
});

function piggyError(code: number, errors?: Record<string, string[]>): Answer {
	return json(400, {
		message: PIGGY_MESSAGES[code] ?? 'Error.',
		code,
		status_code: 400,
		...(errors ? { errors } : {}),
	});
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > 1_000_000) throw new Error('body too large');
		chunks.push(chunk as Buffer);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	const type = request.headers['content-type'] ?? '';
	if (text === '') return {};
	if (type.startsWith('application/json')) {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
			throw new Error('A JSON object is expected.');
		}
		return parsed as Record<string, unknown>;
	}
	if (type.startsWith('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	return {};
}

const text = (value: unknown): string =>
	typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';

function faultAnswer(fault: Fault): Answer | undefined {
	if (fault.piggyCode !== undefined) return piggyError(fault.piggyCode);
	if (fault.nonJson) {
		return {
			status: 200,
			body: '<!doctype html><title>Piggy</title><p>Welcome to Piggy</p>',
			headers: { 'Content-Type': 'text/html; charset=utf-8' },
		};
	}
	if (fault.status === undefined) return undefined;
	const retry =
		fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : undefined;
	if (fault.status === 503) {
		return {
			status: 503,
			body: '<!doctype html><title>Service Unavailable</title><h1>Be right back.</h1>',
			headers: { 'Content-Type': 'text/html; charset=utf-8', ...retry },
		};
	}
	if (fault.status === 429) return json(429, { message: 'Too Many Attempts.' }, retry);
	return json(fault.status, { message: fault.status >= 500 ? 'Server Error' : 'Error' }, retry);
}

/** Starts the simulator on 127.0.0.1 and answers once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	const token = options.token ?? DEFAULT_TOKEN;
	const state = new SimulatorState(
		options.seed ?? loadDefaultSeed(),
		(options.codeTtlSeconds ?? DEFAULT_CODE_TTL_SECONDS) * 1000,
	);
	const faults = new FaultQueue();
	const runFault = options.fault ?? {};
	const log = options.log ?? (() => {});

	function control(method: string, url: URL, body: Record<string, unknown>): Answer {
		if (method === 'POST' && url.pathname === '/_simulator/contacts') {
			const email = text(body.email);
			if (!isEmail(email)) return json(422, { message: 'email is required' });
			const contact = state.findByEmail(email) ?? state.createContact(email, body.portal !== false);
			contact.portal = body.portal !== false;
			return json(201, { data: contact });
		}
		if (method === 'GET' && url.pathname === '/_simulator/mailbox') {
			return json(200, { data: state.mailFor(url.searchParams.get('email') ?? '') });
		}
		if (method === 'GET' && url.pathname === '/_simulator/tries') {
			return json(200, { data: state.triesFor(url.searchParams.get('email') ?? '') });
		}
		if (method === 'POST' && url.pathname === '/_simulator/faults') {
			const { times = 1, ...rest } = body;
			const fault = checkFault(body.fault ?? rest);
			if (typeof fault === 'string') return json(422, { message: fault });
			if (
				!Number.isInteger(times) ||
				(times as number) < 1 ||
				(times as number) > MAX_QUEUED_TIMES
			) {
				return json(422, { message: `times is a whole number from 1 to ${MAX_QUEUED_TIMES}` });
			}
			faults.push(fault, times as number);
			return json(201, { data: { queued: faults.size } });
		}
		if (method === 'DELETE' && url.pathname === '/_simulator/faults') {
			faults.clear();
			return json(200, { data: { queued: 0 } });
		}
		return json(404, { message: 'Unknown simulator control route.' });
	}

	function api(method: string, path: string, body: Record<string, unknown>): Answer {
		if (method === 'GET' && path === `${API}/shops`) return json(200, { data: state.shops });

		if (method === 'POST' && path === `${VERIFICATION}/send`) {
			const email = text(body.email);
			if (!isEmail(email)) {
				const problem = !email
					? 'The email field is required.'
					: email.length > MAX_EMAIL_LENGTH
						? `The email must not be greater than ${MAX_EMAIL_LENGTH} characters.`
						: 'The email must be a valid email address.';
				return piggyError(1003, { email: [problem] });
			}
			const contact = state.findByEmail(email);
			if (!contact) return piggyError(55031);
			if (!contact.portal) return piggyError(55032);
			state.issueCode(contact);
			return json(200, {
				data: {
					type: 'Success',
					message: `An email containing a link to verify your email has been sent to ${contact.email}. Please check your spam / junk as well.`,
				},
				meta: [],
			});
		}

		if (method === 'POST' && path === `${VERIFICATION}/verify`) {
			const email = text(body.email);
			const code = text(body.code);
			const errors: Record<string, string[]> = {};
			if (!code) errors.code = ['The code field is required.'];
			if (!email) errors.email = ['The email field is required.'];
			if (Object.keys(errors).length) return piggyError(1003, errors);
			const contact = state.findByEmail(email);
			if (contact && !contact.portal) return piggyError(55032);
			// Piggy documents only 1003, 55032 and 13010 here: an unknown address has no code either.
			if (!state.redeemCode(email, code) || !contact) return piggyError(13010);
			return json(200, { data: { uuid: contact.uuid }, meta: {} });
		}

		const authToken = path.match(new RegExp(`^${VERIFICATION}/auth-token/([^/]+)$`));
		if (method === 'GET' && authToken) {
			const contact = state.findByUuid(decodeURIComponent(authToken[1]));
			if (!contact) return piggyError(55031);
			if (!contact.portal) return piggyError(1053);
			const issued = state.issueAuthToken();
			return json(
				200,
				options.authTokenShape === 'string'
					? { data: issued }
					: { data: { auth_token: issued }, meta: [] },
			);
		}

		return json(404, { message: 'Not Found' });
	}

	async function answer(request: IncomingMessage): Promise<Answer> {
		const method = request.method ?? 'GET';
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		let body: Record<string, unknown>;
		try {
			body = await readBody(request);
		} catch {
			return url.pathname.startsWith('/_simulator/')
				? json(400, { message: 'Unreadable body.' })
				: piggyError(1003);
		}
		if (url.pathname.startsWith('/_simulator/')) {
			// JSON only: a web page elsewhere cannot send it without a CORS preflight, which this server
			// never grants, so a visited site cannot queue faults or create Contacts here.
			const isJson = (request.headers['content-type'] ?? '').startsWith('application/json');
			if (method === 'POST' && !isJson) {
				return json(415, { message: 'Control routes take JSON (Content-Type: application/json).' });
			}
			return control(method, url, body);
		}

		const header = request.headers['x-simulator-fault'];
		const fault: Fault = {
			...runFault,
			...(faults.next() ?? {}),
			...(typeof header === 'string' ? parseFault(header) : {}),
		};
		if (fault.latencyMs) await sleep(fault.latencyMs);
		const faulted = faultAnswer(fault);
		if (faulted) return faulted;

		if (request.headers.authorization !== `Bearer ${token}`) {
			return json(401, { message: 'Unauthenticated.' });
		}
		return api(method, url.pathname, body);
	}

	function send(response: ServerResponse, { status, body, headers }: Answer): void {
		const isText = typeof body === 'string';
		response.writeHead(status, {
			'Content-Type': 'application/json',
			...headers,
		});
		response.end(isText ? body : JSON.stringify(body));
	}

	const server: Server = createServer((request, response) => {
		const started = process.hrtime.bigint();
		answer(request)
			.catch((error: unknown) =>
				json(400, { message: error instanceof Error ? error.message : 'Bad request' }),
			)
			.then((result) => {
				send(response, result);
				const ms = Number(process.hrtime.bigint() - started) / 1e6;
				log(`${request.method} ${request.url} -> ${result.status} (${ms.toFixed(1)} ms)`);
			});
	});
	server.keepAliveTimeout = 5_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		token,
		state,
		faults,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
