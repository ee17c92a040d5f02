import fc from 'fast-check';
import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';

import { FAILURES } from '../../nodes/PiggyContactVerification/failures';
import { toNodeError } from '../../nodes/PiggyContactVerification/itemEngine';
import { describeHttpFailure } from '../../nodes/PiggyContactVerification/transport/describeFailure';
import type { ApiFailureCase } from '../harness/failureCases';
import { errorOf, loadWorkflow, runWorkflow } from '../harness/engine';
import { SEND_PATH, VERIFY_PATH, piggy, sendSuccess } from '../harness/piggyMock';

// Property-based checks (fast-check, fixed seed so a failure reproduces): input validation never
// lets a bad value reach Piggy and never mangles a good one; the error mapper survives anything.

const SEED = 20261125;
// The rule, written as a (slow, but here short-input) pattern: the node checks it in linear time.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const acceptableEmail = (email: string) =>
	email.length <= 254 && !CONTROL_CHARACTER.test(email) && EMAIL_PATTERN.test(email);
// The reasons a Piggy answer can map to: all but the node's own input and unexpected failures.
const REASONS = Object.keys(FAILURES).filter(
	(reason) => reason !== 'invalid_parameter' && reason !== 'unexpected_error',
);

const node = {
	id: 'node',
	name: 'Piggy',
	type: 'n8n-nodes-piggy.piggyContactVerification',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

const untrimmed = (value: fc.Arbitrary<string>) =>
	fc
		.tuple(
			fc.constantFrom('', ' ', '\t', '\n ', '  '),
			value,
			fc.constantFrom('', ' ', '\n', '\t '),
		)
		.map(([before, core, after]) => `${before}${core}${after}`);

test('any Email is sent exactly trimmed, or refused naming the field and item before any request', async () => {
	const emails = fc.oneof(
		untrimmed(fc.emailAddress()),
		fc.string(),
		untrimmed(fc.string({ unit: 'grapheme' })),
	);
	await fc.assert(
		fc.asyncProperty(emails, async (email) => {
			nock.cleanAll(); // an unused interceptor must not answer the next sample
			const sent: unknown[] = [];
			piggy()
				.post(SEND_PATH)
				.optionally()
				.reply((_uri, body) => (sent.push(body), [200, sendSuccess('x@example.com')]));

			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
				items: [{ email }],
			});

			const trimmed = email.trim();
			if (acceptableEmail(trimmed)) {
				expect(sent).toEqual([{ email: trimmed }]);
				expect(result.output('Piggy', 0).map((item) => item.json.email)).toEqual([trimmed]);
			} else {
				expect(sent).toEqual([]);
				const [error] = result.output('Piggy', 1).map(errorOf);
				expect(error.reason).toBe('invalid_parameter');
				expect(error.message).toMatch(
					/^Email (is empty|is not a valid email address|contains control characters|is too long) on item 0/,
				);
			}
		}),
		{ seed: SEED, numRuns: 150 },
	);
});

test('any Code is sent exactly trimmed, or refused as empty, too long or with control characters', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.oneof(
				untrimmed(fc.string()),
				fc.stringMatching(/^\d{6}$/),
				fc.string({ unit: 'binary', maxLength: 100 }),
			),
			async (code) => {
				nock.cleanAll(); // an unused interceptor must not answer the next sample
				const sent: unknown[] = [];
				piggy()
					.post(VERIFY_PATH)
					.optionally()
					.reply((_uri, body) => (sent.push(body), [200, { data: { uuid: 'u-1' }, meta: {} }]));

				const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
					items: [{ email: 'jane@example.com', code }],
				});

				const trimmed = code.trim();
				const refusedAs =
					trimmed === ''
						? 'Code is empty on item 0'
						: trimmed.length > 64
							? `Code is too long on item 0 (${trimmed.length} characters, at most 64)`
							: CONTROL_CHARACTER.test(trimmed)
								? 'Code contains control characters on item 0'
								: undefined;
				if (refusedAs) {
					expect(sent).toEqual([]);
					expect(result.output('Piggy', 1).map((item) => errorOf(item).message)).toEqual([
						refusedAs,
					]);
				} else {
					expect(sent).toEqual([{ code: code.trim(), email: 'jane@example.com' }]);
				}
			},
		),
		{ seed: SEED, numRuns: 150 },
	);
});

const errorBodies = fc.oneof(
	fc.anything(),
	fc.record(
		{
			message: fc.oneof(fc.string(), fc.anything()),
			code: fc.oneof(
				fc.integer(),
				fc.constantFrom(1003, 55031, 55032, 13010, 1053, 3000),
				fc.string(),
				fc.anything(),
			),
			status_code: fc.anything(),
			errors: fc.oneof(
				fc.dictionary(fc.string(), fc.oneof(fc.array(fc.string()), fc.string(), fc.anything())),
				fc.anything(),
			),
		},
		{ requiredKeys: [] },
	),
);

test('any status and error body maps to a known reason and a readable NodeApiError, never a crash', () => {
	fc.assert(
		fc.property(
			fc.integer({ min: 100, max: 599 }),
			errorBodies,
			fc.option(fc.string()),
			(status, body, retryAfter) => {
				const failure = describeHttpFailure(status, body, retryAfter ?? undefined);
				expect(REASONS).toContain(failure.reason);
				expect(typeof failure.message).toBe('string');
				expect(failure.message.length).toBeGreaterThan(0);
				expect(typeof failure.description).toBe('string');

				const error = toNodeError(node, { itemIndex: 3, failure });
				expect(error).toBeInstanceOf(NodeApiError);
				expect(error.message).toBe(failure.message);
				expect(error.context).toMatchObject({ itemIndex: 3, reason: failure.reason });
			},
		),
		{ seed: SEED, numRuns: 2000 },
	);
});

test('through the engine, any error answer ends on the error output with a reason', async () => {
	await fc.assert(
		fc.asyncProperty(fc.integer({ min: 400, max: 599 }), errorBodies, async (status, body) => {
			nock.cleanAll(); // an unused interceptor must not answer the next sample
			piggy()
				.post(SEND_PATH)
				.times(3)
				.optionally()
				.reply(status, JSON.stringify(body ?? null), { 'Retry-After': '0' });

			const result = await runWorkflow(loadWorkflow('sendVerificationEmail'));

			expect(result.output('Piggy', 0)).toEqual([]);
			const errors = result
				.output('Piggy', 1)
				.map((item) => item.json.error as ApiFailureCase & { httpCode: number });
			expect(errors).toHaveLength(1);
			expect(REASONS).toContain(errors[0].reason);
			expect(errors[0].httpCode).toBe(status);
		}),
		{ seed: SEED, numRuns: 60 },
	);
});
