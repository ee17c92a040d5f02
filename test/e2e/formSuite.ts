import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { getGlobalDispatcher, request } from 'undici';

import type { RunningSimulator } from '../../tools/simulator/server';
import { startSimulator } from '../../tools/simulator/server';
import type {
	CredentialImport,
	N8nInstance,
	RunningN8n,
	WorkflowImport,
} from '../../tools/n8n/n8n';
import {
	ensureN8n,
	importCredentials,
	importWorkflows,
	installPackage,
	makeUserFolder,
	n8nInstance,
	packPackage,
	startN8n,
} from '../../tools/n8n/n8n';
import type { StepTimings } from './stepTimings';

/**
 * What the form suites start before their tests: n8n 2.41.1 (installed into the cache once) with
 * the packed package in a fresh user folder, the Piggy simulator, the credential the examples
 * name (and any others given), and the workflows given, published. `stop` ends all of it, also
 * after a failed start.
 */
export class ExampleN8n {
	instance!: N8nInstance;
	simulator!: RunningSimulator;
	private n8n?: RunningN8n;
	private workDir?: string;

	constructor(
		private readonly options: {
			/** Names the user folder and prefixes what the suite prints. */
			label: string;
			token: string;
			timings: StepTimings;
			simulatorLog?: (line: string) => void;
		},
	) {}

	get url(): string {
		return this.instance.url;
	}

	get running(): RunningN8n {
		return this.n8n!;
	}

	async start(workflows: WorkflowImport[], credentials: CredentialImport[] = []): Promise<void> {
		const { label, token, timings } = this.options;
		const { timed } = timings;
		const log = (line: string) => process.stdout.write(`e2e ${label}: ${line}\n`);
		await timed('n8n install (cached after the first run)', () => ensureN8n(log));

		this.workDir = makeUserFolder(`piggy-e2e-${label}-`);
		const workDir = this.workDir;
		const tarball = await timed('npm pack', () => packPackage(join(workDir, 'pack')));
		await timed('package install into ~/.n8n/nodes', () => installPackage(workDir, tarball));

		this.simulator = await startSimulator({ port: 0, token, log: this.options.simulatorLog });
		this.instance = await n8nInstance(workDir);
		await timed('n8n import and publish', async () => {
			await importCredentials(this.instance, [
				{
					id: 'piggySimulator01',
					name: 'Piggy API (local simulator)',
					type: 'piggyApi',
					data: { apiKey: token, baseUrl: this.simulator.url },
				},
				...credentials,
			]);
			await importWorkflows(this.instance, workflows, { publish: true });
		});
		this.n8n = await timed('n8n start-up', () => startN8n(this.instance));
	}

	/** A call to the simulator's control routes (`/_simulator/...`); answers its JSON. */
	async control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
		const response = await request(`${this.simulator.url}/_simulator/${path}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return await response.body.json();
	}

	/** The codes Piggy has emailed to `email`, newest first. */
	async mailbox(email: string): Promise<string[]> {
		const { data } = (await this.control('GET', `mailbox?email=${encodeURIComponent(email)}`)) as {
			data: Array<{ code: string }>;
		};
		return data.map(({ code }) => code);
	}

	async stop(): Promise<void> {
		await this.n8n?.stop();
		await this.simulator?.close();
		if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
		await getGlobalDispatcher().close();
		const { label, timings } = this.options;
		process.stdout.write(`${timings.lines(`e2e ${label} timings (ms):`).join('\n')}\n`);
	}
}

/**
 * In Chromium: types `value` into the page's one field, presses the button and waits for the
 * page titled `nextTitle` (n8n's page asks every second whether the run has moved on).
 */
export async function submitForm(page: Page, value: string, nextTitle: string): Promise<void> {
	await page.locator('form input:visible').first().fill(value);
	await page.locator('#submit-btn').click();
	await page.locator('h1', { hasText: nextTitle }).waitFor({ timeout: 30_000 });
}
