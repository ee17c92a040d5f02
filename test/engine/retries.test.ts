import nock from 'nock';

import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { CONTACT_UUID, SEND_PATH, VERIFY_PATH, piggy, sendSuccess } from '../harness/piggyMock';
import {
	MAX_RETRY_WAIT_MS,
	parseRetryAfterMs,
	retryDelayMs,
} from '../../nodes/PiggyContactVerification/transport/retry';

// Only answers that mean "not processed" (429, 503) are retried, so a retry can never send a
// verification email twice; everything else fails the item on the first answer.

function countingReplies(
	scope: nock.Scope,
	path: string,
	replies: Array<[number, nock.Body, Record<string, string>?]>,
) {
	const sent: number[] = [];
	for (const [status, body, headers] of replies) {
		scope.post(path).reply(() => {
			sent.push(status);
			return [status, body, headers ?? {}];
		});
	}
	return sent;
}

test('a 503 then a success: the item succeeds after one retry', async () => {
	const scope = piggy();
	const sent = countingReplies(scope, SEND_PATH, [
		[503, '<html>maintenance</html>', { 'Retry-After': '0' }],
		[200, sendSuccess('jane@example.com')],
	]);

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

	expect(sent).toEqual([503, 200]);
	expect(result.output('Piggy', 0).map((item) => item.json.type)).toEqual(['Success']);
	expect(result.output('Piggy', 1)).toEqual([]);
});

test('a 429 with Retry-After: 1 waits that second before the retry', async () => {
	const scope = piggy();
	const sentAt: number[] = [];
	scope
		.post(VERIFY_PATH)
		.reply(
			() => (
				sentAt.push(performance.now()),
				[429, { message: 'Too Many Attempts.' }, { 'Retry-After': '1' }]
			),
		)
		.post(VERIFY_PATH)
		.reply(
			() => (sentAt.push(performance.now()), [200, { data: { uuid: CONTACT_UUID }, meta: {} }]),
		);

	const result = await runWorkflow(loadWorkflow('verifyLoginCode'));

	expect(result.output('Piggy', 0).map((item) => item.json.uuid)).toEqual([CONTACT_UUID]);
	expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(990);
});

test.each([
	[500, { message: 'Server Error' }, 'server_error'],
	[502, '<html>Bad Gateway</html>', 'server_error'],
	[504, '<html>Gateway Timeout</html>', 'server_error'],
])('a Send answered %i is not retried (the email may be out)', async (status, body, reason) => {
	const scope = piggy();
	const sent = countingReplies(scope, SEND_PATH, [[status, body]]);
	scope.post(SEND_PATH).reply(200, sendSuccess('jane@example.com'));

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

	expect(sent).toEqual([status]);
	expect(result.output('Piggy', 1).map((item) => errorOf(item).reason)).toEqual([reason]);
});

test('a Send that times out (Options → Timeout) fails at once and is not retried', async () => {
	const scope = piggy();
	let sent = 0;
	scope
		.post(SEND_PATH)
		.delay(1_000)
		.reply(() => (sent++, [200, sendSuccess('jane@example.com')]));
	scope.post(SEND_PATH).reply(() => (sent++, [200, sendSuccess('jane@example.com')]));

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		parameters: { options: { timeout: 100 } },
	});

	expect(result.output('Piggy', 1).map((item) => item.json.error)).toEqual([
		expect.objectContaining({
			reason: 'timeout',
			message: 'Piggy did not answer within 100 ms',
			httpCode: null,
		}),
	]);
	expect(sent).toBeLessThanOrEqual(1);
	expect(scope.pendingMocks()).toHaveLength(1);
});

describe('retry rules', () => {
	test.each([
		[429, undefined, 1, 500],
		[429, undefined, 2, 1000],
		[503, '0', 1, 0],
		[503, '7', 2, 7000],
		[429, String(MAX_RETRY_WAIT_MS / 1000), 1, MAX_RETRY_WAIT_MS],
	])(
		'status %i with Retry-After %s after attempt %i waits %i ms',
		(status, retryAfter, attempt, wait) => {
			expect(retryDelayMs(status, retryAfter, attempt)).toBe(wait);
		},
	);

	test.each([
		['no attempts left', 429, undefined, 3],
		['a wait beyond the cap', 429, String(MAX_RETRY_WAIT_MS / 1000 + 1), 1],
		['a 500', 500, '0', 1],
		['a 502', 502, undefined, 1],
		['a 400', 400, undefined, 1],
	])('%s is not retried', (_label, status, retryAfter, attempt) => {
		expect(retryDelayMs(status, retryAfter, attempt)).toBeUndefined();
	});

	test('Retry-After as an HTTP date is the time until then', () => {
		const now = Date.parse('2026-11-25T12:00:00Z');
		expect(parseRetryAfterMs('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfterMs('soon', now)).toBeUndefined();
	});

	test('the two obsolete HTTP-date formats RFC 9110 asks recipients to accept', () => {
		const now = Date.parse('2026-11-25T12:00:00Z');
		expect(parseRetryAfterMs('Wednesday, 25-Nov-26 12:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfterMs('Wed Nov 25 12:00:09 2026', now)).toBe(9000);
		expect(parseRetryAfterMs('Wed Nov  5 12:00:00 2026', now)).toBe(0);
	});

	test.each([
		'-1',
		'1.5',
		'+5',
		'5s',
		'0x10',
		'Wed, 31 Nov 2026 12:00:05 GMT',
		'Wed, 25 Nov 2026 25:00:00 GMT',
		'Nov 25 2026',
		'2026-11-25T12:00:05Z',
		'1'.repeat(65),
	])('Retry-After %j is not RFC 9110’s form: the default back-off applies', (retryAfter) => {
		const now = Date.parse('2026-11-25T12:00:00Z');
		expect(parseRetryAfterMs(retryAfter, now)).toBeUndefined();
		expect(retryDelayMs(503, retryAfter, 1)).toBe(500);
	});
});

test('a 503 with Retry-After -1 waits the default back-off, not 0 (it once read as a date in 2001)', async () => {
	const scope = piggy();
	const sentAt: number[] = [];
	scope
		.post(SEND_PATH)
		.reply(() => (sentAt.push(performance.now()), [503, '', { 'Retry-After': '-1' }]))
		.post(SEND_PATH)
		.reply(() => (sentAt.push(performance.now()), [200, sendSuccess('jane@example.com')]));

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

	expect(result.output('Piggy', 0)).toHaveLength(1);
	expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(490);
});

test('a Retry-After that is not RFC 9110’s form is not quoted in the error', async () => {
	piggy().post(SEND_PATH).times(3).reply(429, {}, { 'Retry-After': 'call me maybe' });

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

	const [error] = result.output('Piggy', 1).map(errorOf);
	expect(error.description).not.toContain('call me maybe');
}, 10_000);

test('a Timeout beyond the ceiling is the ceiling (5 minutes), not 1 ms as an overflowing timer would', async () => {
	const scope = piggy().post(SEND_PATH).delay(50).reply(200, sendSuccess('jane@example.com'));

	const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
		parameters: { options: { timeout: 3_000_000_000 } },
	});

	expect(scope.isDone()).toBe(true);
	expect(result.output('Piggy', 0)).toHaveLength(1);
});
