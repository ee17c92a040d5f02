import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nInstance } from '../tools/n8n/n8n';
import {
	REPO_ROOT,
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflows,
	installPackage,
	makeUserFolder,
	n8nInstance,
	packPackage,
} from '../tools/n8n/n8n';

// One n8n user folder for the bench: this package installed as the Community Nodes screen does
// it, and the two credentials the contenders use, pointed at a simulator port chosen up front so
// that each part can start the simulator with its own latency on the same address.

export const TOKEN = 'bench-token';

export const PIGGY_CREDENTIAL = { id: 'benchPiggyApi001', name: 'Piggy (bench)' };
export const HEADER_AUTH_CREDENTIAL = { id: 'benchHeaderAuth1', name: 'Header (bench)' };

export interface BenchSetup {
	instance: N8nInstance;
	simulatorPort: number;
	simulatorUrl: string;
	/** Removes the user folder. */
	remove(): void;
}

export async function prepareBench(options: {
	say: (line: string) => void;
	/** A built checkout of this package to measure instead of this repository. */
	packageDir?: string;
}): Promise<BenchSetup> {
	await ensureN8n(options.say);
	const userFolder = makeUserFolder('piggy-bench-');
	try {
		const tarball = await packPackage(join(userFolder, 'pack'), options.packageDir ?? REPO_ROOT);
		await installPackage(userFolder, tarball);
		const instance = await n8nInstance(userFolder);
		const simulatorPort = await freePort();
		const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
		await importCredentials(instance, [
			{
				...PIGGY_CREDENTIAL,
				type: 'piggyApi',
				data: { apiKey: TOKEN, baseUrl: simulatorUrl },
			},
			{
				...HEADER_AUTH_CREDENTIAL,
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${TOKEN}` },
			},
		]);
		return {
			instance,
			simulatorPort,
			simulatorUrl,
			remove: () => rmSync(userFolder, { recursive: true, force: true }),
		};
	} catch (error) {
		rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
}

let workFolders = 0;

/**
 * Imports workflows for `execute-batch` (not published: `n8n start` does not run them). Answers a
 * new folder in the user folder for the run's own files (ids file, snapshots, summary).
 */
export async function importForExecuteBatch(
	setup: BenchSetup,
	workflows: Array<{ id: string; nodes?: unknown[] }>,
): Promise<string> {
	await importWorkflows(setup.instance, workflows, { publish: false });
	const dir = join(setup.instance.userFolder, `bench-batch-${++workFolders}`);
	mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * The file for `execute-batch --ids=`: n8n keeps only ids containing a digit (and runs every
 * workflow when none is left), and a file holds them so that a single id is not taken for a file
 * name.
 */
export function writeIdsFile(dir: string, ids: string[]): string {
	const file = join(dir, 'ids.txt');
	writeFileSync(file, ids.join(','));
	return file;
}
