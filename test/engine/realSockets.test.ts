import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';

import { TEST_CREDENTIALS, errorOf, loadWorkflow, runWorkflow } from '../harness/engine';

// Real sockets, no nock: what a builder meets with a wrong or unreachable Base URL.

beforeAll(() =>
	nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.includes('.invalid')),
);

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function runWith(baseUrl: string) {
	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		credentials: { ...TEST_CREDENTIALS, baseUrl },
		parameters: { options: { timeout: 5_000 } },
	});
	return result.output('Piggy', 1).map(errorOf);
}

test('connection refused on a local port', async () => {
	const errors = await runWith(`http://127.0.0.1:${await closedPort()}`);
	expect(errors).toEqual([
		expect.objectContaining({ reason: 'connection_failed', message: 'Could not connect to Piggy' }),
	]);
});

test('a host that does not resolve', async () => {
	const errors = await runWith('https://piggy-api-does-not-exist.invalid');
	expect(errors).toEqual([
		expect.objectContaining({ reason: 'connection_failed', httpCode: null }),
	]);
});

test('https to a server that does not speak TLS', async () => {
	const server = createServer((_request, response) => response.end('plain http'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const errors = await runWith(`https://127.0.0.1:${port}`);
		expect(errors).toEqual([
			expect.objectContaining({
				reason: 'tls_failed',
				message: 'The secure connection to Piggy could not be set up',
			}),
		]);
	} finally {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

test('a server that never answers hits the Timeout option', async () => {
	const server = createServer(() => {
		// never answers
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			credentials: { ...TEST_CREDENTIALS, baseUrl: `http://127.0.0.1:${port}` },
			parameters: { options: { timeout: 200 } },
		});
		expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
			expect.objectContaining({ reason: 'timeout', message: 'Piggy did not answer within 200 ms' }),
		]);
	} finally {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});
