import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Agent, request } from 'undici';

import type { RunningSimulator } from '../simulator/server';
import { startSimulator } from '../simulator/server';
import type { N8nInstance } from './lib/n8n';
import {
	ensureN8n,
	freePort,
	installPackage,
	makeUserFolder,
	n8nBin,
	n8nInstance,
	packPackage,
	run,
} from './lib/n8n';

// `npm run bench`: Send Verification Email over N items against the simulator, in one run:
// raw undici (one by one, and 10 at a time), n8n's HTTP Request node with header auth, our node one
// by one, and our node batched (10 per batch), at 0 ms and 20 ms simulated latency. n8n-side
// figures are the node's own execution time from the run data; each is the median of 3 runs.
// Then a memory run: the n8n process's peak RSS with 10,000 items minus with 10.

const TOKEN = 'bench-token';
const SEND_PATH = '/api/v3/oauth/clients/contact-verification/send';
const ITEMS_PER_BATCH = 10;
const REPEATS = 3;

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const emailsFor = (count: number) =>
	Array.from({ length: count }, (_, i) => `bench${i}@example.com`);

async function raw(
	simulator: RunningSimulator,
	emails: string[],
	concurrency: number,
): Promise<number> {
	const dispatcher = new Agent({ connections: concurrency });
	const send = async (email: string) => {
		const response = await request(`${simulator.url}${SEND_PATH}`, {
			method: 'POST',
			dispatcher,
			headers: {
				authorization: `Bearer ${TOKEN}`,
				accept: 'application/json',
				'content-type': 'application/json',
			},
			body: JSON.stringify({ email }),
		});
		await response.body.json();
		if (response.statusCode !== 200) throw new Error(`raw request answered ${response.statusCode}`);
	};
	const started = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < emails.length) await send(emails[next++]);
		}),
	);
	const ms = performance.now() - started;
	await dispatcher.close();
	return ms;
}

type Contender = 'httpRequestNode' | 'piggyNode' | 'piggyNodeBatched';

/** `none`: only the item generator, to tell n8n's own memory use from the node's. */
function workflow(id: string, contender: Contender | 'none', items: number, simulatorUrl: string) {
	const generator = [
		{
			id: `${id}-1`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: `${id}-2`,
			name: 'Emails',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{
							id: 'emails',
							name: 'emails',
							type: 'array',
							value: `={{ Array.from({ length: ${items} }, (_, i) => 'bench' + i + '@example.com') }}`,
						},
					],
				},
				options: {},
			},
		},
		{
			id: `${id}-3`,
			name: 'Items',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'emails', options: { destinationFieldName: 'email' } },
		},
	];
	const piggyCredential = { piggyApi: { id: 'benchPiggyApi001', name: 'Piggy (bench)' } };
	const node =
		contender === 'httpRequestNode'
			? {
					id: `${id}-4`,
					name: 'Send',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [600, 0],
					parameters: {
						method: 'POST',
						url: `${simulatorUrl}${SEND_PATH}`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						sendBody: true,
						bodyParameters: { parameters: [{ name: 'email', value: '={{ $json.email }}' }] },
						options: {},
					},
					credentials: { httpHeaderAuth: { id: 'benchHeaderAuth1', name: 'Header (bench)' } },
				}
			: {
					id: `${id}-4`,
					name: 'Send',
					type: 'n8n-nodes-piggy.piggyContactVerification',
					typeVersion: 1,
					position: [600, 0],
					parameters: {
						operation: 'sendVerificationEmail',
						email: '={{ $json.email }}',
						options:
							contender === 'piggyNodeBatched'
								? { batching: { batch: { batchSize: ITEMS_PER_BATCH, batchInterval: 0 } } }
								: {},
					},
					credentials: piggyCredential,
				};
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: contender === 'none' ? generator : [...generator, node],
		connections: {
			Start: { main: [[{ node: 'Emails', type: 'main', index: 0 }]] },
			Emails: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			...(contender === 'none'
				? {}
				: { Items: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } }),
		},
		pinData: {},
	};
}

interface RunResult {
	nodeMs: Record<string, number>;
	peakRssMb: number;
}

