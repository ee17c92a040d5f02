import { setTimeout as sleep } from 'node:timers/promises';

import { getGlobalDispatcher, request } from 'undici';

import { ownerSessionCookie } from '../../tools/n8n/n8n';
import { logRecords } from './services';
import { StepTimings } from '../e2e/stepTimings';
import { CREDENTIAL, Deployment, LIMITED_LOGIN, LIMITED_SEND, WORKFLOW } from './deployment';
import type { CallResult, Contact, LoginResult } from './logins';
import { createContacts, loggedIn, postJson, runLogins } from './logins';
import {
	byContact,
	executionsPerProcess,
	finishedBy,
	lastExecutionId,
	markedCrashedOnStartUp,
	reportedFinishedByMain,
	settledExecutionsAfter,
	startedBy,
	startedByProcess,
	tally,
} from './records';

// The package in n8n's queue mode, as a scaled deployment runs it: main takes the webhooks and
// queues each execution in Redis, two `n8n worker` processes run them, all share one PostgreSQL.
// The package is installed once, into the .n8n/nodes folder that every process loads it from.
// Hundreds of full logins go through it; then a worker is killed mid-run and restarted, and the
// suite records what n8n does with the executions it had.

const TOKEN = 'queue-piggy-token';
/** n8n warns that fewer than 5 per worker can make it unstable. */
const WORKER_CONCURRENCY = 5;
const LOGINS_IN_FLIGHT = 10;
const FIRST_WAVE = 200;
const KILL_WAVE = 200;
const LAST_WAVE = 40;
/**
 * Piggy answers slowly for a moment before the kill, so that the killed worker is surely inside
 * an execution (at ~30 ms an execution, a kill at a random moment may find none in flight).
 */
const SLOW_PIGGY = { latencyMs: 2_000, requests: 40 };
/**
 * By default each worker has a user folder of its own and only .n8n/nodes is shared. With
 * PIGGY_QUEUE_SHARED_USER_FOLDER=1 all processes use one user folder, whose crash journal and
 * event log they then share too (see docs/queue-mode.md).
 */
const SHARED_USER_FOLDER = process.env.PIGGY_QUEUE_SHARED_USER_FOLDER === '1';

const timings = new StepTimings();
const { timed } = timings;
const findings: string[] = [];
const note = (line: string) => findings.push(line);

const deployment = new Deployment({
	token: TOKEN,
	workers: 2,
	workerConcurrency: WORKER_CONCURRENCY,
	sharedUserFolder: SHARED_USER_FOLDER,
	timed,
});
const suiteStarted = performance.now();
// Set once the deployment has started (the tests do not run if it did not).
const n8nUrl = () => deployment.instance!.url;
const simulator = () => deployment.simulator!;
const database = () => deployment.postgres!;
const main = () => deployment.main!;
const { workers } = deployment;
const sendsReceived = (email: string) => simulator().state.mailFor(email).length;
const triesReceived = (email: string) => simulator().state.triesFor(email).length;

beforeAll(async () => {
	await deployment.start();
	note(
		SHARED_USER_FOLDER
			? 'layout: main and workers share one user folder'
			: 'layout: each worker has its own user folder; .n8n/nodes is shared (a symlink to main’s)',
	);
});

afterAll(async () => {
	await deployment.stop();
	// PIGGY_QUEUE_LOGS=<folder> keeps what main and each worker printed.
	if (process.env.PIGGY_QUEUE_LOGS) deployment.keepLogs(process.env.PIGGY_QUEUE_LOGS);
	await getGlobalDispatcher().close();
	timings.record('whole suite', performance.now() - suiteStarted);
	process.stdout.write(
		[
			...timings.lines('queue-mode timings (ms):'),
			'queue-mode findings:',
			...findings.map((line) => `  ${line}`),
			'',
		].join('\n'),
	);
});

