import { operations } from '../../nodes/PiggyContactVerification/actions';
import type { FailureReason } from '../../nodes/PiggyContactVerification/failures';
import { FAILURES } from '../../nodes/PiggyContactVerification/failures';

/**
 * The README's table of what an AI Agent's model reads when a call fails (asTool.ts), from
 * failures.ts, then each operation's failures that read as another outcome.
 */
export function modelTable(): string {
	const rows = (Object.keys(FAILURES) as FailureReason[]).map((reason) => {
		const { message, nextStep } = FAILURES[reason];
		const said = reason === 'invalid_parameter' ? 'Email is empty on item 0' : message;
		return `| \`${reason}\` | ${said}. ${nextStep} |`;
	});
	const readAs = Object.values(operations).flatMap(({ option, asTool }) => {
		if (asTool === undefined)
			return [`- ${option.name}: refuses every call (\`not_usable_as_tool\`).`];
		return Object.entries(asTool.readAs ?? {}).map(([reason, as]) =>
			as === 'success'
				? `- ${option.name}: \`${reason}\` reads exactly like a success.`
				: `- ${option.name}: \`${reason}\` reads as \`${as}\`.`,
		);
	});
	return ['| reason | What the model reads |', '| --- | --- |', ...rows, '', ...readAs.sort()].join(
		'\n',
	);
}
