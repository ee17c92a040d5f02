import { loadWorkflow, runWorkflow } from '../../../harness/engine';
import { SEND_PATH, piggy, sendSuccess } from '../../../harness/piggyMock';

// Send Verification Email: the request Piggy receives and the item the builder gets. Its
// failures are in the cross-cutting suites (failureRouting, inputChecks, retries), run on this
// operation's workflow beside this file.

describe('Send Verification Email: the item on the success output', () => {
	test('answers { email, type, message } per item, in input order', async () => {
		const scope = piggy()
			.post(SEND_PATH, { email: 'jane@example.com' })
			.reply(200, sendSuccess('jane@example.com'))
			.post(SEND_PATH, { email: 'joe@example.com' })
			.reply(200, { data: { type: 'success', message: 'Sent.' }, meta: {} });

		const result = await runWorkflow(loadWorkflow('sendVerificationEmail'), {
			items: [{ email: 'jane@example.com' }, { email: 'joe@example.com' }],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Piggy', 0)).toEqual([
			{
				json: {
					email: 'jane@example.com',
					type: 'Success',
					message:
						'An email containing a link to verify your email has been sent to jane@example.com. Please check your spam / junk as well.',
				},
				pairedItem: { item: 0 },
			},
			{
				json: { email: 'joe@example.com', type: 'success', message: 'Sent.' },
				pairedItem: { item: 1 },
			},
		]);
		expect(result.output('Piggy', 1)).toEqual([]);
		expect(result.output('Succeeded', 0)).toHaveLength(2);
	});
});

describe('Send Verification Email: the request', () => {
	test('Send Verification Email POSTs {email} as JSON to .../contact-verification/send', async () => {
		let contentType: string | undefined;
		const scope = piggy()
			.post(SEND_PATH, (body) => {
				expect(body).toEqual({ email: 'jane@example.com' });
				return true;
			})
			.reply(function () {
				contentType = this.req.headers['content-type'] as string;
				return [200, sendSuccess('jane@example.com')];
			});

		await runWorkflow(loadWorkflow('sendVerificationEmail'));

		expect(scope.isDone()).toBe(true);
		expect(contentType).toMatch(/^application\/json/);
	});
});
