'use strict';
// The engine of n8n 1.123 LTS for the `compat` Jest project (`npm run test:compat`): n8n 1.123.x
// ships n8n-core 1.122.48 and n8n-workflow 1.120.31. Installed once into the cache, outside the
// repository; jest.config.js maps n8n-core, n8n-workflow and @n8n/di to it. As the project's
// globalSetup, this runs before the first compat suite.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const { cacheDir } = require('../../tools/paths');

const PACKAGES = ['n8n-core@1.122.48', 'n8n-workflow@1.120.31'];
const dir = join(cacheDir(), 'engine-n8n-1.123');
const marker = join(dir, '.installed');

function installCompatEngine() {
	if (existsSync(marker)) return;
	process.stdout.write(`\ncompat: installing ${PACKAGES.join(' ')} into ${dir}\n`);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"piggy-engine-n8n-1.123","private":true}\n');
	const install = spawnSync(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', ...PACKAGES],
		{ cwd: dir, stdio: 'inherit' },
	);
	if (install.status !== 0) throw new Error(`compat: npm install ${PACKAGES.join(' ')} failed`);
	writeFileSync(marker, `${PACKAGES.join(' ')}\n`);
}

module.exports = installCompatEngine;
module.exports.PACKAGES = PACKAGES;
module.exports.modulesDir = join(dir, 'node_modules');
