import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_PORT, DEFAULT_TOKEN, startSimulator } from '../simulator/server';
import type { RunningN8n } from './lib/n8n';
import {
	N8N_VERSION,
	OWNER,
	REPO_ROOT,
	cacheDir,
	ensureN8n,
	installPackage,
	n8nCli,
	n8nInstance,
	packPackage,
	startN8n,
} from './lib/n8n';

// `npm run dev`: the Piggy simulator plus a real n8n with this package installed the way the
// Community Nodes screen installs it, a credential for the simulator and the example workflows.

const EXAMPLES = ['examples/send-login-code.json', 'examples/login-with-code.json'];

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '5678' },
			'simulator-port': { type: 'string', default: String(DEFAULT_PORT) },
		},
	});
	const say = (line: string) => process.stdout.write(`${line}\n`);

	await ensureN8n(say);
	const userFolder = join(cacheDir(), 'dev-n8n-user');
	mkdirSync(userFolder, { recursive: true });
	say('Installing this package into the dev n8n (as the Community Nodes screen does)...');
	await installPackage(userFolder, await packPackage(join(userFolder, 'pack')));

	const simulator = await startSimulator({
		port: Number(values['simulator-port']),
		token: DEFAULT_TOKEN,
		log: (line) => say(`[piggy simulator] ${line}`),
	});
	const instance = await n8nInstance(userFolder, Number(values.port));

	const credentials = join(userFolder, 'piggy-credential.json');
	writeFileSync(
		credentials,
		JSON.stringify([
			{
				id: 'piggySimulator01',
				name: 'Piggy API (local simulator)',
				type: 'piggyApi',
				data: { apiKey: simulator.token, baseUrl: simulator.url },
			},
		]),
	);
	say('Importing the "Piggy API (local simulator)" credential and the example workflows...');
	await n8nCli(instance, ['import:credentials', `--input=${credentials}`]);
	for (const example of EXAMPLES) {
		await n8nCli(instance, ['import:workflow', `--input=${join(REPO_ROOT, example)}`]);
	}
	await n8nCli(instance, ['publish:workflow', '--id=piggySendCode001']);
	await n8nCli(instance, ['publish:workflow', '--id=piggyLoginCode01']);

	say(`Starting n8n ${N8N_VERSION}...`);
	const running: { n8n?: RunningN8n } = {};
	let stopping = false;
	const stopAll = async () => {
		stopping = true;
		say('\nStopping n8n and the simulator...');
		await running.n8n?.stop();
		await simulator.close();
		process.exit(0);
	};
	process.once('SIGINT', () => void stopAll());
	process.once('SIGTERM', () => void stopAll());
	const n8n = await startN8n(instance);
	running.n8n = n8n;
	n8n.process.once('exit', (code) => {
		if (stopping) return;
		say(`n8n exited (${code}):\n${n8n.output().slice(-3000)}`);
		void simulator.close().then(() => process.exit(1));
	});

	const webhook = `${instance.url}/webhook`;
	say(`
Ready.

  n8n editor        ${instance.url}
  log in as         ${OWNER.email} / ${OWNER.password}

  Piggy simulator   ${simulator.url}
  For a Piggy API credential of your own:
    Base URL                ${simulator.url}
    Personal Access Token   ${simulator.token}
  (one named "Piggy API (local simulator)" is already set up)

Try the example workflows (already active):
  curl -s -X POST ${webhook}/piggy/send-code -H 'content-type: application/json' -d '{"email":"spongebob@bikinibottom.sea"}'
  curl -s '${simulator.url}/_simulator/mailbox?email=spongebob@bikinibottom.sea'
  curl -s -X POST ${webhook}/piggy/login -H 'content-type: application/json' -d '{"email":"spongebob@bikinibottom.sea","code":"<code from the mailbox>"}'

Ctrl-C stops n8n and the simulator.`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