/** Imports the workflows, runs them in one `n8n execute-batch`, and reads each Send node's time. */
async function executeBatch(
	instance: N8nInstance,
	workflows: ReturnType<typeof workflow>[],
	items: number,
): Promise<RunResult> {
	const dir = join(instance.userFolder, `batch-${Date.now()}`);
	const snapshots = join(dir, 'snapshots');
	mkdirSync(snapshots, { recursive: true });
	const definitions = join(dir, 'workflows');
	mkdirSync(definitions);
	for (const definition of workflows)
		writeFileSync(join(definitions, `${definition.id}.json`), JSON.stringify(definition));
	await run(
		process.execPath,
		[n8nBin(), 'import:workflow', '--separate', `--input=${definitions}`],
		{ env: instance.env },
	);

	let peakRssKb = 0;
	// n8n keeps only ids containing a digit (and runs every workflow when none is left); a file
	// holds them so that a single id is not taken for a file name.
	const idsFile = join(dir, 'ids.txt');
	writeFileSync(idsFile, workflows.map((w) => w.id).join(','));
	const args = [
		n8nBin(),
		'execute-batch',
		`--ids=${idsFile}`,
		'--retries=0',
		`--snapshot=${snapshots}`,
		`--output=${join(dir, 'summary.json')}`,
	];
	const { spawn } = await import('node:child_process');
	const child = spawn(process.execPath, args, {
		env: instance.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const poll = setInterval(() => {
		try {
			const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
			const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			peakRssKb = Math.max(peakRssKb, rss);
		} catch {
			// exited
		}
	}, 50);
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	clearInterval(poll);
	if (code !== 0) throw new Error(`execute-batch exited ${code}:\n${output.slice(-3000)}`);

	const nodeMs: Record<string, number> = {};
	for (const file of readdirSync(snapshots)) {
		const snapshot = JSON.parse(readFileSync(join(snapshots, file), 'utf8')) as {
			data: {
				resultData: {
					runData: Record<string, Array<{ executionTime: number; data: { main: unknown[][] } }>>;
				};
			};
		};
		const send =
			snapshot.data.resultData.runData.Send?.[0] ?? snapshot.data.resultData.runData.Items[0];
		if (send.data.main[0].length !== items)
			throw new Error(`${file}: ${send.data.main[0].length} of ${items} items succeeded`);
		nodeMs[file.replace('-snapshot.json', '')] = send.executionTime;
	}
	if (Object.keys(nodeMs).length !== workflows.length) {
		throw new Error(`a bench workflow failed:\n${output.slice(-3000)}`);
	}
	rmSync(dir, { recursive: true, force: true });
	return { nodeMs, peakRssMb: peakRssKb / 1024 };
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			items: { type: 'string', default: '1000' },
			json: { type: 'boolean', default: false },
			'memory-items': { type: 'string', default: '10000' },
		},
	});
	const items = Number(values.items);
	const memoryItems = Number(values['memory-items']);
	const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

	await ensureN8n(say);
	const userFolder = makeUserFolder('piggy-bench-');
	await installPackage(userFolder, await packPackage(join(userFolder, 'pack')));
	const instance = await n8nInstance(userFolder);
	const simulatorPort = await freePort();
	const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
	writeFileSync(
		join(userFolder, 'credentials.json'),
		JSON.stringify([
			{
				id: 'benchPiggyApi001',
				name: 'Piggy (bench)',
				type: 'piggyApi',
				data: { apiKey: TOKEN, baseUrl: simulatorUrl },
			},
			{
				id: 'benchHeaderAuth1',
				name: 'Header (bench)',
				type: 'httpHeaderAuth',
				data: { name: 'Authorization', value: `Bearer ${TOKEN}` },
			},
		]),
	);
	await run(
		process.execPath,
		[n8nBin(), 'import:credentials', `--input=${join(userFolder, 'credentials.json')}`],
		{ env: instance.env },
	);

	const startBenchSimulator = async (latencyMs: number, contacts: number) => {
		const simulator = await startSimulator({
			port: simulatorPort,
			token: TOKEN,
			fault: { latencyMs },
		});
		for (const email of emailsFor(contacts)) simulator.state.createContact(email, true);
		return simulator;
	};

	const report: Array<Record<string, unknown>> = [];
	for (const latencyMs of [0, 20]) {
		say(`latency ${latencyMs} ms: ${items} items, ${REPEATS} runs of each contender...`);
		const simulator = await startBenchSimulator(latencyMs, items);
		const emails = emailsFor(items);
		const rawMs: number[] = [];
		const rawConcurrentMs: number[] = [];
		for (let i = 0; i < REPEATS; i++) {
			rawMs.push(await raw(simulator, emails, 1));
			rawConcurrentMs.push(await raw(simulator, emails, ITEMS_PER_BATCH));
		}
		const contenders: Contender[] = ['httpRequestNode', 'piggyNode', 'piggyNodeBatched'];
		const workflows = contenders.flatMap((contender) =>
			Array.from({ length: REPEATS }, (_, i) =>
				workflow(`bench${latencyMs}${contender}${i}`.slice(0, 40), contender, items, simulatorUrl),
			),
		);
		const { nodeMs } = await executeBatch(instance, workflows, items);
		await simulator.close();

		const n8nMedian = (contender: Contender) =>
			median(
				Object.entries(nodeMs)
					.filter(
						([id]) =>
							id.includes(contender) && !(contender === 'piggyNode' && id.includes('Batched')),
					)
					.map(([, ms]) => ms),
			);
		const results = {
			raw: { ms: Math.round(median(rawMs)) },
			rawConcurrent: { ms: Math.round(median(rawConcurrentMs)) },
			httpRequestNode: { ms: n8nMedian('httpRequestNode') },
			piggyNode: { ms: n8nMedian('piggyNode') },
			piggyNodeBatched: { ms: n8nMedian('piggyNodeBatched'), itemsPerBatch: ITEMS_PER_BATCH },
		};
		report.push({
			items,
			latencyMs,
			results,
			perItemOverheadOverRawMs: Number(
				((results.piggyNode.ms - results.raw.ms) / items).toFixed(3),
			),
		});
	}

	say(
		`memory: peak RSS of n8n with ${memoryItems} items vs 10 items, our node and the HTTP Request node...`,
	);
	const simulator = await startBenchSimulator(0, memoryItems);
	const growthMb = async (contender: Contender | 'none') => {
		const small = await executeBatch(
			instance,
			[workflow(`benchMem10${contender}`, contender, 10, simulatorUrl)],
			10,
		);
		const large = await executeBatch(
			instance,
			[workflow(`benchMem${memoryItems}${contender}`, contender, memoryItems, simulatorUrl)],
			memoryItems,
		);
		return Number((large.peakRssMb - small.peakRssMb).toFixed(1));
	};
	const peakRssMb = await growthMb('piggyNode');
	const httpRequestNodePeakRssMb = await growthMb('httpRequestNode');
	const withoutSendNodePeakRssMb = await growthMb('none');
	await simulator.close();
	for (const entry of report) {
		Object.assign(entry, {
			peakRssMb,
			httpRequestNodePeakRssMb,
			withoutSendNodePeakRssMb,
			memoryItems,
		});
	}
	rmSync(userFolder, { recursive: true, force: true });

	if (values.json) {
		process.stdout.write(`${JSON.stringify(report.length === 1 ? report[0] : report, null, 2)}\n`);
		return;
	}
	say('');
	say(
		`items  latency  raw   raw x${ITEMS_PER_BATCH}  HTTP Request node  Piggy node  Piggy node x${ITEMS_PER_BATCH}  (ms, median of ${REPEATS})`,
	);
	for (const entry of report) {
		const r = entry.results as Record<string, { ms: number }>;
		say(
			`${String(entry.items).padStart(5)}  ${String(entry.latencyMs).padStart(5)} ms  ${String(r.raw.ms).padStart(5)}  ${String(r.rawConcurrent.ms).padStart(6)}  ${String(r.httpRequestNode.ms).padStart(17)}  ${String(r.piggyNode.ms).padStart(10)}  ${String(r.piggyNodeBatched.ms).padStart(14)}`,
		);
		say(
			`         per item: Piggy node ${(r.piggyNode.ms / Number(entry.items)).toFixed(2)} ms, HTTP Request node ${(r.httpRequestNode.ms / Number(entry.items)).toFixed(2)} ms, raw ${(r.raw.ms / Number(entry.items)).toFixed(2)} ms; batched speed-up ${(r.piggyNode.ms / r.piggyNodeBatched.ms).toFixed(1)}x`,
		);
	}
	say(
		`peak RSS growth of n8n, ${memoryItems} items vs 10: Piggy node ${peakRssMb} MB, HTTP Request node ${httpRequestNodePeakRssMb} MB, no send node at all ${withoutSendNodePeakRssMb} MB`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
