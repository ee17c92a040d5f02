import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a local server saw of one request. */
export interface SeenRequest {
	method: string;
	url: string;
	authorization: string | undefined;
	body: string;
}

export interface LocalServer {
	url: string;
	port: number;
	requests: SeenRequest[];
	close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port) that records every request before `handle` answers. */
export async function localServer(
	handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LocalServer> {
	const requests: SeenRequest[] = [];
	const server = createServer(async (request, response) => {
		let body = '';
		for await (const chunk of request) body += String(chunk);
		requests.push({
			method: request.method ?? '',
			url: request.url ?? '',
			authorization: request.headers.authorization,
			body,
		});
		handle(request, response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
