'use strict';
// Where things are: this repository, and the cache outside it that holds what the repository
// downloads (Node 24, n8n 2.41.1, n8n 1.123's engine, the dev n8n's user folder; PIGGY_CACHE_DIR
// moves it). Plain CommonJS, because jest.config.js and tools/node24 read it on whatever Node
// the machine has; the tools compiled into build/ use it from there.
const { existsSync } = require('node:fs');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');

/** This repository's root, from here or from the compiled copy in build/tools. */
const REPO_ROOT = (() => {
	let dir = __dirname;
	while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'nodes'))) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error('repository root not found');
		dir = parent;
	}
	return dir;
})();

/** @returns {string} */
function cacheDir() {
	return (
		process.env.PIGGY_CACHE_DIR ||
		join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-piggy')
	);
}

module.exports = { REPO_ROOT, cacheDir };
