import { request } from 'undici';

import { readResponse } from '../harness/http';

/**
 * The login a site built on the example workflows does: ask for a code, read it from the
 * (simulated) mailbox, log in with it. Many at once, a bounded number in flight.
 */

export interface Contact {
	email: string;
	uuid: string;
}

export interface CallResult {
	/** 0 when no HTTP answer came at all (connection refused or reset, client timeout). */
	status: number;
	json: unknown;
	text: string;
	/** When the call was sent, in ms since the suite's clock started (performance.now()). */
	sentAt: number;
	ms: number;
	error?: string;
}

export interface LoginResult {
	contact: Contact;
	send: CallResult;
	/** Absent when the send failed: there is no code to log in with. */
	login?: CallResult;
}

// A lost execution is answered only when n8n gives up on it (about a minute); wait well past that.
const CALL_TIMEOUT_MS = 300_000;

export async function postJson(url: string, body: unknown): Promise<CallResult> {
	const sentAt = performance.now();
	try {
		const response = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify(body),
			headersTimeout: CALL_TIMEOUT_MS,
			bodyTimeout: CALL_TIMEOUT_MS,
		});
		const { status, json, text } = await readResponse(response);
		return { status, json, text, sentAt, ms: performance.now() - sentAt };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			status: 0,
			json: undefined,
			text: '',
			sentAt,
			ms: performance.now() - sentAt,
			error: message,
		};
	}
}

async function getJson(url: string): Promise<unknown> {
	const response = await request(url, { headers: { accept: 'application/json' } });
	return await response.body.json();
}

/** `count` new Contacts with a Contacts Portal, created through the simulator's control route. */
export async function createContacts(
	simulatorUrl: string,
	prefix: string,
	count: number,
): Promise<Contact[]> {
	const contacts: Contact[] = [];
	for (let index = 0; index < count; index++) {
		const email = `${prefix}-${String(index).padStart(4, '0')}@queue.test`;
		const created = await postJson(`${simulatorUrl}/_simulator/contacts`, { email, portal: true });
		if (created.status !== 201)
			throw new Error(`creating ${email}: ${created.status} ${created.text}`);
		contacts.push({ email, uuid: (created.json as { data: Contact }).data.uuid });
	}
	return contacts;
}

export interface LoginTargets {
	n8nUrl: string;
	simulatorUrl: string;
}

async function logIn(
	{ n8nUrl, simulatorUrl }: LoginTargets,
	contact: Contact,
): Promise<LoginResult> {
	const send = await postJson(`${n8nUrl}/webhook/piggy/send-code`, { email: contact.email });
	if (send.status !== 200) return { contact, send };
	const mailbox = (await getJson(
		`${simulatorUrl}/_simulator/mailbox?email=${encodeURIComponent(contact.email)}`,
	)) as { data: Array<{ code: string }> };
	const code = mailbox.data[0]?.code;
	if (code === undefined) return { contact, send };
	const login = await postJson(`${n8nUrl}/webhook/piggy/login`, { email: contact.email, code });
	return { contact, send, login };
}

/**
 * Logs every Contact in, `concurrency` at a time, in order of the list. `afterEach` hears how many
 * logins have finished, e.g. to break something halfway; it must not block (start, don't await).
 */
export async function runLogins(
	targets: LoginTargets,
	contacts: Contact[],
	concurrency: number,
	afterEach: (finished: number) => void = () => {},
): Promise<LoginResult[]> {
	const results: LoginResult[] = new Array(contacts.length);
	let next = 0;
	let finished = 0;
	const lane = async () => {
		while (next < contacts.length) {
			const index = next++;
			results[index] = await logIn(targets, contacts[index]);
			afterEach(++finished);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, contacts.length) }, lane));
	return results;
}

/** A login that went all the way: both webhooks 200, the Contact's uuid and a token. */
export function loggedIn({ contact, send, login }: LoginResult): boolean {
	const sent = send.json as { sent?: unknown; email?: unknown } | undefined;
	const answer = login?.json as { uuid?: unknown; auth_token?: unknown } | undefined;
	return (
		send.status === 200 &&
		sent?.sent === true &&
		sent.email === contact.email &&
		login?.status === 200 &&
		answer?.uuid === contact.uuid &&
		typeof answer.auth_token === 'string' &&
		/^eyJ/.test(answer.auth_token)
	);
}
