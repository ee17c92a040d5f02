import { join } from 'node:path';

import type { RunningModel } from '../model/server';
import { startScriptedModel } from '../model/server';
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
// it, a scripted chat model (tools/model) for the chat example, and the example workflows imported
// and published (active as soon as n8n starts).

const EXAMPLES = [
	'send-login-code.json',
	'login-with-code.json',
	'form-login.json',
	'chat-verify-identity.json',
];

/** The examples name this credential; importing it under the same id makes them run as they are. */
export const SIMULATOR_CREDENTIAL = { id: 'piggySimulator01', name: 'Piggy API (local simulator)' };

/** The chat example's model credential, pointed at the scripted model. */
export const MODEL_CREDENTIAL = { id: 'openAiLocal00001', name: 'OpenAI' };

/** The path set in the form example's Form Trigger (Options → Form Path). */
export const FORM_LOGIN_PATH = 'form/piggy-login';

/** The chat example's public chat (its Chat Trigger's webhook). */
export const CHAT_PATH = 'webhook/piggy-chat-verify-identity/chat';

export interface DevSetup {
	instance: N8nInstance;
	simulator: RunningSimulator;
	model: RunningModel;
	/** Stops the simulator and the model. */
	close(): Promise<void>;
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
	const model = await startScriptedModel();
	const close = async () => void (await Promise.all([simulator.close(), model.close()]));
	try {
		const instance = await n8nInstance(userFolder, options.port);
		say(`Importing the "${SIMULATOR_CREDENTIAL.name}" credential and the example workflows...`);
		await importCredentials(instance, [
			{
				...SIMULATOR_CREDENTIAL,
				type: 'piggyApi',
				data: { apiKey: simulator.token, baseUrl: simulator.url },
			},
			{
				...MODEL_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-scripted-local-model', url: model.url },
			},
		]);
		const examples = EXAMPLES.map((file) => join(REPO_ROOT, 'examples', file));
		await importWorkflows(instance, examples, { publish: true });
		return { instance, simulator, model, close };
	} catch (error) {
		await close();
		throw error;
	}
}
