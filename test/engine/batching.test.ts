import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { SEND_PATH, piggy, piggyErrorBody, sendSuccess } from '../harness/piggyMock';

// Options → Batching sends several items at once; everything a builder sees stays as without it:
// order, pairing, error routing, retries, stop on error.

const emails = Array.from({ length: 7 }, (_, index) => `c${index}@example.com`);
const batching = (batchSize: number, batchInterval = 0) => ({
	options: { batching: { batch: { batchSize, batchInterval } } },
});

/** Answers each email after `delayFor(email)` ms, recording how many requests were in flight. */
function slowPiggy(
	delayFor: (email: string) => number,
	fail: (email: string) => boolean = () => false,
	requests = emails.length,
) {
	const stats = { inFlight: 0, maxInFlight: 0, startedAt: [] as number[] };
	piggy()
		.post(SEND_PATH)
		.times(requests)
		.reply((_uri, body, callback) => {
			const email = (body as { email: string }).email;
			stats.inFlight++;
			stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
			stats.startedAt.push(performance.now());
			setTimeout(() => {
				stats.inFlight--;
				callback(
					null,
					fail(email)
						? [400, piggyErrorBody(55031, 'Contact not found.')]
						: [200, sendSuccess(email)],
				);
			}, delayFor(email));
		});
	return stats;
}

test('without the option, one request at a time', async () => {
	const stats = slowPiggy(() => 20);
	await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: emails.map((email) => ({ email })),
	});
	expect(stats.maxInFlight).toBe(1);
});

test('Items per Batch 3: three in flight at once; output in input order and paired, even when answers arrive out of order', async () => {
	// Later items answer first.
	const stats = slowPiggy(
		(email) => 60 - Number(email.slice(1, 2)) * 8,
		(email) => email === 'c4@example.com',
	);

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: emails.map((email) => ({ email })),
		parameters: batching(3),
	});

	expect(stats.maxInFlight).toBe(3);
	expect(result.output('Piggy', 0).map((item) => [item.json.email, item.pairedItem])).toEqual(
		emails.flatMap((email, index) => (index === 4 ? [] : [[email, { item: index }]])),
	);
	expect(
		result
			.output('Piggy', 1)
			.map((item) => [item.json.email, errorOf(item).reason, item.pairedItem]),
	).toEqual([['c4@example.com', 'contact_not_found', { item: 4 }]]);
});

test('Batch Interval waits between batches', async () => {
	const stats = slowPiggy(() => 0);

	await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: emails.slice(0, 4).map((email) => ({ email })),
		parameters: batching(2, 200),
	});

	expect(stats.startedAt).toHaveLength(4);
	expect(stats.startedAt[2] - stats.startedAt[1]).toBeGreaterThanOrEqual(190);
});

test('stopping on error with batching: the run fails on the first failing item of its batch', async () => {
	slowPiggy(
		() => 10,
		(email) => email === 'c1@example.com' || email === 'c2@example.com',
	);

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: emails.map((email) => ({ email })),
		parameters: batching(3),
		onError: 'stopWorkflow',
	});

	expect(result.run.data.resultData.error).toMatchObject({
		message: 'Contact not found in Piggy',
		context: { itemIndex: 1 },
	});
});

test('retries work inside a batch', async () => {
	const scope = piggy()
		.post(SEND_PATH, { email: 'c0@example.com' })
		.reply(503, '', { 'Retry-After': '0' })
		.post(SEND_PATH, { email: 'c0@example.com' })
		.reply(200, sendSuccess('c0@example.com'))
		.post(SEND_PATH, { email: 'c1@example.com' })
		.reply(200, sendSuccess('c1@example.com'));

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: [{ email: 'c0@example.com' }, { email: 'c1@example.com' }],
		parameters: batching(2),
	});

	expect(scope.isDone()).toBe(true);
	expect(result.output('Piggy', 0).map((item) => item.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
	]);
});

describe('ceilings: an expression can give any number, the node keeps to its limits', () => {
	test('Items per Batch 1,000,000 sends at most 50 requests at once', async () => {
		const many = Array.from({ length: 120 }, (_, index) => ({ email: `m${index}@example.com` }));
		const stats = slowPiggy(() => 20, undefined, many.length);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: many,
			parameters: batching(1_000_000),
		});

		expect(stats.maxInFlight).toBe(50);
		expect(result.output('Piggy', 0)).toHaveLength(120);
	});

	test('a Batch Interval beyond the ceiling waits the ceiling (10 minutes), not 1 ms as an overflowing timer would', async () => {
		const stats = slowPiggy(() => 0, undefined, 2);
		let firstSent: () => void = () => {};
		const firstRequest = new Promise<void>((resolve) => (firstSent = resolve));
		const watcher = setInterval(() => stats.startedAt.length > 0 && firstSent(), 10);

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: [{ email: 'c0@example.com' }, { email: 'c1@example.com' }],
			parameters: batching(1, 3_000_000_000),
			cancelWhen: firstRequest.then(() => new Promise((resolve) => setTimeout(resolve, 300))),
		});
		clearInterval(watcher);
		await result.piggySettled();

		expect(stats.startedAt).toHaveLength(1);
		expect(result.run.status).toBe('canceled');
	});
});