/** One wave of logins, timed, with its rate noted. */
async function wave(
	label: string,
	contacts: Contact[],
	afterEach?: (finished: number) => void,
): Promise<LoginResult[]> {
	const targets = { n8nUrl: n8nUrl(), simulatorUrl: simulator().url };
	const started = performance.now();
	const results = await timed(label, () =>
		runLogins(targets, contacts, LOGINS_IN_FLIGHT, afterEach),
	);
	const seconds = (performance.now() - started) / 1000;
	note(
		`${label}: ${contacts.length} logins (${contacts.length * 2} webhook calls), ` +
			`${results.filter(loggedIn).length} right, ${seconds.toFixed(1)} s, ` +
			`${(contacts.length / seconds).toFixed(1)} logins/s`,
	);
	return results;
}

interface LogMarks {
	main: number;
	workers: number[];
}

/** Where each process's log stood, so that a wave reads only its own lines. */
function logMarks(): LogMarks {
	return { main: main().output().length, workers: workers.map((w) => w.output().length) };
}

/** Which worker (index in `workers`) started each execution since `marks`, by their logs. */
const whoStarted = (marks: LogMarks) =>
	startedByProcess(
		workers.map((worker, index) => worker.output().slice(marks.workers[index] ?? 0)),
	);

const describeCall = (step: string, email: string, call: CallResult) =>
	`${step} ${email}: HTTP ${call.status} after ${(call.ms / 1000).toFixed(1)} s ${call.text.slice(0, 80)}`;

test(`${FIRST_WAVE} logins, ${LOGINS_IN_FLIGHT} at a time: all right, on both workers, each send once, no execution twice`, async () => {
	const contacts = await createContacts(simulator().url, 'first', FIRST_WAVE);
	const before = await lastExecutionId(database());
	const marks = logMarks();

	const results = await wave('first wave', contacts);

	const wrong = results.filter((result) => !loggedIn(result));
	expect(wrong.map((r) => describeCall('login', r.contact.email, r.login ?? r.send))).toEqual([]);
	// The simulator saw exactly one send for each Contact.
	expect(tally(contacts.map((c) => sendsReceived(c.email)))).toEqual(new Map([[1, FIRST_WAVE]]));

	// n8n's records: one execution per webhook call, each for one Contact, all successful, none a retry.
	const executions = await settledExecutionsAfter(database(), before, FIRST_WAVE * 2);
	expect(executions).toHaveLength(FIRST_WAVE * 2);
	expect(tally(executions.map((e) => e.status))).toEqual(new Map([['success', FIRST_WAVE * 2]]));
	expect(executions.filter((e) => e.retryOf !== null || e.emails.length !== 1)).toEqual([]);
	for (const workflowId of [WORKFLOW.send, WORKFLOW.login]) {
		const perContact = byContact(executions, workflowId);
		expect(perContact.size).toBe(FIRST_WAVE);
		expect([...perContact.values()].filter((list) => list.length !== 1)).toEqual([]);
	}

	// Where a send's and a login's time goes, by n8n's own per-node record (the limits' Data Table
	// nodes included).
	for (const [step, workflowId] of Object.entries(WORKFLOW)) {
		const runs = executions.filter((e) => e.workflowId === workflowId);
		const medianMs = (node: string) => {
			const times = runs.map((e) => e.nodeMs[node]).filter((ms) => ms !== undefined);
			return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
		};
		note(
			`first wave, ${step} executions, median ms per node: ${Object.keys(runs[0].nodeMs)
				.map((node) => `${node} ${medianMs(node)}`)
				.join(', ')}`,
		);
	}

	// Which worker ran what: each worker logs the executions it starts, each exactly once...
	const started = whoStarted(marks);
	expect([...started.keys()].sort()).toEqual(executions.map((e) => e.id).sort());
	expect([...started.values()].filter((ran) => ran.length !== 1)).toEqual([]);
	// ...and main logs, for each, the host id of the worker that reported it finished.
	const reported = reportedFinishedByMain(main().output().slice(marks.main));
	expect(tally(reported.map((r) => r.executionId)).size).toBe(executions.length);
	const hostIdsOf = new Map<number, Set<string>>();
	for (const { executionId, workerId } of reported) {
		const [index] = started.get(executionId)!;
		hostIdsOf.set(index, (hostIdsOf.get(index) ?? new Set()).add(workerId));
	}
	// One identity per worker process. n8n names a worker in a container after the hostname, so
	// on one machine both are called the same: the workers' own logs are what tells them apart.
	expect([...hostIdsOf.values()].map((ids) => ids.size)).toEqual([1, 1]);

	const perWorker = executionsPerProcess(started);
	note(
		`first wave spread: worker 1 ran ${perWorker.get(0) ?? 0}, worker 2 ran ${perWorker.get(1) ?? 0} ` +
			`of ${executions.length} executions; host ids main recorded: ` +
			`${[...hostIdsOf.values()].map((ids) => [...ids].join()).join(', ')}`,
	);
	// Both take a fair part: neither ran fewer than a fifth.
	for (const index of [0, 1]) {
		expect(perWorker.get(index) ?? 0).toBeGreaterThanOrEqual(executions.length / 5);
	}
});

