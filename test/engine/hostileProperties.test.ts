import { inspect } from 'node:util';

import fc from 'fast-check';
import nock from 'nock';

import type { OperationName } from '../../nodes/PiggyContactVerification/actions';
import type { WorkflowRun } from '../harness/engine';
import { TEST_CREDENTIALS, errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { piggy } from '../harness/piggyMock';

// Property-based checks (fast-check, fixed seed) of the two hostile sides of a login page: any
// visitor input in any parameter, and any server answer. Whatever comes in, the node finishes
// within a bound, every item leaves once, paired, and nothing shows the token or grows unbounded.

const SEED = 20261126;
const TOKEN = TEST_CREDENTIALS.apiKey;
const MEGABYTE = 1024 * 1024;
const MAX_ERROR_JSON = 4_096;

const OPERATIONS: OperationName[] = ['sendVerificationEmail', 'verifyLoginCode', 'getAuthToken'];
/** The length cap of the value each operation's fuzzed parameter is (Email, Code, Contact UUID). */
const CAPS: Record<OperationName, number> = {
	sendVerificationEmail: 254,
	verifyLoginCode: 64,
	getAuthToken: 128,
};

/** Short strings, long repeats up to 1 MB, and the shapes that once cost time or paths. */
const visitorText = fc.oneof(
	fc.string({ maxLength: 300, unit: 'binary' }),
	fc
		.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: MEGABYTE }))
		.map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)),
	fc.integer({ min: 200, max: 70_000 }).map((dots) => `a@${'.'.repeat(dots)}@`),
	fc.constantFrom('.', '..', ' .. ', 'jane@example.com', '123456', 'u-1'),
	fc.emailAddress(),
	fc.stringMatching(/^ ?\d{1,70} ?$/),
);

const everythingVisible = (result: WorkflowRun) =>
	[
		JSON.stringify(result.run),
		inspect(result.run.data.resultData.error, { depth: 20, showHidden: true }),
		...result.reportedErrors.map((error) => inspect(error, { depth: 20, showHidden: true })),
	].join('\n');

/** Every input item left on exactly one output, paired to itself. */
function expectEachItemOnce(result: WorkflowRun, count: number) {
	const out = [...result.output('Piggy', 0), ...result.output('Piggy', 1)];
	const paired = out
		.map((item) => (item.pairedItem as { item: number }).item)
		.sort((a, b) => a - b);
	expect(paired).toEqual(Array.from({ length: count }, (_, index) => index));
}

test('any visitor input up to 1 MB in any parameter: refused or sent within bounds, at once', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...OPERATIONS),
			visitorText,
			visitorText,
			async (operation, first, second) => {
				nock.cleanAll();
				const sent: unknown[] = [];
				piggy()
					.post(/.*/)
					.optionally()
					.reply(
						(_uri, body) => (sent.push(body), [200, { data: { type: 'Success', uuid: 'u-1' } }]),
					)
					.get(/.*/)
					.optionally()
					.reply((uri) => (sent.push(uri), [200, { data: 'token' }]));
				const item = { email: first, code: second, uuid: first };

				const startedAt = performance.now();
				const result = await runWorkflow(loadWorkflow(operation), { items: [item] });

				expect(performance.now() - startedAt).toBeLessThan(2_000);
				expectEachItemOnce(result, 1);
				const [error] = result.output('Piggy', 1).map(errorOf);
				if (error) {
					expect(error.reason).toBe('invalid_parameter');
					expect(sent).toEqual([]);
					expect(JSON.stringify(error).length).toBeLessThan(MAX_ERROR_JSON);
				} else {
					// What was sent is the trimmed value, within the field's cap, without control characters.
					const value = operation === 'verifyLoginCode' ? second.trim() : first.trim();
					expect(value.length).toBeLessThanOrEqual(CAPS[operation]);
					expect(/[\u0000-\u001f\u007f-\u009f]/.test(value)).toBe(false);
					expect(sent).toHaveLength(1);
				}
			},
		),
		{ seed: SEED, numRuns: 80 },
	);
}, 120_000);

