import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import nock from 'nock';

import { triggerEndpoints, waitForEndpoints } from '../tools/n8n/endpoints';
import type { LocalServer } from './harness/localServer';
import { localServer } from './harness/localServer';

// How the real-n8n harness (tools/n8n) knows n8n serves a published workflow: every test, dev
// and bench start waits on this. Here a local server answers the way n8n 2.41.1 does before and
// after it has registered a webhook and a form.

beforeAll(() => nock.enableNetConnect('127.0.0.1'));

const example = (file: string) =>
	JSON.parse(readFileSync(join(__dirname, '..', 'examples', file), 'utf8')) as {
		nodes: unknown[];
	};

const NOT_REGISTERED = (path: string) =>
	JSON.stringify({ code: 404, message: `The requested webhook "GET ${path}" is not registered.` });
const REGISTERED_FOR_POST = JSON.stringify({
	code: 404,
	message: 'This webhook is not registered for GET requests. Did you mean to make a POST request?',
});

/** n8n registering after `afterRequests` requests: until then 404 for both, then served. */
async function n8nRegisteringAfter(afterRequests: number): Promise<LocalServer> {
	let seen = 0;
	return await localServer((request, response) => {
		const registered = ++seen > afterRequests;
		if (request.url === '/form/piggy-login') {
			response
				.writeHead(registered ? 200 : 404)
				.end(registered ? '<form>' : 'Problem loading form');
		} else {
			response
				.writeHead(404)
				.end(registered ? REGISTERED_FOR_POST : NOT_REGISTERED('piggy/send-code'));
		}
	});
}

test('the examples serve what their triggers say', () => {
	expect(triggerEndpoints(example('send-login-code.json'))).toEqual([
		{ kind: 'webhook', method: 'POST', path: 'webhook/piggy/send-code' },
	]);
	expect(triggerEndpoints(example('login-with-code.json'))).toEqual([
		{ kind: 'webhook', method: 'POST', path: 'webhook/piggy/login' },
	]);
	expect(triggerEndpoints(example('form-login.json'))).toEqual([
		{ kind: 'form', method: 'GET', path: 'form/piggy-login' },
	]);
	const chat = example('chat-verify-identity.json');
	expect(triggerEndpoints(chat)).toEqual([
		{ kind: 'chat', method: 'POST', path: 'webhook/piggy-chat-verify-identity/chat' },
	]);
	// An embedded chat answers a GET by running its workflow: it is not probed.
	const embedded = structuredClone(chat) as { nodes: Array<{ parameters: { mode?: string } }> };
	embedded.nodes[0].parameters.mode = 'webhook';
	expect(triggerEndpoints(embedded)).toEqual([]);
});

test('waits until the webhook and the form are served, asking without running them', async () => {
	const n8n = await n8nRegisteringAfter(6);
	try {
		const endpoints = [
			...triggerEndpoints(example('send-login-code.json')),
			...triggerEndpoints(example('form-login.json')),
		];
		await waitForEndpoints(n8n.url, endpoints, Date.now() + 10_000, () => undefined);

		expect(n8n.requests.length).toBeGreaterThanOrEqual(7);
		expect(new Set(n8n.requests.map(({ method, url }) => `${method} ${url}`))).toEqual(
			new Set(['GET /webhook/piggy/send-code', 'GET /form/piggy-login']),
		);
	} finally {
		await n8n.close();
	}
});

test('after the deadline it names what n8n did not serve, with n8n’s last answer', async () => {
	const n8n = await n8nRegisteringAfter(Number.POSITIVE_INFINITY);
	try {
		const endpoints = triggerEndpoints(example('send-login-code.json'));
		await expect(
			waitForEndpoints(n8n.url, endpoints, Date.now() + 300, () => undefined),
		).rejects.toThrow(
			`n8n did not register POST /webhook/piggy/send-code (last answer: HTTP 404 ${NOT_REGISTERED('piggy/send-code')})`,
		);
	} finally {
		await n8n.close();
	}
});

test('stops waiting at once when n8n has exited', async () => {
	const n8n = await n8nRegisteringAfter(Number.POSITIVE_INFINITY);
	try {
		const endpoints = triggerEndpoints(example('form-login.json'));
		const waited = waitForEndpoints(n8n.url, endpoints, Date.now() + 60_000, () =>
			n8n.requests.length >= 2 ? 'n8n exited early (1)' : undefined,
		);
		await expect(waited).rejects.toThrow('n8n exited early (1)');
		expect(n8n.requests.length).toBe(2);
	} finally {
		await n8n.close();
	}
});
