import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import {
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { N8nInstance, RunningN8n } from '../../tools/n8n/n8n';
import { freePort, run, spawnN8n } from '../../tools/n8n/n8n';
import { removeIfRunDies, stopIfRunDies } from './reaper';

/**
 * n8n's queue mode on this machine: a private Redis and PostgreSQL (on 127.0.0.1, data in a temp
 * folder, ports chosen free), and `n8n worker` processes beside `n8n start`.
 */

const POSTGRES_ROOT = '/usr/lib/postgresql';
const REDIS_CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const DEBIAN_PACKAGES = ['redis-server', 'postgresql'];

const isRoot = () => process.getuid?.() === 0;

function redisServerBin(): string | undefined {
	return REDIS_CANDIDATES.find((path) => existsSync(path));
}

/** The newest PostgreSQL's bin folder, e.g. /usr/lib/postgresql/15/bin. */
function postgresBinDir(): string | undefined {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((version) => existsSync(join(POSTGRES_ROOT, version, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/**
 * Installs Redis and PostgreSQL from Debian when they are missing. Only root may: anyone else is
 * told what to install, rather than the suite failing later with a missing binary.
 */
export async function ensureQueueServices(
	log: (line: string) => void = () => {},
): Promise<{ installedNow: boolean }> {
	if (redisServerBin() && postgresBinDir()) return { installedNow: false };
	if (!isRoot()) {
		throw new Error(
			`Queue mode needs Redis and PostgreSQL: install them (as root: apt-get install -y ${DEBIAN_PACKAGES.join(' ')}), ` +
				`then run this again. Looked for redis-server in ${REDIS_CANDIDATES.join(', ')} and initdb in ${POSTGRES_ROOT}/*/bin.`,
		);
	}
	log(`Installing ${DEBIAN_PACKAGES.join(', ')} with apt-get (first run only)...`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await run('apt-get', ['update'], { env });
	await run('apt-get', ['install', '-y', '--no-install-recommends', ...DEBIAN_PACKAGES], { env });
	if (!redisServerBin() || !postgresBinDir()) {
		throw new Error(
			'apt-get installed redis-server and postgresql, but their binaries are missing',
		);
	}
	return { installedNow: true };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		// already gone
	}
}

/** Resolves when the child has exited, at once if it already has. */
function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface RunningService {
	port: number;
	output(): string;
	stop(): Promise<void>;
}

/** Spawns a server in its own process group and waits for the line that says it is ready. */
async function startServer(
	name: string,
	command: string,
	args: string[],
	ready: RegExp,
	options: {
		uid?: number;
		gid?: number;
		cwd?: string;
		stopSignal: NodeJS.Signals;
		/** What to send if the test run dies (then SIGKILL): the quickest clean shutdown. */
		runDiedSignal: NodeJS.Signals;
	},
): Promise<Omit<RunningService, 'port'>> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		uid: options.uid,
		gid: options.gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const forget = stopIfRunDies(child, options.runDiedSignal);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return forget();
		signalGroup(child, options.stopSignal);
		const stopped = await Promise.race([
			exited(child).then(() => true),
			new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000).unref()),
		]);
		if (!stopped) signalGroup(child, 'SIGKILL');
		await exited(child);
		forget();
	};

	const deadline = Date.now() + 60_000;
	while (!ready.test(output)) {
		if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`${name} did not start:\n${output.slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return { output: () => output, stop };
}

/** A Redis that keeps nothing on disk and listens on 127.0.0.1 only. */
export async function startRedis(dataDir: string): Promise<RunningService> {
	const bin = redisServerBin();
	if (!bin) throw new Error('redis-server is not installed (see ensureQueueServices)');
	const port = await freePort();
	mkdirSync(dataDir, { recursive: true });
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir];
	const server = await startServer(
		'Redis',
		bin,
		[...args, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		/Ready to accept connections/,
		{ stopSignal: 'SIGTERM', runDiedSignal: 'SIGTERM' },
	);
	return { ...server, port };
}

export interface RunningPostgres extends RunningService {
	user: string;
	database: string;
	/** Runs a query and answers its rows as objects (through psql and json_agg). */
	rows<T>(query: string): Promise<T[]>;
}

/** The account PostgreSQL runs as: initdb and postgres refuse root. */
function postgresAccount(): { uid: number; gid: number } | undefined {
	if (!isRoot()) return undefined;
	const entry = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((line) => line.startsWith('postgres:'));
	if (!entry) throw new Error('PostgreSQL runs as the "postgres" user, and there is none');
	const [, , uid, gid] = entry.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throwaway PostgreSQL cluster: `initdb` into a temp folder owned by the postgres user, local
 * "trust" logins for the user n8n, a socket folder of its own and TCP on 127.0.0.1 only.
 */
export async function startPostgres(): Promise<RunningPostgres> {
	const binDir = postgresBinDir();
	if (!binDir) throw new Error('PostgreSQL is not installed (see ensureQueueServices)');
	const account = postgresAccount();
	// A folder of its own: mkdtemp makes it 0700, so the postgres user must own it to enter it.
	const root = mkdtempSync(join(tmpdir(), 'piggy-postgres-'));
	removeIfRunDies(root);
	const dataDir = join(root, 'data');
	const socketDir = join(root, 'socket');
	mkdirSync(socketDir);
	if (account) chownSync(root, account.uid, account.gid);
	if (account) chownSync(socketDir, account.uid, account.gid);
	const user = 'n8n';
	const database = 'n8n';

	const asPostgres = { uid: account?.uid, gid: account?.gid, cwd: root };
	const initdb = spawn(join(binDir, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', user], {
		...asPostgres,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let initOutput = '';
	initdb.stdout.on('data', (chunk: Buffer) => (initOutput += chunk.toString()));
	initdb.stderr.on('data', (chunk: Buffer) => (initOutput += chunk.toString()));
	const initCode = await new Promise<number | null>((resolve) => initdb.once('close', resolve));
	if (initCode !== 0) {
		rmSync(root, { recursive: true, force: true });
		throw new Error(`initdb failed (${initCode}):\n${initOutput.slice(-4000)}`);
	}

	const port = await freePort();
	const server = await startServer(
		'PostgreSQL',
		join(binDir, 'postgres'),
		['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1'],
		/database system is ready to accept connections/,
		// SIGINT is PostgreSQL's "fast" shutdown: it ends the sessions of the stopped n8n at once.
		// SIGQUIT, its "immediate" one, for when the run died and n8n may still be connected.
		{ ...asPostgres, stopSignal: 'SIGINT', runDiedSignal: 'SIGQUIT' },
	);

	const psql = (db: string, sql: string) =>
		run(join(binDir, 'psql'), [
			'-X',
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			user,
			'-d',
			db,
			'-v',
			'ON_ERROR_STOP=1',
			'-At',
			'-c',
			sql,
		]);
	try {
		await psql('postgres', `CREATE DATABASE ${database}`);
	} catch (error) {
		await server.stop();
		rmSync(root, { recursive: true, force: true });
		throw error;
	}

	return {
		...server,
		stop: async () => {
			await server.stop();
			rmSync(root, { recursive: true, force: true });
		},
		port,
		user,
		database,
		rows: async <T>(query: string) => {
			const { stdout } = await psql(
				database,
				`SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM (${query}) q`,
			);
			return JSON.parse(stdout) as T[];
		},
	};
}

/**
 * What main and every worker share in queue mode: the database, the Redis that holds the queue,
 * and JSON logs at info level, which carry the per-execution records this suite reads.
 */
export function queueModeEnv(redis: RunningService, postgres: RunningPostgres): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_DATABASE: postgres.database,
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
	};
}

/** The instance with more environment: the same user folder, encryption key and owner. */
export function withEnv(instance: N8nInstance, env: NodeJS.ProcessEnv): N8nInstance {
	return { ...instance, env: { ...instance.env, ...env } };
}

/**
 * A user folder of a worker's own whose .n8n/nodes is the shared one, as when one volume is
 * mounted at every worker's ~/.n8n/nodes: the package is installed once, nothing else is shared.
 */
export function userFolderSharingNodes(folder: string, sharedUserFolder: string): string {
	mkdirSync(join(folder, '.n8n'), { recursive: true });
	symlinkSync(join(sharedUserFolder, '.n8n', 'nodes'), join(folder, '.n8n', 'nodes'), 'dir');
	return folder;
}

export interface RunningWorker extends RunningN8n {
	/** SIGKILL to the worker and its task runner, as when its machine dies. */
	kill(): Promise<void>;
}

/**
 * Starts `n8n worker` and waits until it takes jobs. Each process needs its own task-runner
 * broker port; everything else comes from the instance, which main shares, except the user
 * folder when one is given.
 */
export async function startWorker(
	instance: N8nInstance,
	concurrency: number,
	userFolder = instance.userFolder,
): Promise<RunningWorker> {
	const env = {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_USER_FOLDER: userFolder,
	};
	const worker = spawnN8n(withEnv(instance, env), ['worker', `--concurrency=${concurrency}`]);
	const forget = stopIfRunDies(worker.process, 'SIGKILL');
	const stop = async () => {
		await worker.stop();
		forget();
	};
	const deadline = Date.now() + 120_000;
	while (!worker.output().includes('n8n worker is now ready')) {
		const { exitCode } = worker.process;
		if (exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`n8n worker did not start (${exitCode}):\n${worker.output().slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		...worker,
		stop,
		kill: async () => {
			signalGroup(worker.process, 'SIGKILL');
			await exited(worker.process);
			forget();
		},
	};
}

export interface LogRecord {
	level: string;
	message: string;
	/** What n8n logged with the message (executionId, workerId, ...) and its timestamp. */
	metadata?: Record<string, unknown>;
}

/** n8n's JSON log lines (N8N_LOG_FORMAT=json); anything else it printed is skipped. */
export function logRecords(output: string): LogRecord[] {
	const records: LogRecord[] = [];
	for (const line of output.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const record = JSON.parse(line) as LogRecord;
			if (typeof record.message === 'string') records.push(record);
		} catch {
			// a line that only looks like JSON
		}
	}
	return records;
}
