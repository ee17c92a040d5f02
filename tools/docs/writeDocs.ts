import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../paths';
import { modelTable, toolTable } from './modelTable';
import { reasonTable } from './reasonTable';

/**
 * `npm run docs`: writes the parts of the docs that are made from the code, each between two
 * markers in its file. test/docs.test.ts fails when a committed part differs from what this writes.
 */

export interface GeneratedPart {
	/** The file, from the repository's root. */
	file: string;
	/** Names the markers: `<!-- generated: NAME (npm run docs) -->` ... `<!-- end: NAME -->`. */
	name: string;
	render: () => string;
}

export const GENERATED_PARTS: GeneratedPart[] = [
	{ file: 'README.md', name: 'reasons', render: reasonTable },
	{ file: 'README.md', name: 'tools', render: toolTable },
	{ file: 'docs/ai-agent.md', name: 'model-failures', render: modelTable },
];

const startMarker = (name: string) => `<!-- generated: ${name} (npm run docs) -->`;
const endMarker = (name: string) => `<!-- end: ${name} -->`;

/** `text` with the part between its markers written anew; throws when a marker is missing. */
export function withPart(text: string, part: GeneratedPart): string {
	const start = text.indexOf(startMarker(part.name));
	const end = text.indexOf(endMarker(part.name));
	if (start < 0 || end < start) {
		throw new Error(`${part.file} has no ${startMarker(part.name)} ... ${endMarker(part.name)}`);
	}
	const before = text.slice(0, start + startMarker(part.name).length);
	return `${before}\n\n${part.render()}\n\n${text.slice(end)}`;
}

export function readPart(part: GeneratedPart): { current: string; generated: string } {
	const current = readFileSync(join(REPO_ROOT, part.file), 'utf8');
	return { current, generated: withPart(current, part) };
}

function main(): void {
	for (const part of GENERATED_PARTS) {
		const { current, generated } = readPart(part);
		if (generated === current) continue;
		writeFileSync(join(REPO_ROOT, part.file), generated);
		process.stdout.write(`docs: wrote ${part.name} into ${part.file}\n`);
	}
}

if (require.main === module) main();
