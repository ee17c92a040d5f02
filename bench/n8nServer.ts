import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { request } from 'undici';

import type { N8nInstance, RunningN8n } from '../tools/n8n/n8n';
import { ownerSessionCookie, startN8n } from '../tools/n8n/n8n';
import { Inspector, inspectorUrl } from './inspector';

/** `n8n start` for the bench, with Node flags of its choice, its peak RSS and its REST API. */
export interface BenchN8n {
	running: RunningN8n;
	/** The n8n process's own peak RSS since start, or since the last `resetPeakRss()`, in bytes. */
	peakRss(): number;
	resetPeakRss(): void;
	/** The inspector, when started with `inspect`. */
	inspector?: Inspector;
	/** Whether the process is still running (not crashed, e.g. out of memory). */
	alive(): boolean;
	/** Settles when the process has exited. */
	exited: Promise<void>;
	/** The status of the workflow's latest execution, once n8n has saved it as ended. */
	finishedExecution(workflowId: string, timeoutMs: number): Promise<ExecutionSummary | undefined>;
	stop(): Promise<number | null>;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	startedAt: string;
	stoppedAt: string;
}

/** The resident set of a process, from /proc, in bytes; 0 once it is gone. */
function rssOf(pid: number): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
	} catch {
		return 0;
	}
}

export async function startBenchN8n(
	instance: N8nInstance,
	options: { nodeFlags?: string[]; inspect?: boolean } = {},
): Promise<BenchN8n> {
	const nodeFlags = [
		...(options.nodeFlags ?? []),
		...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
	];
	const running = await startN8n(instance, undefined, nodeFlags);
	const pid = running.process.pid!;
	let peak = rssOf(pid);
	const poll = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);

	let inspector: Inspector | undefined;
	if (options.inspect) {
		const url = inspectorUrl(running.output());
		if (!url)
			throw new Error(`n8n printed no inspector address:\n${running.output().slice(-2000)}`);
		inspector = await Inspector.connect(url);
	}

	let cookie = '';
	const rest = async (path: string): Promise<unknown> => {
		if (!cookie) cookie = await ownerSessionCookie(instance.url, 'piggy-bench');
		const response = await request(`${instance.url}${path}`, {
			headers: { cookie, 'browser-id': 'piggy-bench', accept: 'application/json' },
		});
		const text = await response.body.text();
		if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${text}`);
		return JSON.parse(text);
	};
	const alive = () => running.process.exitCode === null && running.process.signalCode === null;
	const exited = alive()
		? new Promise<void>((resolve) => running.process.once('exit', () => resolve()))
		: Promise.resolve();

	return {
		running,
		peakRss: () => Math.max(peak, rssOf(pid)),
		resetPeakRss: () => (peak = rssOf(pid)),
		inspector,
		alive,
		exited,
		async finishedExecution(workflowId, timeoutMs) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline && alive()) {
				const answer = (await rest(`/rest/executions?filter=${filter}&limit=1`)) as {
					data: { results: ExecutionSummary[] };
				};
				const latest = answer.data.results[0];
				if (latest && latest.stoppedAt && !['new', 'running', 'waiting'].includes(latest.status)) {
					return latest;
				}
				await sleep(250);
			}
			return undefined;
		},
		async stop() {
			clearInterval(poll);
			inspector?.close();
			await running.stop();
			return running.process.exitCode;
		},
	};
}

/** POSTs to a production webhook (`startBenchN8n` returns once n8n serves it). */
export async function postWebhook(
	url: string,
	body?: unknown,
): Promise<{ status: number; text: string }> {
	const response = await request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.statusCode, text: await response.body.text() };
}
