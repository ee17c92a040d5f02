import { loadWorkflow, runWorkflow } from '../harness/engine';
import { SEND_PATH, piggy, sendSuccess } from '../harness/piggyMock';

// Stopping an execution (the editor's Stop button, a timeout of the workflow) stops the node: no
// further item is sent, and no wait (a retry's, or Options → Batching's interval) holds the run.
// Also run on n8n 1.123's engine (npm run test:compat), whose n8n-workflow waits differently.

/** Piggy's answers to sends (each after `delayMs`), announcing each request as it arrives. */
function recordingPiggy(
	reply: () => [number, object | string, Record<string, string>?],
	delayMs = 0,
) {
	const sent: string[] = [];
	let firstArrived: () => void = () => {};
	const firstRequest = new Promise<void>((resolve) => (firstArrived = resolve));
	piggy()
		.post(SEND_PATH)
		.times(3)
		.optionally()
		.delay(delayMs)
		.reply((_uri, body) => {
			sent.push((body as { email: string }).email);
			firstArrived();
			return reply();
		});
	return { sent, firstRequest };
}

const later = (promise: Promise<void>, ms: number) =>
	promise.then(() => new Promise((resolve) => setTimeout(resolve, ms)));

test('cancelling the execution stops the node from sending the remaining items', async () => {
	const { sent, firstRequest } = recordingPiggy(() => [200, sendSuccess('x@example.com')], 300);

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
		cancelWhen: firstRequest,
	});

	expect(sent).toEqual(['a@example.com']);
	expect(result.run.status).toBe('canceled');
	expect(result.ran('Succeeded')).toBe(false);
});

test('stopping during a Batch Interval ends the wait: the run stops at once, the next batch is not sent', async () => {
	const { sent, firstRequest } = recordingPiggy(() => [200, sendSuccess('x@example.com')]);

	const startedAt = performance.now();
	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
		parameters: { options: { batching: { batch: { batchSize: 1, batchInterval: 20_000 } } } },
		// Stopped while the node waits (well after the first answer).
		cancelWhen: later(firstRequest, 300),
	});

	// n8n ends a stopped run at once; the node must not stay behind, waiting out the 20 s.
	await result.piggySettled();
	expect(performance.now() - startedAt).toBeLessThan(3_000);
	expect(sent).toEqual(['a@example.com']);
	expect(result.run.status).toBe('canceled');
	// The node's own words, not a wait's abort reason.
	expect(result.run.data.resultData.error?.message).toBe(
		'The execution was cancelled: items from 1 on were not sent to Piggy',
	);
});

test('stopping while waiting to retry a 429 ends the wait: no second request', async () => {
	const { sent, firstRequest } = recordingPiggy(() => [
		429,
		{ message: 'Too Many Attempts.' },
		{ 'Retry-After': '20' },
	]);

	const startedAt = performance.now();
	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		items: [{ email: 'a@example.com' }],
		// Stopped while the node waits (well after the first answer).
		cancelWhen: later(firstRequest, 300),
	});

	// n8n ends a stopped run at once; the node must not stay behind, waiting out the 20 s.
	await result.piggySettled();
	expect(performance.now() - startedAt).toBeLessThan(3_000);
	expect(sent).toEqual(['a@example.com']);
	expect(result.run.status).toBe('canceled');
});