const sessionCookie = () => ownerSessionCookie(n8nUrl(), 'piggy-queue');

const BURST = 20;
const BURST_ROUNDS = 10;

interface Bursts {
	/** What each burst let reach Piggy. */
	reached: number[];
	/** Executions each worker ran. */
	perWorker: Map<number, number>;
}

/**
 * BURST_ROUNDS bursts of BURST requests at once, each for a new Contact (`burst-<round>`): every
 * answer must be `answer`'s; `reached` counts what each burst let through to Piggy.
 */
async function bursts(
	prefix: string,
	post: (email: string, request: number) => Promise<CallResult>,
	answer: (email: string) => string,
	reached: (email: string) => number,
): Promise<Bursts> {
	const perBurst: number[] = [];
	const marks = logMarks();
	for (let round = 1; round <= BURST_ROUNDS; round++) {
		const email = `${prefix}-${round}@bikinibottom.sea`;
		simulator().state.createContact(email, true);
		const answers = await Promise.all(
			Array.from({ length: BURST }, (_, request) =>
				post(email, request).then((call) => `${call.status} ${call.text}`),
			),
		);
		expect(answers).toEqual(Array(BURST).fill(answer(email)));
		perBurst.push(reached(email));
	}
	const perWorker = executionsPerProcess(whoStarted(marks));
	expect([perWorker.has(0), perWorker.has(1)]).toEqual([true, true]);
	return { reached: perBurst, perWorker };
}

const workerSpread = ({ perWorker }: Bursts) =>
	`executions per worker ${[...perWorker.values()].join(' + ')}`;

// The shipped limits in queue mode: every worker reads and writes the same Data Table in
// PostgreSQL. A burst for one address is the race that matters (see docs/login-limits.md).
test(`${BURST} requests at once for one address, ${BURST_ROUNDS} times, across both workers: the emails each burst sends`, async () => {
	const sent = await bursts(
		'burst',
		(email) => postJson(`${n8nUrl()}/webhook/${LIMITED_SEND.path}`, { email }),
		(email) => `200 ${JSON.stringify({ sent: true, email })}`,
		sendsReceived,
	);
	note(
		`${BURST_ROUNDS} bursts of ${BURST} requests for one address: emails per burst ` +
			`${sent.reached.join(', ')}; ${workerSpread(sent)}`,
	);
	expect(Math.min(...sent.reached)).toBe(1);
	// One is the goal; see the README for the race that allows a second in PostgreSQL.
	expect(Math.max(...sent.reached)).toBeLessThanOrEqual(2);
});

// The same race for the codes tried: a burst of wrong codes for one address, the bound being 5.
test(`${BURST} wrong codes at once for one address, ${BURST_ROUNDS} times, across both workers: the tries each burst lets through to Piggy`, async () => {
	const refused = JSON.stringify({
		error: 'invalid_login_code',
		message: 'The login code is wrong or already used',
	});
	const tried = await bursts(
		'guessed',
		(email, guess) =>
			postJson(`${n8nUrl()}/webhook/${LIMITED_LOGIN.path}`, {
				email,
				code: String(100000 + guess),
			}),
		() => `401 ${refused}`,
		triesReceived,
	);
	note(
		`${BURST_ROUNDS} bursts of ${BURST} wrong codes for one address: tries that reached Piggy ` +
			`per burst ${tried.reached.join(', ')}; ${workerSpread(tried)}`,
	);
	// 5 is the bound; see docs/login-limits.md for the race that allows one more in PostgreSQL.
	expect(Math.min(...tried.reached)).toBe(5);
	expect(Math.max(...tried.reached)).toBeLessThanOrEqual(6);
});

