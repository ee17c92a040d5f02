import { join } from 'node:path';

import type { RunningSimulator } from '../simulator/server';
import { DEFAULT_TOKEN, startSimulator } from '../simulator/server';
import type { N8nInstance } from '../n8n/n8n';
import {
	REPO_ROOT,
	importCredentials,
	installPackage,
	importWorkflows,
	n8nInstance,
	packPackage,
} from '../n8n/n8n';

// What `npm run dev` and `npm run screenshots` share: this package installed into an n8n user
// folder the way the Community Nodes screen installs it, the Piggy simulator, a credential for
// it, and the example workflows imported and published (active as soon as n8n starts).

const EXAMPLES = ['send-login-code.json', 'login-with-code.json', 'form-login.json'];

/** The examples name this credential; importing it under the same id makes them run as they are. */
export const SIMULATOR_CREDENTIAL = { id: 'piggySimulator01', name: 'Piggy API (local simulator)' };

/** The path set in the form example's Form Trigger (Options → Form Path). */
export const FORM_LOGIN_PATH = 'form/piggy-login';

export interface DevSetup {
	instance: N8nInstance;
	simulator: RunningSimulator;
}

export async function prepareDevN8n(options: {
	userFolder: string;
	/** n8n's port; a free one when left out. */
	port?: number;
	/** The simulator's port; 0 for a free one. */
	simulatorPort: number;
	say: (line: string) => void;
	simulatorLog?: (line: string) => void;
}): Promise<DevSetup> {
	const { userFolder, say } = options;
	say('Installing this package into the n8n user folder (as the Community Nodes screen does)...');
	await installPackage(userFolder, await packPackage(join(userFolder, 'pack')));

	const simulator = await startSimulator({
		port: options.simulatorPort,
		token: DEFAULT_TOKEN,
		log: options.simulatorLog,
	});
	try {
		const instance = await n8nInstance(userFolder, options.port);
		say(`Importing the "${SIMULATOR_CREDENTIAL.name}" credential and the example workflows...`);
		await importCredentials(instance, [
			{
				...SIMULATOR_CREDENTIAL,
				type: 'piggyApi',
				data: { apiKey: simulator.token, baseUrl: simulator.url },
			},
		]);
		const examples = EXAMPLES.map((file) => join(REPO_ROOT, 'examples', file));
		await importWorkflows(instance, examples, { publish: true });
		return { instance, simulator };
	} catch (error) {
		await simulator.close();
		throw error;
	}
}
