import { parseArgs } from 'node:util';

import { parseFault } from './faults';
import { DEFAULT_CODE_TTL_SECONDS, DEFAULT_PORT, DEFAULT_TOKEN, startSimulator } from './server';

const HELP = `Piggy Contact Verification API simulator

Usage: npm run simulator -- [options]

  --port <n>          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --token <t>         the Personal Access Token it accepts (default ${DEFAULT_TOKEN})
  --code-ttl <s>      seconds a login code stays valid (default ${DEFAULT_CODE_TTL_SECONDS})
  --latency <ms>      delay every API answer
  --fault <spec>      fail every API request: 503, 429:retry=2, 500, code=55032, non-json
  --auth-token-shape  object (documented, default) or string (as Piggy's SDK shows)
  --help`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			token: { type: 'string' },
			'code-ttl': { type: 'string' },
			latency: { type: 'string' },
			fault: { type: 'string' },
			'auth-token-shape': { type: 'string' },
			help: { type: 'boolean' },
		},
	});
	if (values.help) {
		console.log(HELP);
		return;
	}
	const fault = values.fault ? parseFault(values.fault) : {};
	if (values.latency) fault.latencyMs = Number(values.latency);

	const simulator = await startSimulator({
		port: values.port === undefined ? DEFAULT_PORT : Number(values.port),
		token: values.token,
		codeTtlSeconds: values['code-ttl'] ? Number(values['code-ttl']) : undefined,
		fault,
		authTokenShape: values['auth-token-shape'] === 'string' ? 'string' : 'object',
		log: (line) => console.log(line),
	});
	console.log(`Piggy simulator listening on ${simulator.url}`);
	console.log(`Base URL: ${simulator.url}`);
	console.log(`Personal Access Token: ${simulator.token}`);
	console.log(`Mailbox: ${simulator.url}/_simulator/mailbox?email=spongebob@bikinibottom.sea`);

	const stop = () => {
		void simulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