const printable = (maxLength: number) =>
	fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${maxLength}}$`));

/** Text that may carry the token, as is or JSON-escaped, anywhere in it. */
const withToken = fc
	.tuple(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), fc.boolean())
	.map(([before, after, escaped]) => {
		const token = escaped
			? [...TOKEN].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
			: TOKEN;
		return { text: `${before}${token}${after}`, escaped };
	});

const serverBody = fc.oneof(
	// Piggy's error or success envelope, with the token in any of its strings.
	fc
		.record({
			message: withToken,
			code: fc.oneof(fc.constantFrom(1003, 55031, 55032, 13010, 1053, 3000, 4242), fc.string()),
			field: withToken,
			uuid: fc.oneof(withToken, fc.constantFrom({ text: '..', escaped: false })),
		})
		.map(({ message, code, field, uuid }) => {
			const json = JSON.stringify({
				message: '@MESSAGE@',
				code,
				errors: { email: ['@FIELD@'] },
				data: { type: 'Success', message: '@MESSAGE@', uuid: '@UUID@', auth_token: '@UUID@' },
			});
			// Escaped tokens go in raw, so that JSON.parse is what unescapes them.
			const put = (value: { text: string; escaped: boolean }) =>
				value.escaped ? value.text : JSON.stringify(value.text).slice(1, -1);
			return json
				.replaceAll('@MESSAGE@', put(message))
				.replace('@FIELD@', put(field))
				.replaceAll('@UUID@', put(uuid));
		}),
	// Up to 1 MB, the token somewhere inside.
	fc
		.tuple(fc.integer({ min: 0, max: MEGABYTE }), fc.double({ min: 0, max: 1, noNaN: true }))
		.map(([size, at]) => {
			const filler = 'x'.repeat(size);
			const cut = Math.floor(size * at);
			return JSON.stringify({
				message: `${filler.slice(0, cut)}${TOKEN}${filler.slice(cut)}`,
				code: 4242,
			});
		}),
	fc.json({ maxDepth: 12 }),
	printable(500),
);

const serverAnswer = fc.record({
	status: fc.oneof(
		fc.constantFrom(
			200,
			201,
			204,
			301,
			302,
			303,
			307,
			308,
			400,
			401,
			403,
			404,
			418,
			422,
			429,
			500,
			502,
			503,
			504,
		),
		fc.integer({ min: 200, max: 599 }),
	),
	body: serverBody,
	retryAfter: fc.oneof(fc.constantFrom('0', '-1', '1.5', '+5', TOKEN), printable(100)),
	location: fc.oneof(
		fc.constantFrom(
			`https://${TOKEN}.example.com/${TOKEN}?t=${TOKEN}`,
			`/${TOKEN}`,
			'javascript:x',
		),
		printable(200),
	),
});

test('any server answer: each item leaves once, soon, with no token and no unbounded text', async () => {
	await fc.assert(
		fc.asyncProperty(fc.constantFrom(...OPERATIONS), serverAnswer, async (operation, answer) => {
			nock.cleanAll();
			const headers = {
				'Content-Type': 'application/json',
				'Retry-After': answer.retryAfter,
				Location: answer.location,
			};
			piggy().post(/.*/).optionally().reply(answer.status, answer.body, headers).persist();
			piggy().get(/.*/).optionally().reply(answer.status, answer.body, headers).persist();
			const items = [
				{ email: 'jane@example.com', code: '123456', uuid: 'u-1' },
				{ email: 'joe@example.com', code: '654321', uuid: 'u-2' },
			];

			const startedAt = performance.now();
			const result = await runWorkflow(loadWorkflow(operation), {
				items,
				parameters: operation === 'verifyLoginCode' ? { options: { includeAuthToken: true } } : {},
			});

			// Two items, each at most three attempts with the default back-off (0.5 s + 1 s).
			expect(performance.now() - startedAt).toBeLessThan(8_000);
			expectEachItemOnce(result, items.length);
			expect(everythingVisible(result)).not.toContain(TOKEN);
			for (const item of [...result.output('Piggy', 0), ...result.output('Piggy', 1)]) {
				expect(JSON.stringify(item.json).length).toBeLessThan(MAX_ERROR_JSON);
			}
		}),
		{ seed: SEED, numRuns: 60 },
	);
}, 300_000);
