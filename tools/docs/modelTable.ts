import type { OperationName } from '../../nodes/PiggyContactVerification/actions';
import { operations } from '../../nodes/PiggyContactVerification/actions';
import { PiggyContactVerification } from '../../nodes/PiggyContactVerification/PiggyContactVerification.node';
import type { FailureReason } from '../../nodes/PiggyContactVerification/failures';
import { FAILURES } from '../../nodes/PiggyContactVerification/failures';

/**
 * docs/ai-agent.md's table of what an AI Agent's model reads when a call fails (asTool.ts), from
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

/** What each operation does as a tool, beyond its description (a new operation needs a row). */
const AS_TOOL: Record<OperationName, string> = {
	sendVerificationEmail:
		'Answers `{"email", "result"}` with the same words whether or not the address is a Contact’s',
	verifyLoginCode:
		'Answers `{"verified": true, "email", "uuid"}`; an unknown address reads as a wrong code; Include Auth Token is hidden and never used',
	getAuthToken:
		'Not for models: missing from the tool’s Operation list, and a tool saved with it refuses every call (`not_usable_as_tool`)',
};

/**
 * The README's table of the tools a model is offered: each operation as n8n describes it when
 * Tool Description is "Set Automatically" (makeDescription: "<action> in <the node's name>").
 */
export function toolTable(): string {
	const { name } = new PiggyContactVerification().description.defaults;
	// In the order a login uses them, as the rows above are written.
	const rows = (Object.keys(AS_TOOL) as OperationName[]).map((key) => {
		const { option } = operations[key];
		return `| ${option.name} | ${option.action} in ${name} | ${AS_TOOL[key]} |`;
	});
	return [
		'| Operation | The model reads the tool as | As a tool |',
		'| --- | --- | --- |',
		...rows,
	].join('\n');
}
