import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nInstance } from '../lib/n8n';
import {
	REPO_ROOT,
	ensureN8n,
	freePort,
	installPackage,
	makeUserFolder,
	n8nCli,
	n8nInstance,
	packPackage,
} from '../lib/n8n';

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
		const credentials = join(userFolder, 'credentials.json');
		writeFileSync(
			credentials,
			JSON.stringify([
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
			]),
		);
		await n8nCli(instance, ['import:credentials', `--input=${credentials}`]);
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