test('a changed credential applies from the next execution on, on both workers: the node keeps nothing between executions', async () => {
	const cookie = await sessionCookie();
	// What the editor sends when the credential is saved.
	const setToken = async (apiKey: string) => {
		const response = await request(`${n8nUrl()}/rest/credentials/${CREDENTIAL.id}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', cookie, 'browser-id': 'piggy-queue' },
			body: JSON.stringify({
				...CREDENTIAL,
				type: 'piggyApi',
				data: { apiKey, baseUrl: `${simulator().url}/` },
			}),
		});
		expect([response.statusCode, (await response.body.text()).slice(0, 200)]).toEqual([
			200,
			expect.any(String),
		]);
	};
	// Sends in rounds until both workers have run one: a job goes to whichever worker is free.
	const sendUntilBothWorkersRan = async (prefix: string) => {
		const marks = logMarks();
		const calls: CallResult[] = [];
		for (let round = 0; round < 5; round++) {
			const contacts = await createContacts(simulator().url, `${prefix}${round}`, LOGINS_IN_FLIGHT);
			const sends = contacts.map((contact) =>
				postJson(`${n8nUrl()}/webhook/piggy/send-code`, { email: contact.email }),
			);
			calls.push(...(await Promise.all(sends)));
			const ran = executionsPerProcess(whoStarted(marks));
			if (ran.has(0) && ran.has(1)) return calls;
		}
		throw new Error(`${prefix}: after 5 rounds, not both workers had run a send`);
	};

	await setToken('a-token-piggy-refuses');
	const refused = await sendUntilBothWorkersRan('wrongtoken');
	await setToken(TOKEN);
	const accepted = await sendUntilBothWorkersRan('righttoken');

	const outcome = (call: CallResult) =>
		`${call.status} ${(call.json as { reason?: string }).reason}`;
	expect(tally(refused.map(outcome))).toEqual(new Map([['422 unauthorized', refused.length]]));
	expect(tally(accepted.map((call) => call.status))).toEqual(new Map([[200, accepted.length]]));
	note(
		`credential change: the ${refused.length} sends after it were refused (unauthorized), the ` +
			`${accepted.length} after it was restored succeeded; each group ran on both workers`,
	);
});

interface KillFacts {
	/** performance.now() just before the SIGKILL. */
	killedAt: number;
	/** Executions the victim had started and not finished, by its own log. */
	startedNotFinished: string[];
	restartMs: number;
}

/**
 * SIGKILL the first worker while it waits for Piggy inside an execution, then start it again
 * on its user folder, as a container restart does. The victim may also hold jobs it has taken
 * off the queue and not started yet: they are lost with it too.
 */
async function killAndRestart(): Promise<KillFacts> {
	const victim = workers[0];
	simulator().faults.push({ latencyMs: SLOW_PIGGY.latencyMs }, SLOW_PIGGY.requests);
	const running = () => {
		const finished = new Set(finishedBy(victim.output()));
		return startedBy(victim.output()).filter((id) => !finished.has(id));
	};
	// An execution still running 300 ms after it started is waiting for the slowed Piggy.
	const firstSeen = new Map<string, number>();
	const waitingForPiggy = () => {
		const now = performance.now();
		for (const id of running()) if (!firstSeen.has(id)) firstSeen.set(id, now);
		return running().some((id) => now - firstSeen.get(id)! >= 300);
	};
	const deadline = Date.now() + 15_000;
	while (!waitingForPiggy() && Date.now() < deadline) await sleep(10);

	const killedAt = performance.now();
	await victim.kill();
	const startedNotFinished = running();
	const restartStarted = performance.now();
	const restarted = await timed('worker 1 restart after SIGKILL', () =>
		deployment.startWorker(deployment.workerFolders[0]),
	);
	workers.push(restarted);
	return { killedAt, startedNotFinished, restartMs: performance.now() - restartStarted };
}

test(`a worker SIGKILLed halfway through ${KILL_WAVE} logins, then restarted: every call answered, nothing run twice`, async () => {
	const contacts = await createContacts(simulator().url, 'kill', KILL_WAVE);
	const before = await lastExecutionId(database());
	const marks = logMarks();
	let killing: Promise<KillFacts> | undefined;

	const results = await wave('kill wave', contacts, (finished) => {
		if (finished === KILL_WAVE / 2) killing = killAndRestart();
	});
	const kill = await killing!;

	const calls = results.flatMap((r) => [
		{ workflowId: WORKFLOW.send, email: r.contact.email, call: r.send },
		...(r.login ? [{ workflowId: WORKFLOW.login, email: r.contact.email, call: r.login }] : []),
	]);
	const failed = calls.filter(({ call }) => call.status !== 200);
	const executions = await settledExecutionsAfter(database(), before, calls.length);
	const lost = executions.filter((e) => e.status !== 'success');
	const succeeded = executions.filter((e) => e.status === 'success');
	const started = whoStarted(marks);
	const sends = tally(contacts.map((c) => sendsReceived(c.email)));
	const stepOf = (workflowId: string) => (workflowId === WORKFLOW.send ? 'send' : 'login');
	// On start-up, n8n reads the event log in its user folder and marks the executions it finds
	// unfinished there as crashed: with a shared folder, also those another worker is running.
	const recovered = markedCrashedOnStartUp(workers[2].output());
	const recoveredFromOthers = recovered.filter((id) => started.get(id)?.[0] !== 0);

	// The facts first, so that they are printed whatever the assertions below find.
	const answeredAfterKill = (call: CallResult) => (call.sentAt + call.ms - kill.killedAt) / 1000;
	note(
		`kill wave: worker 1 SIGKILLed after ${KILL_WAVE / 2} logins; its log showed ` +
			`${kill.startedNotFinished.length} executions started and not finished ` +
			`(${kill.startedNotFinished.join(', ')}); restarted, it was ready ${(kill.restartMs / 1000).toFixed(1)} s later` +
			`; on start-up it marked as crashed the executions ${recovered.join(', ') || '(none)'}, ` +
			`of which run by another worker: ${recoveredFromOthers.join(', ') || '(none)'}`,
	);
	for (const { workflowId, email, call } of failed) {
		const mail = simulator().state.mailFor(email);
		note(
			`  failed ${describeCall(stepOf(workflowId), email, call)}, answered ` +
				`${answeredAfterKill(call).toFixed(1)} s after the kill; sends the simulator received: ` +
				`${mail.length}${workflowId === WORKFLOW.login ? `, code used: ${mail[0]?.used}` : ''}`,
		);
	}
	// A call answered 200 whose Contact has no successful execution of that workflow.
	const answeredThenLost = calls.filter(
		({ workflowId, email, call }) =>
			call.status === 200 && !byContact(succeeded, workflowId).has(email),
	);
	for (const { workflowId, email, call } of answeredThenLost) {
		note(
			`  answered, then lost: ${describeCall(stepOf(workflowId), email, call)}, answered ` +
				`${answeredAfterKill(call).toFixed(1)} s after the kill; its execution was not saved`,
		);
	}
	for (const execution of lost) {
		note(
			`  execution ${execution.id} (${stepOf(execution.workflowId)}): status "${execution.status}", ` +
				`${execution.startedAt ? 'started' : 'never started'}, stopped at ${execution.stoppedAt}`,
		);
	}
	const perWorker = executionsPerProcess(started);
	note(
		`kill wave spread: killed worker ${perWorker.get(0) ?? 0}, other worker ${perWorker.get(1) ?? 0}, ` +
			`restarted worker ${perWorker.get(2) ?? 0}; Contacts by sends the simulator received ` +
			`${JSON.stringify(Object.fromEntries(sends))}`,
	);

	// Every webhook call got an HTTP answer: 200, or n8n's 500 for an execution it lost.
	expect(calls.filter(({ call }) => call.status === 0)).toEqual([]);
	expect(tally(failed.map(({ call }) => `${call.status} ${call.text}`))).toEqual(
		failed.length ? new Map([['500 {"message":"Error in workflow"}', failed.length]]) : new Map(),
	);
	const right = results.filter(loggedIn);
	expect(right.length + failed.length).toBe(KILL_WAVE);

	// One execution per call and nothing more: n8n re-ran nothing (no retry, no second start).
	expect(executions).toHaveLength(calls.length);
	expect(executions.filter((e) => e.retryOf !== null)).toEqual([]);
	expect([...started.values()].filter((ran) => ran.length !== 1)).toEqual([]);
	for (const workflowId of [WORKFLOW.send, WORKFLOW.login]) {
		const perContact = byContact(succeeded, workflowId);
		expect([...perContact.values()].filter((list) => list.length !== 1)).toEqual([]);
	}

	// The executions lost with the worker are, per workflow, the failed calls plus the calls whose
	// Respond to Webhook node had already answered (200) when the worker died, before n8n saved
	// the execution; each was the killed worker's: started there and never finished, or taken and
	// never started.
	expect(kill.startedNotFinished.length).toBeGreaterThan(0);
	for (const workflowId of [WORKFLOW.send, WORKFLOW.login]) {
		expect(lost.filter((e) => e.workflowId === workflowId)).toHaveLength(
			failed.filter((f) => f.workflowId === workflowId).length +
				answeredThenLost.filter((a) => a.workflowId === workflowId).length,
		);
	}
	// Such an execution was still running on the worker when it died, having answered moments
	// before: its caller had the answer within seconds of the kill (a lost call waits 60 s and
	// more for its 500).
	for (const { call } of answeredThenLost) {
		expect(Math.abs(answeredAfterKill(call))).toBeLessThan(10);
	}
	for (const execution of lost) {
		// "crashed": the restarted worker found it in its predecessor's event log; "error": main
		// gave up on the job when Redis reported it stalled.
		expect(['crashed', 'error']).toContain(execution.status);
		const ranOn = started.get(execution.id);
		if (ranOn) expect(ranOn).toEqual([0]);
		else expect(execution.startedAt).toBeNull();
	}
	expect(kill.startedNotFinished.filter((id) => !lost.some((e) => e.id === id))).toEqual([]);
	// With a user folder of its own, the restarted worker touched only its predecessor's.
	if (!SHARED_USER_FOLDER) expect(recoveredFromOthers).toEqual([]);

	// The simulator never got a send twice; every right login got exactly one.
	expect(Math.max(...sends.keys())).toBe(1);
	expect(right.filter((r) => sendsReceived(r.contact.email) !== 1)).toEqual([]);
});

test(`after the restart, ${LAST_WAVE} more logins: all right, and the restarted worker takes jobs`, async () => {
	const contacts = await createContacts(simulator().url, 'last', LAST_WAVE);
	const before = await lastExecutionId(database());
	const marks = logMarks();

	const results = await wave('wave after the restart', contacts);

	expect(results.filter((r) => !loggedIn(r)).map((r) => r.contact.email)).toEqual([]);
	expect(contacts.filter((c) => sendsReceived(c.email) !== 1)).toEqual([]);
	const executions = await settledExecutionsAfter(database(), before, LAST_WAVE * 2);
	expect(tally(executions.map((e) => e.status))).toEqual(new Map([['success', LAST_WAVE * 2]]));
	const started = whoStarted(marks);
	expect([...started.values()].filter((ran) => ran.length !== 1)).toEqual([]);
	const perWorker = executionsPerProcess(started);
	note(
		`after the restart: other worker ran ${perWorker.get(1) ?? 0}, restarted worker ` +
			`${perWorker.get(2) ?? 0} of ${executions.length} executions`,
	);
	expect(perWorker.get(2) ?? 0).toBeGreaterThan(0);
});

test('stopping main and the workers leaves no n8n process running', async () => {
	const groups = [main(), ...workers].map((running) => running.process.pid!);
	await timed('workers stop', () => Promise.all(workers.map((worker) => worker.stop())));
	const mainLogBeforeStop = main().output().length;
	await timed('main stop', () => main().stop());
	for (const group of groups) expect(() => process.kill(-group, 0)).toThrow(/ESRCH/);
	// Whether main still held executions as active, and waited for them (up to its 30 s).
	const waiting = logRecords(main().output().slice(mainLogBeforeStop)).find((record) =>
		/^Waiting for \d+ active executions/.test(record.message),
	);
	note(`main on stopping: ${waiting?.message ?? 'no active executions to wait for'}`);
});
