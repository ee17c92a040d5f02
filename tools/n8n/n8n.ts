import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { REPO_ROOT, cacheDir } from '../paths';
import type { Endpoint } from './endpoints';
import { triggerEndpoints, waitForEndpoints } from './endpoints';

/**
 * A real n8n for `npm run dev`, the screenshots, the bench and the e2e and queue-mode suites:
 * installed once into a cache outside the repo, with this package installed into a user folder
 * the way the Community Nodes screen does it.
 */

/** 2.41.1 is the newest 2.x the npm registry here installs completely (2.41.3 misses a dependency). */
export const N8N_VERSION = '2.41.1';

export { REPO_ROOT, cacheDir };

const installDir = () => join(cacheDir(), `n8n-${N8N_VERSION}`);
const installedMarker = () => join(installDir(), '.installed');
export const n8nBin = () => join(installDir(), 'node_modules', 'n8n', 'bin', 'n8n');

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
export async function run(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
): Promise<CommandResult> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', resolve);
	});
	if (code !== 0 && !options.allowFailure) {
		throw new Error(
			`${command} ${args.join(' ')} exited ${code}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`,
		);
	}
	return { code, stdout, stderr };
}

/** npm, with native builds pointed at the headers of the Node that runs us (not the machine's). */
function npmEnv(): NodeJS.ProcessEnv {
	const nodeHome = dirname(dirname(process.execPath));
	const headers = join(nodeHome, 'include', 'node', 'node.h');
	return existsSync(headers)
		? { ...process.env, npm_config_nodedir: nodeHome }
		: { ...process.env };
}

/**
 * Installs n8n into the cache unless it is there. A plain `npm install n8n` fails offline (an
 * install script downloads zlib), so scripts are skipped and only the native modules n8n needs
 * are rebuilt.
 */
