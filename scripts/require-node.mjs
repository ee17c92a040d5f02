// Stops `npm test` and the other dev commands at once on a Node older than the one n8n-workflow,
// n8n-core and n8n 2.x need, with one line that says what to do. (A `pre` script would not do:
// this repository's .npmrc sets ignore-scripts, which skips pre- and post-scripts.)
import { readFileSync } from 'node:fs';

const needed = Number(readFileSync(new URL('../.nvmrc', import.meta.url), 'utf8').trim());
const running = Number(process.versions.node.split('.')[0]);
if (running < needed) {
	console.error(
		`n8n-nodes-piggy needs Node ${needed} or newer to build and test (this is Node ${process.versions.node}): run \`nvm use\` (it reads .nvmrc), or \`bash .ci/run\`, which installs Node ${needed} itself and runs every check.`,
	);
	process.exit(1);
}
