import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { SEND_PATH, piggy, piggyErrorBody, sendSuccess } from '../harness/piggyMock';

// 1,000 items, each given a seeded, reproducible fate: success, a documented Piggy error, or a
// transport fault. Every input must leave on exactly one output, paired to itself, in order.

/** mulberry32: a tiny seeded PRNG, so the same mix comes back on every run. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Fate =
	| { kind: 'success' }
	| { kind: 'piggy'; code: number; reason: string }
	| { kind: 'status'; status: number; reason: string }
	| { kind: 'transport'; code: string; reason: string };

const FATES: Array<[number, Fate]> = [
	[0.6, { kind: 'success' }],
	[0.08, { kind: 'piggy', code: 55031, reason: 'contact_not_found' }],
	[0.07, { kind: 'piggy', code: 55032, reason: 'contacts_portal_not_set_up' }],
	[0.05, { kind: 'piggy', code: 1003, reason: 'invalid_input' }],
	[0.06, { kind: 'status', status: 500, reason: 'server_error' }],
	[0.04, { kind: 'status', status: 401, reason: 'unauthorized' }],
	[0.05, { kind: 'transport', code: 'ECONNRESET', reason: 'connection_failed' }],
	[0.05, { kind: 'transport', code: 'ETIMEDOUT', reason: 'timeout' }],
];

function fates(count: number, seed: number): Fate[] {
	const next = random(seed);
	return Array.from({ length: count }, () => {
		let roll = next();
		for (const [share, fate] of FATES) {
			if ((roll -= share) < 0) return fate;
		}
		return FATES[0][1];
	});
}

test.each([
	['one at a time', {}],
	['10 per batch', { options: { batching: { batch: { batchSize: 10, batchInterval: 0 } } } }],
])(
	'1,000 items with a seeded mix of outcomes, %s: nothing lost, each paired to itself, order kept',
	async (_label, parameters) => {
		const count = 1000;
		const plan = fates(count, 4242);
		const emails = plan.map((_, index) => `contact${index}@example.com`);
		const indexOf = new Map(emails.map((email, index) => [email, index]));

		piggy()
			.post(SEND_PATH)
			.times(count)
			.reply((_uri, body, callback) => {
				const email = (body as { email: string }).email;
				const fate = plan[indexOf.get(email)!];
				if (fate.kind === 'transport') {
					callback(Object.assign(new Error(fate.code), { code: fate.code }), [0, '']);
				} else if (fate.kind === 'piggy') {
					callback(null, [400, piggyErrorBody(fate.code, 'error')]);
				} else if (fate.kind === 'status') {
					callback(null, [fate.status, { message: 'error' }]);
				} else {
					callback(null, [200, sendSuccess(email)]);
				}
			});

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: emails.map((email) => ({ email })),
			parameters,
		});

		const succeeded = result.output('Piggy', 0);
		const failed = result.output('Piggy', 1);
		const pairedIndex = (item: { pairedItem?: unknown }) =>
			(item.pairedItem as { item: number }).item;

		// Exactly one output per input.
		expect(succeeded.length + failed.length).toBe(count);
		expect([...succeeded, ...failed].map(pairedIndex).sort((a, b) => a - b)).toEqual(
			emails.map((_, index) => index),
		);

		// Each item is paired to its own input and landed where its fate says, in input order.
		const expectedSuccesses = plan.flatMap((fate, index) =>
			fate.kind === 'success' ? [index] : [],
		);
		expect(succeeded.map(pairedIndex)).toEqual(expectedSuccesses);
		expect(succeeded.every((item) => item.json.email === emails[pairedIndex(item)])).toBe(true);
		expect(
			failed.map((item) => [pairedIndex(item), item.json.email, errorOf(item).reason]),
		).toEqual(
			plan.flatMap((fate, index) =>
				fate.kind === 'success' ? [] : [[index, emails[index], fate.reason]],
			),
		);
		// The mix really is mixed.
		expect(new Set(failed.map((item) => errorOf(item).reason)).size).toBe(7);
		// A correctness test, not a timed one: it only needs room on a loaded 2-core machine.
	},
	60_000,
);
