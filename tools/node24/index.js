'use strict';
// `node tools/node24 <command> [args...]`: runs the command under the Node that .nvmrc names (24)
// or newer. n8n-core, n8n-workflow and n8n 2.x need it; machines often have an older one. On an
// older Node, Node 24 is fetched once from the npm registry (the node-<os>-<cpu> package, which
// holds the official binary and its headers) into the cache, and the command runs with it first
// on PATH. Plain CommonJS without newer syntax: this file itself runs on the old Node.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const { cacheDir } = require('../paths');

const NEEDED = Number(readFileSync(join(__dirname, '..', '..', '.nvmrc'), 'utf8').trim());
const say = (line) => process.stderr.write(`n8n-nodes-piggy: ${line}\n`);

/** The folder holding bin/node (and include/, for native builds) of a Node `NEEDED`. */
function fetchedNodeHome() {
	const os = process.platform === 'win32' ? 'win' : process.platform;
	const name = `node-${os}-${process.arch}`;
	const prefix = join(cacheDir(), `node${NEEDED}`);
	const home = join(prefix, 'node_modules', name);
	const bin = join(home, 'bin', 'node');
	const running = `this is Node ${process.versions.node}; n8n needs Node ${NEEDED}`;
	if (existsSync(bin)) {
		const version = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).version;
		say(`${running}, running this under Node ${version} from ${home}`);
		return home;
	}
	say(`${running}, fetching it once from the npm registry (${name}@${NEEDED}) into ${prefix}`);
	const install = spawnSync(
		'npm',
		[
			'install',
			'--prefix',
			prefix,
			'--no-save',
			'--no-package-lock',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`${name}@${NEEDED}`,
		],
		{ stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' },
	);
	if (install.status !== 0 || !existsSync(bin)) {
		say(
			`could not fetch ${name}@${NEEDED} from the npm registry; install Node ${NEEDED} yourself (e.g. \`nvm install ${NEEDED}\`) and run this again`,
		);
		process.exit(1);
	}
	return home;
}

function main() {
	const [command, ...args] = process.argv.slice(2);
	if (!command) {
		say('usage: node tools/node24 <command> [args...]');
		process.exit(2);
	}
	const env = Object.assign({}, process.env);
	if (Number(process.versions.node.split('.')[0]) < NEEDED) {
		const home = fetchedNodeHome();
		env.PATH = `${join(home, 'bin')}${delimiter}${env.PATH || ''}`;
		// Native builds (n8n's sqlite3, isolated-vm) need this Node's headers, not the machine's.
		env.npm_config_nodedir = home;
	}
	const child = spawn(command, args, {
		stdio: 'inherit',
		env,
		shell: process.platform === 'win32',
	});
	// Ctrl-C reaches the command too (same process group): wait for it to finish its shutdown.
	process.on('SIGINT', () => {});
	process.on('SIGTERM', () => child.kill('SIGTERM'));
	child.on('error', (error) => {
		say(`could not run ${command}: ${error.message}`);
		process.exit(1);
	});
	child.on('exit', (code, signal) => {
		if (signal) {
			// End the same way, so that whoever started us sees the signal.
			process.removeAllListeners(signal);
			process.kill(process.pid, signal);
		} else process.exit(code === null ? 1 : code);
	});
}

main();
