import { inspect } from 'node:util';

import type { WorkflowRun } from '../harness/engine';
import { TEST_CREDENTIALS, loadWorkflow, runWorkflow } from '../harness/engine';
import { ALL_FAILURE_CASES, OPERATIONS } from '../harness/failureCases';
import { AUTH_TOKEN, CONTACT_UUID, VERIFY_PATH, authTokenPath, piggy } from '../harness/piggyMock';

// A failing item's error is shown in the editor, stored with the execution and often mailed or
// posted to Slack by an error workflow: neither the Personal Access Token nor a Contact's auth
// token may appear in it, nor in what n8n logs.

declare const PIGGY_ENGINE: string | undefined;
const isEngine1x = typeof PIGGY_ENGINE === 'string' && PIGGY_ENGINE.includes('1.x');

const SECRETS = [TEST_CREDENTIALS.apiKey, `Bearer ${TEST_CREDENTIALS.apiKey}`, AUTH_TOKEN];

/** Everything a run leaves behind: stored run data, the thrown error with its hidden fields and causes, logged errors. */
function everythingVisible(result: WorkflowRun): string {
	const seen = [
		JSON.stringify(result.run),
		inspect(result.run.data.resultData.error, { depth: 20, showHidden: true }),
		...result.reportedErrors.map((error) => inspect(error, { depth: 20, showHidden: true })),
	];
	return seen.join('\n');
}

const collected: string[] = [];

afterAll(() => {
	// The scan must have had material: every case ran and left an error somewhere.
	expect(collected.length).toBeGreaterThanOrEqual(ALL_FAILURE_CASES.length * 2 + 2);
});

describe.each(ALL_FAILURE_CASES)('$title', (failure) => {
	test.each(['continueErrorOutput', 'stopWorkflow'] as const)(
		'leaks no secret with %s',
		async (onError) => {
			const { fixture, input, intercept } = OPERATIONS[failure.operation]();
			failure.reply(intercept());

			const result = await runWorkflow(fixture, { onError, items: [input] });
			const visible = everythingVisible(result);

			expect(visible).toContain(failure.message);
			for (const secret of SECRETS) expect(visible).not.toContain(secret);
			collected.push(visible);
		},
	);
});

test('a 2xx carrying a token under an unexpected key does not echo the body', async () => {
	piggy()
		.get(authTokenPath(CONTACT_UUID))
		.reply(200, { data: { token: AUTH_TOKEN } });

	const result = await runWorkflow(loadWorkflow('getAuthToken'), {
		onError: 'stopWorkflow',
	});
	const visible = everythingVisible(result);

	expect(visible).toContain('Piggy sent a response this node cannot read');
	for (const secret of SECRETS) expect(visible).not.toContain(secret);
	collected.push(visible);
});

test('a failed auth-token step after a good verify leaks no secret', async () => {
	piggy()
		.post(VERIFY_PATH)
		.reply(200, { data: { uuid: CONTACT_UUID }, meta: {} })
		.get(authTokenPath(CONTACT_UUID))
		.reply(401, { message: 'Unauthenticated.', token: AUTH_TOKEN });

	const result = await runWorkflow(loadWorkflow('verifyLoginCode'), {
		onError: 'stopWorkflow',
		parameters: { options: { includeAuthToken: true } },
	});
	const visible = everythingVisible(result);

	expect(visible).toContain('Piggy rejected the Personal Access Token');
	// n8n 2.x hands a failed run's error to its reporter, which logs it with its causes; 1.x does not.
	if (!isEngine1x) expect(result.reportedErrors.length).toBeGreaterThan(0);
	for (const secret of SECRETS) expect(visible).not.toContain(secret);
	collected.push(visible);
});
