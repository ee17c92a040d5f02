import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nInstance, RunningN8n } from '../../tools/n8n/n8n';
import {
	REPO_ROOT,
	ensureN8n,
	importCredentials,
	importWorkflows,
	installPackage,
	makeUserFolder,
	n8nInstance,
	packPackage,
	startN8n,
} from '../../tools/n8n/n8n';
import type { RunningPostgres, RunningService, RunningWorker } from './services';
import {
	ensureQueueServices,
	queueModeEnv,
	startPostgres,
	startRedis,
	startWorker,
	userFolderSharingNodes,
	withEnv,
} from './services';
import { removeIfRunDies, stopIfRunDies } from './reaper';
import type { RunningSimulator } from '../../tools/simulator/server';
import { startSimulator } from '../../tools/simulator/server';
import type { StepTimings } from '../e2e/stepTimings';
import { NO_LIMITS, separateCopy, withLimits } from '../harness/loginLimits';

/**
 * A queue-mode deployment on this machine: Redis, PostgreSQL, the Piggy simulator, n8n main
 * with the example workflows published, and workers. Filled in as it starts, so that `stop`
 * ends whatever did start, also after a failed start.
 */

export const CREDENTIAL = { id: 'piggySimulator01', name: 'Piggy API (local simulator)' };
export const WORKFLOW = { send: 'piggySendCode001', login: 'piggyLoginCode01' };
/** The send-a-code example with the limits it ships with, on its own path and table. */
export const LIMITED_SEND = {
	id: 'piggySendLimited',
	name: 'Piggy: send a login code (as shipped)',
	path: 'piggy/send-code-limited',
	webhookId: '4f1f7a0e-5d2b-4d7e-8c11-2b6e0d5a9f98',
	tableName: 'Queue test codes',
	limits: {},
};
/**
 * The log-in-with-a-code example with the limits it ships with, on its own path and table, but
 * for the per-minute cap on tries: 10 bursts of 5 tries reach it in seconds (measured: the 7th
 * burst on got none through), and the per-address bound is what the suite measures.
 */
export const LIMITED_LOGIN = {
	id: 'piggyLoginLimited',
	name: 'Piggy: log in with a code (per-address limits as shipped)',
	path: 'piggy/login-limited',
	webhookId: '9a3c6b2d-1e4f-4a5b-9c7d-6f0e2a7b1c98',
	tableName: 'Queue test tries',
	limits: { triesPerMinute: 100_000 },
};

export interface DeploymentOptions {
	token: string;
	workers: number;
	workerConcurrency: number;
	/** One user folder for all processes, instead of one per worker sharing only .n8n/nodes. */
	sharedUserFolder: boolean;
	timed: StepTimings['timed'];
}

export class Deployment {
	workDir = '';
	redis?: RunningService;
	postgres?: RunningPostgres;
	simulator?: RunningSimulator;
	instance?: N8nInstance;
	main?: RunningN8n;
	/** Every worker started, in order, also those started again after a kill. */
	readonly workers: RunningWorker[] = [];
	/** Each first worker's user folder; a restarted worker gets its predecessor's. */
	readonly workerFolders: string[] = [];

	constructor(private readonly options: DeploymentOptions) {}

	async start(): Promise<void> {
		const { timed, token } = this.options;
		const log = (line: string) => process.stdout.write(`queue: ${line}\n`);
		await timed('n8n install (cached after the first run)', () => ensureN8n(log));
		await timed('Redis + PostgreSQL install (first run only)', () => ensureQueueServices(log));

		const folder = makeUserFolder('piggy-queue-');
		this.workDir = folder;
		removeIfRunDies(folder);
		const redis = await timed('Redis start-up', () => startRedis(join(folder, 'redis')));
		this.redis = redis;
		const postgres = await timed('PostgreSQL start-up (initdb, start, database)', startPostgres);
		this.postgres = postgres;
		const tarball = await timed('npm pack', () => packPackage(join(folder, 'pack')));
		await timed('package install into .n8n/nodes', () => installPackage(folder, tarball));
		const simulator = await timed('simulator start-up', () => startSimulator({ port: 0, token }));
		this.simulator = simulator;
		const instance = withEnv(await n8nInstance(folder), queueModeEnv(redis, postgres));
		this.instance = instance;

		await timed('n8n import + publish into PostgreSQL (runs the migrations)', () =>
			this.importExamples(`${simulator.url}/`),
		);
		// Until its webhooks answer: n8n reports ready before it has registered them.
		this.main = await timed('n8n main start-up', () => startN8n(instance));
		stopIfRunDies(this.main.process, 'SIGKILL');

		for (let index = 1; index <= this.options.workers; index++) {
			this.workerFolders.push(
				this.options.sharedUserFolder
					? folder
					: userFolderSharingNodes(join(folder, `worker-${index}`), folder),
			);
		}
		// All at once, as a deployment starts them; each start-up is timed on its own.
		const started = await Promise.all(
			this.workerFolders.map((userFolder, index) =>
				timed(`worker ${index + 1} start-up`, () => this.startWorker(userFolder)),
			),
		);
		this.workers.push(...started);
	}

	/** The credential (pointing at the simulator) and the example workflows, published. */
	private async importExamples(baseUrl: string): Promise<void> {
		const instance = this.instance!;
		await importCredentials(instance, [
			{ ...CREDENTIAL, type: 'piggyApi', data: { apiKey: this.options.token, baseUrl } },
		]);
		const example = (file: string) => join(REPO_ROOT, 'examples', file);
		// The waves of logins send and try many codes a minute: the limits are tested on
		// LIMITED_SEND and LIMITED_LOGIN.
		const workflows = [
			withLimits(example('send-login-code.json'), NO_LIMITS),
			withLimits(example('login-with-code.json'), NO_LIMITS),
			separateCopy(example('send-login-code.json'), LIMITED_SEND),
			separateCopy(example('login-with-code.json'), LIMITED_LOGIN),
		];
		await importWorkflows(instance, workflows, { publish: true });
	}

	startWorker(userFolder: string): Promise<RunningWorker> {
		return startWorker(this.instance!, this.options.workerConcurrency, userFolder);
	}

	/** Stops everything that started, each step on its own so that one failure stops no other. */
	async stop(): Promise<void> {
		const steps: Array<() => Promise<unknown> | undefined> = [
			() => Promise.all(this.workers.map((worker) => worker.stop())),
			() => this.main?.stop(),
			() => this.simulator?.close(),
			() => this.postgres?.stop(),
			() => this.redis?.stop(),
		];
		for (const step of steps) {
			try {
				await step();
			} catch (error) {
				process.stdout.write(`queue: a cleanup step failed: ${String(error)}\n`);
			}
		}
		if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
	}

	/** Writes what main and each worker printed into `folder`. */
	keepLogs(folder: string): void {
		mkdirSync(folder, { recursive: true });
		if (this.main) writeFileSync(join(folder, 'main.log'), this.main.output());
		this.workers.forEach((worker, index) =>
			writeFileSync(join(folder, `worker-${index + 1}.log`), worker.output()),
		);
	}
}
