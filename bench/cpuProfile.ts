/**
 * Where the CPU time of a V8 CPU profile went, by who is responsible for it. A sample is charged
 * to the first frame on its stack, from the leaf up, whose script belongs to a known party; so the
 * time spent in Node's own `net` or `stream` code is charged to whoever called it (axios, or our
 * transport reading a body).
 */

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export type Party =
	| 'this node'
	| "n8n's HTTP stack"
	| 'expressions and parameters (n8n-workflow)'
	| 'execution engine (n8n-core)'
	| 'HTTP Request node (n8n-nodes-base)'
	| 'n8n server and database'
	| 'garbage collection'
	| 'Node.js internals and other'
	| 'idle';

/** URL fragments of the scripts of each party, checked in this order. */
const PARTIES: Array<[Party, string[]]> = [
	['this node', ['/node_modules/n8n-nodes-piggy/']],
	[
		"n8n's HTTP stack",
		[
			'@n8n/backend-network',
			'/axios/',
			'/follow-redirects/',
			'/proxy-from-env/',
			'/form-data/',
			'agent-base',
			'proxy-agent',
		],
	],
	[
		'expressions and parameters (n8n-workflow)',
		[
			'/n8n-workflow/',
			'@n8n/tournament',
			'@n8n/expression-runtime',
			'/esprima',
			'/recast/',
			'/ast-types/',
		],
	],
	['execution engine (n8n-core)', ['/n8n-core/']],
	['HTTP Request node (n8n-nodes-base)', ['/n8n-nodes-base/']],
	['n8n server and database', ['/n8n/dist/', '@n8n/db', '/typeorm/', '/sqlite3/', '@n8n/']],
];

function partyOfFrame({ functionName, url }: ProfileNode['callFrame']): Party | undefined {
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (functionName === '(idle)' || functionName === '(program)') return 'idle';
	for (const [party, fragments] of PARTIES) {
		if (fragments.some((fragment) => url.includes(fragment))) return party;
	}
	return undefined;
}

/** Microseconds of CPU per party over the whole profile. */
export function cpuByParty(profile: CpuProfile): Map<Party, number> {
	const parent = new Map<number, number>();
	const byId = new Map<number, ProfileNode>();
	for (const node of profile.nodes) {
		byId.set(node.id, node);
		for (const child of node.children ?? []) parent.set(child, node.id);
	}
	const charged = new Map<number, Party>();
	const chargeOf = (id: number): Party => {
		const known = charged.get(id);
		if (known) return known;
		let party: Party = 'Node.js internals and other';
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const found = partyOfFrame(byId.get(at)!.callFrame);
			if (found) {
				party = found;
				break;
			}
		}
		charged.set(id, party);
		return party;
	};
	const totals = new Map<Party, number>();
	profile.samples.forEach((id, index) => {
		// Each delta is the time before its sample. The first one reaches back to when profiling was
		// asked for, before the first tick, and says nothing about what ran.
		if (index === 0) return;
		const micros = profile.timeDeltas[index] ?? 0;
		const party = chargeOf(id);
		totals.set(party, (totals.get(party) ?? 0) + micros);
	});
	return totals;
}
