import { request } from 'undici';

import { startSimulator } from '../tools/simulator/server';
import { importWorkflows } from '../tools/n8n/n8n';
import { postWebhook, startBenchN8n } from './n8nServer';
import type { BenchSetup } from './setup';
import { TOKEN } from './setup';
import { percentile } from './stats';
import type { LoginFlow } from './workflows';
import { LOGIN_PATHS, loginWorkflows } from './workflows';

// Login latency as a visitor feels it, against `n8n start`: POST <flow>/send-code {email}, read
// the code from the simulator's mailbox (not timed), POST <flow>/login {email, code}. A login's
// time is the two webhook calls together. Visitors log in one after another, each visitor in its
// own lane, all lanes at once.

export const LOGIN_FLOWS: LoginFlow[] = ['floor', 'piggyNode', 'httpRequestNode'];
export const VISITORS = [1, 20];
export const LATENCIES_MS = [0, 50];
/** Logins per case before the measured ones, shared by the lanes: n8n's and V8's caches warm up. */
const WARM_UP_LOGINS = 20;
/** Calls to Piggy in one login: send; verify and auth token. */
const PIGGY_CALLS_PER_LOGIN = 3;

export interface LatencyCase {
	flow: LoginFlow;
	visitors: number;
	latencyMs: number;
	logins: number;
	p50: number;
	p95: number;
	p99: number;
	/** Logins per second over the measured part. */
	throughput: number;
}

export interface LatencyResult {
	cases: LatencyCase[];
	/**
	 * Our flow's p50 minus the floor's, and the HTTP Request flow's minus the floor's, in ms; and
	 * the same less the simulator's own latency (3 calls to Piggy a login).
	 */
	addedOverFloor: Array<{
		visitors: number;
		latencyMs: number;
		piggyNode: number;
		httpRequestNode: number;
		piggyNodeBeyondPiggyLatency: number;
		httpRequestNodeBeyondPiggyLatency: number;
	}>;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
	const { status, text } = await postWebhook(url, body);
	return { status, json: JSON.parse(text || 'null') };
}

async function latestCode(simulatorUrl: string, email: string): Promise<string> {
	const response = await request(
		`${simulatorUrl}/_simulator/mailbox?email=${encodeURIComponent(email)}`,
	);
	const { data } = (await response.body.json()) as { data: Array<{ code: string }> };
	return data[0]?.code ?? '000000';
}

/** One login; answers the time of its two webhook calls in ms. */
async function logIn(n8nUrl: string, simulatorUrl: string, flow: LoginFlow, email: string) {
	const base = `${n8nUrl}/webhook/${LOGIN_PATHS[flow]}`;
	let started = performance.now();
	const sent = await post(`${base}/send-code`, { email });
	let ms = performance.now() - started;
	if (sent.status !== 200 || (sent.json as { sent?: unknown }).sent !== true) {
		throw new Error(`${flow} send-code answered ${sent.status} ${JSON.stringify(sent.json)}`);
	}
	const code = await latestCode(simulatorUrl, email);
	started = performance.now();
	const login = await post(`${base}/login`, { email, code });
	ms += performance.now() - started;
	if (
		login.status !== 200 ||
		typeof (login.json as { auth_token?: unknown }).auth_token !== 'string'
	) {
		throw new Error(`${flow} login answered ${login.status} ${JSON.stringify(login.json)}`);
	}
	return ms;
}

export async function measureLatency(
	setup: BenchSetup,
	loginsPerCase: number,
	say: (line: string) => void,
): Promise<LatencyResult> {
	const workflows = LOGIN_FLOWS.flatMap((flow) => loginWorkflows(flow, setup.simulatorUrl));
	await importWorkflows(setup.instance, workflows, { publish: true });

	const n8n = await startBenchN8n(setup.instance);
	const cases: LatencyCase[] = [];
	try {
		for (const latencyMs of LATENCIES_MS) {
			const simulator = await startSimulator({
				port: setup.simulatorPort,
				token: TOKEN,
				fault: { latencyMs },
			});
			try {
				for (const flow of LOGIN_FLOWS) {
					for (const visitors of VISITORS) {
						const emails = Array.from({ length: visitors }, (_, lane) => {
							const email = `visitor${lane}@bench.test`;
							if (!simulator.state.findByEmail(email)) simulator.state.createContact(email, true);
							return email;
						});
						const perLane = Math.ceil(loginsPerCase / visitors);
						const times: number[] = [];
						let measuredFrom = 0;
						let measuredUntil = 0;
						const lane = async (email: string) => {
							for (let index = 0; index < Math.ceil(WARM_UP_LOGINS / visitors); index++) {
								await logIn(setup.instance.url, simulator.url, flow, email);
							}
							measuredFrom ||= performance.now();
							for (let index = 0; index < perLane; index++) {
								times.push(await logIn(setup.instance.url, simulator.url, flow, email));
							}
							measuredUntil = Math.max(measuredUntil, performance.now());
						};
						await Promise.all(emails.map(lane));
						const round = (value: number) => Number(value.toFixed(1));
						const entry: LatencyCase = {
							flow,
							visitors,
							latencyMs,
							logins: times.length,
							p50: round(percentile(times, 50)),
							p95: round(percentile(times, 95)),
							p99: round(percentile(times, 99)),
							throughput: round((times.length * 1000) / (measuredUntil - measuredFrom)),
						};
						cases.push(entry);
						say(
							`  ${flow}, ${visitors} visitor(s), ${latencyMs} ms: p50 ${entry.p50} ms, ` +
								`p95 ${entry.p95} ms, p99 ${entry.p99} ms, ${entry.throughput} logins/s`,
						);
					}
				}
			} finally {
				await simulator.close();
			}
		}
	} finally {
		await n8n.stop();
	}
	const p50 = (flow: LoginFlow, visitors: number, latencyMs: number) =>
		cases.find((c) => c.flow === flow && c.visitors === visitors && c.latencyMs === latencyMs)!.p50;
	const added = (flow: LoginFlow, visitors: number, latencyMs: number) =>
		Number((p50(flow, visitors, latencyMs) - p50('floor', visitors, latencyMs)).toFixed(1));
	const addedOverFloor = LATENCIES_MS.flatMap((latencyMs) =>
		VISITORS.map((visitors) => {
			const piggyNode = added('piggyNode', visitors, latencyMs);
			const httpRequestNode = added('httpRequestNode', visitors, latencyMs);
			const piggyLatency = PIGGY_CALLS_PER_LOGIN * latencyMs;
			return {
				visitors,
				latencyMs,
				piggyNode,
				httpRequestNode,
				piggyNodeBeyondPiggyLatency: Number((piggyNode - piggyLatency).toFixed(1)),
				httpRequestNodeBeyondPiggyLatency: Number((httpRequestNode - piggyLatency).toFixed(1)),
			};
		}),
	);
	return { cases, addedOverFloor };
}
