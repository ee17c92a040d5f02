import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the README gives a builder to paste into n8n's canvas: nodes and their connections. */
export interface PastedNodes {
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
	}>;
	connections: Record<string, unknown>;
}

/** The JSON block that follows `<!-- example: NAME -->` in README.md, as text and parsed. */
export function readmeExample(name: string): { text: string; json: PastedNodes } {
	const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
	const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`json\\n([^\`]*)\\n\`\`\``).exec(
		readme,
	);
	if (!block) throw new Error(`README.md has no example named ${name}`);
	return { text: block[1], json: JSON.parse(block[1]) as PastedNodes };
}
