import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_PORT } from '../simulator/server';
import { CHAT_PATH, FORM_LOGIN_PATH, SIMULATOR_CREDENTIAL, prepareDevN8n } from './devN8n';
import type { RunningN8n } from '../n8n/n8n';
import { N8N_VERSION, OWNER, cacheDir, ensureN8n, startN8n } from '../n8n/n8n';

// `npm run dev`: the Piggy simulator plus a real n8n with this package installed the way the
// Community Nodes screen installs it, a credential for the simulator and the example workflows.

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
	const { instance, simulator, model, close } = await prepareDevN8n({
		userFolder,
		port: Number(values.port),
		simulatorPort: Number(values['simulator-port']),
		say,
		simulatorLog: (line) => say(`[piggy simulator] ${line}`),
	});

	say(`Starting n8n ${N8N_VERSION}...`);
	const running: { n8n?: RunningN8n } = {};
	let stopping = false;
	const stopAll = async () => {
		stopping = true;
		say('\nStopping n8n, the simulator and the model...');
		await running.n8n?.stop();
		await close();
		process.exit(0);
	};
	process.once('SIGINT', () => void stopAll());
	process.once('SIGTERM', () => void stopAll());
	const n8n = await startN8n(instance);
	running.n8n = n8n;
	n8n.process.once('exit', (code) => {
		if (stopping) return;
		say(`n8n exited (${code}):\n${n8n.output().slice(-3000)}`);
		void close().then(() => process.exit(1));
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
  (one named "${SIMULATOR_CREDENTIAL.name}" is already set up)

The form login page (examples/form-login.json, already active):
  ${instance.url}/${FORM_LOGIN_PATH}
  (try spongebob@bikinibottom.sea; the code is in the simulator's mailbox:
   ${simulator.url}/_simulator/mailbox?email=spongebob@bikinibottom.sea)

The support chat (examples/chat-verify-identity.json, already active), answered by a scripted
model (${model.url}) that repeats what its tools tell it:
  ${instance.url}/${CHAT_PATH}

Try the webhook examples (already active):
  curl -s -X POST ${webhook}/piggy/send-code -H 'content-type: application/json' -d '{"email":"spongebob@bikinibottom.sea"}'
  curl -s '${simulator.url}/_simulator/mailbox?email=spongebob@bikinibottom.sea'
  curl -s -X POST ${webhook}/piggy/login -H 'content-type: application/json' -d '{"email":"spongebob@bikinibottom.sea","code":"<code from the mailbox>"}'

Ctrl-C stops n8n, the simulator and the model.`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