export async function ensureN8n(
	log: (line: string) => void = () => {},
): Promise<{ installedNow: boolean }> {
	if (existsSync(installedMarker())) return { installedNow: false };
	if (Number(process.versions.node.split('.')[0]) < 24) {
		throw new Error(`n8n ${N8N_VERSION} needs Node 24; this is Node ${process.versions.node}`);
	}
	log(`Installing n8n ${N8N_VERSION} into ${installDir()} (first run only, a few minutes)...`);
	mkdirSync(installDir(), { recursive: true });
	writeFileSync(
		join(installDir(), 'package.json'),
		'{"name":"piggy-n8n-runtime","private":true}\n',
	);
	const env = npmEnv();
	await run(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${N8N_VERSION}`],
		{
			cwd: installDir(),
			env,
		},
	);
	log('Building n8n native modules (sqlite3, isolated-vm, ...)...');
	// Under `npm run`, npm passes this repository's ignore-scripts=true on to child npm processes;
	// a rebuild is nothing but scripts.
	await run(
		'npm',
		['rebuild', 'sqlite3', 'isolated-vm', '@parcel/watcher', 'msgpackr-extract', 'protobufjs'],
		{
			cwd: installDir(),
			env: { ...env, npm_config_ignore_scripts: 'false' },
		},
	);
	if (
		!existsSync(
			join(installDir(), 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		)
	) {
		throw new Error('Building sqlite3 for n8n failed: node_sqlite3.node is missing');
	}
	writeFileSync(installedMarker(), `${new Date().toISOString()}\n`);
	return { installedNow: true };
}

/** `npm pack` of this repository, or of another built checkout of it, into `destination`. */
export async function packPackage(destination: string, source = REPO_ROOT): Promise<string> {
	mkdirSync(destination, { recursive: true });
	await run('npm', ['pack', '--ignore-scripts', '--pack-destination', destination], {
		cwd: source,
	});
	const tarball = readdirSync(destination).find((file) => /^n8n-nodes-piggy-.*\.tgz$/.test(file));
	if (!tarball) throw new Error('npm pack made no tarball');
	return join(destination, tarball);
}

/** What the Community Nodes screen does: npm-install the package into `<user folder>/.n8n/nodes`. */
export async function installPackage(userFolder: string, tarball: string): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		writeFileSync(join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}\n');
	}
	await run(
		'npm',
		['install', '--ignore-scripts', '--package-lock=false', '--no-audit', '--no-fund', tarball],
		{
			cwd: nodesDir,
			env: npmEnv(),
		},
	);
}

export function makeUserFolder(prefix: string): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface N8nInstance {
	userFolder: string;
	port: number;
	url: string;
	env: NodeJS.ProcessEnv;
	/** What the workflows published by `importWorkflows` serve; `startN8n` waits for them. */
	endpoints: Endpoint[];
}

export const OWNER = { email: 'builder@example.com', password: 'Piggy-dev-1' };

/**
 * Signs in as OWNER over n8n's REST API, as the editor does; answers the session cookie for the
 * `cookie` header of later calls (sent with the same `browser-id`). Throws unless n8n says 200.
 */
export async function ownerSessionCookie(n8nUrl: string, browserId: string): Promise<string> {
	const response = await fetch(`${n8nUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	const text = await response.text();
	if (response.status !== 200) throw new Error(`n8n login: HTTP ${response.status} ${text}`);
	return response.headers
		.getSetCookie()
		.map((entry) => entry.split(';')[0])
		.join('; ');
}

/** Environment for a private, quiet n8n on 127.0.0.1 with the owner account already set up. */
export async function n8nInstance(userFolder: string, port?: number): Promise<N8nInstance> {
	const n8nPort = port ?? (await freePort());
	const bcrypt = require(join(installDir(), 'node_modules', 'bcryptjs')) as {
		hashSync(password: string, rounds: number): string;
	};
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'piggy-local-n8n-encryption-key',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(n8nPort),
		WEBHOOK_URL: `http://127.0.0.1:${n8nPort}/`,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
		N8N_LOG_LEVEL: 'warn',
		DB_SQLITE_POOL_SIZE: '2',
	};
	// An empty N8N_CUSTOM_EXTENSIONS makes n8n scan the working directory; NODE_ENV=test (set by
	// jest) makes it keep its database in memory, so every CLI command would start from nothing.
	delete env.N8N_CUSTOM_EXTENSIONS;
	delete env.JEST_WORKER_ID;
	env.NODE_ENV = 'production';
	return { userFolder, port: n8nPort, url: `http://127.0.0.1:${n8nPort}`, env, endpoints: [] };
}

/** Runs an n8n CLI command (import, publish, execute-batch, export) against the instance's folder. */
export async function n8nCli(
	instance: N8nInstance,
	args: string[],
	allowFailure = false,
): Promise<CommandResult> {
	return await run(process.execPath, [n8nBin(), ...args], { env: instance.env, allowFailure });
}

/** A credential as n8n's `import:credentials` reads it (`data` unencrypted). */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/**
 * Imports credentials with n8n's CLI, which reads them from a file: the file is written into the
 * instance's user folder and removed again (it holds the secrets in clear).
 */
export async function importCredentials(
	instance: N8nInstance,
	credentials: CredentialImport[],
): Promise<void> {
	const file = join(instance.userFolder, `credentials-import-${process.pid}-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(credentials));
	try {
		await n8nCli(instance, ['import:credentials', `--input=${file}`]);
	} finally {
		rmSync(file, { force: true });
	}
}

/** A workflow as n8n's `import:workflow` reads it, or the path of a file holding one. */
export type WorkflowImport = string | { id: string; nodes?: unknown[] };

/**
 * Imports workflows with n8n's CLI in one call (through a folder in the user folder, removed
 * afterwards) and publishes them, all of them or the ids given: active from the next `n8n start`
 * on, which then waits until n8n serves their webhooks and forms.
 */
export async function importWorkflows(
	instance: N8nInstance,
	workflows: WorkflowImport[],
	options: { publish: boolean | string[] },
): Promise<void> {
	const parsed = workflows.map((workflow) =>
		typeof workflow === 'string'
			? (JSON.parse(readFileSync(workflow, 'utf8')) as Exclude<WorkflowImport, string>)
			: workflow,
	);
	const dir = mkdtempSync(join(instance.userFolder, 'workflow-import-'));
	try {
		for (const workflow of parsed) {
			writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
		}
		await n8nCli(instance, ['import:workflow', '--separate', `--input=${dir}`]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const { publish } = options;
	const published = parsed.filter(({ id }) =>
		Array.isArray(publish) ? publish.includes(id) : publish,
	);
	for (const workflow of published) {
		await n8nCli(instance, ['publish:workflow', `--id=${workflow.id}`]);
		instance.endpoints.push(...triggerEndpoints(workflow));
	}
}

export interface RunningN8n {
	process: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts an n8n command (`start`, `worker`, ...) in its own process group, so that stopping it
 * also ends the task runner it starts; collects what it prints. `nodeFlags` go to Node itself
 * (e.g. `--max-old-space-size=256`, `--inspect=127.0.0.1:0`).
 */
export function spawnN8n(
	instance: N8nInstance,
	args: string[],
	echo?: (chunk: string) => void,
	nodeFlags: string[] = [],
): RunningN8n {
	const child = spawn(process.execPath, [...nodeFlags, n8nBin(), ...args], {
		env: instance.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const collect = (chunk: Buffer) => {
		output += chunk.toString();
		echo?.(chunk.toString());
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		try {
			process.kill(-child.pid!, 'SIGTERM');
		} catch {
			return;
		}
		const stopped = await Promise.race([
			exited.then(() => true),
			sleep(15_000, undefined, { ref: false }).then(() => false),
		]);
		if (!stopped) {
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// already gone
			}
			await exited;
		}
	};

	return { process: child, output: () => output, stop };
}

/**
 * Starts `n8n start` in its own process group and waits until the editor answers and n8n serves
 * the webhooks and forms of every workflow published with `importWorkflows`: n8n reports ready
 * before it has registered them. Throws, naming what did not come up, after `timeoutMs`.
 */
export async function startN8n(
	instance: N8nInstance,
	echo?: (chunk: string) => void,
	nodeFlags: string[] = [],
	timeoutMs = 120_000,
): Promise<RunningN8n> {
	const started = spawnN8n(instance, ['start'], echo, nodeFlags);
	const { process: child, output, stop } = started;
	const deadline = Date.now() + timeoutMs;
	// A process killed by a signal (SIGABRT when V8 runs out of heap) has no exit code.
	const exited = () =>
		child.exitCode !== null || child.signalCode !== null
			? `n8n exited early (${child.exitCode ?? child.signalCode})`
			: undefined;
	try {
		await waitUntilReady(instance.url, deadline, exited);
		await waitForEndpoints(instance.url, instance.endpoints, deadline, exited);
		return started;
	} catch (error) {
		await stop();
		const what = error instanceof Error ? error.message : String(error);
		const waitedFor = ['healthz/readiness', ...instance.endpoints.map(({ path }) => path)];
		throw new Error(
			`${what}, waiting up to ${Math.round(timeoutMs / 1000)} s for /${waitedFor.join(', /')}:\n${output().slice(-4000)}`,
		);
	}
}

async function waitUntilReady(
	url: string,
	deadline: number,
	exited: () => string | undefined,
): Promise<void> {
	for (;;) {
		const ended = exited();
		if (ended) throw new Error(ended);
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			await response.arrayBuffer();
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('n8n did not become ready');
		await sleep(250);
	}
}
