// Reproduction for docs/n8n-agent-per-request.md: n8n's outbound HTTP client
// (@n8n/backend-network's OutboundHttp, behind this.helpers.httpRequest and
// httpRequestWithAuthentication) builds a new http.Agent and https.Agent for every request, so
// every request opens a new TCP connection, even with agentOptions.keepAlive.
//
//   node docs/n8n-agent-per-request.mjs [requests]      (default 200)
//
// It sends the requests to a local HTTP server on 127.0.0.1 and counts the TCP connections the
// server accepts and the Agents constructed, through OutboundHttp and, for comparison, through
// Node's http.request with one shared keep-alive Agent. Needs @n8n/backend-network and @n8n/di
// (the versions n8n-core 2.41.1 pins: 1.15.1 and 0.17.0) and nothing else; no network.

import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const requests = Number(process.argv[2] ?? 200);

// Count Agent constructions. n8n's agent classes extend http.Agent and https.Agent when their
// modules load, so the counting classes must be in place before @n8n/backend-network is loaded.
const built = { http: 0, https: 0 };
const HttpAgent = http.Agent;
const HttpsAgent = https.Agent;
http.Agent = class CountedHttpAgent extends HttpAgent {
	constructor(...args) {
		super(...args);
		built.http++;
	}
};
https.Agent = class CountedHttpsAgent extends HttpsAgent {
	constructor(...args) {
		super(...args);
		built.https++;
	}
};

const { Container } = require('@n8n/di');
const { OutboundHttp } = require('@n8n/backend-network');

let connections = 0;
let open = 0;
const server = http.createServer((request, response) => {
	request.resume();
	request.on('end', () => response.end('{"ok":true}'));
});
server.on('connection', (socket) => {
	connections++;
	open++;
	socket.on('close', () => open--);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

async function measure(label, send) {
	const before = { connections, open, http: built.http, https: built.https };
	const started = performance.now();
	for (let index = 0; index < requests; index++) await send();
	const ms = performance.now() - started;
	console.log(
		`${label.padEnd(58)} ${String(connections - before.connections).padStart(5)} connections, ` +
			`${String(built.http - before.http).padStart(5)} http.Agent + ` +
			`${String(built.https - before.https).padStart(5)} https.Agent built, ` +
			`${(ms / requests).toFixed(3)} ms a request, ${open - before.open} left open`,
	);
}

const outbound = Container.get(OutboundHttp).requests();
console.log(`${requests} sequential GET requests to ${url}, Node ${process.version}\n`);

await measure('OutboundHttp.requests().request()', () =>
	outbound.request({ method: 'GET', url, json: true }),
);
await measure('OutboundHttp ... with agentOptions: { keepAlive: true }', () =>
	outbound.request({ method: 'GET', url, json: true, agentOptions: { keepAlive: true } }),
);

const sharedAgent = new HttpAgent({ keepAlive: true });
await measure(
	'http.request with one shared keep-alive Agent',
	() =>
		new Promise((resolve, reject) => {
			http
				.get(url, { agent: sharedAgent }, (response) => {
					response.resume();
					response.on('end', resolve);
				})
				.on('error', reject);
		}),
);

sharedAgent.destroy();
server.closeAllConnections();
server.close();
