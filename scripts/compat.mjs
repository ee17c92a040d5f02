// `npm run test:compat`: the engine suite on the engine of n8n 1.123 LTS. n8n 1.123.x ships
// n8n-core 1.122.48 and n8n-workflow 1.120.31; they are installed once into the cache (outside
// the repo) and swapped in for the 2.x packages by jest.compat.config.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PACKAGES = ['n8n-core@1.122.48', 'n8n-workflow@1.120.31'];
const cache =
	process.env.PIGGY_CACHE_DIR ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-piggy');
const dir = join(cache, 'engine-n8n-1.123');
const marker = join(dir, '.installed');

if (!existsSync(marker)) {
	console.log(`compat: installing ${PACKAGES.join(' ')} into ${dir}`);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"piggy-engine-n8n-1.123","private":true}\n');
	const install = spawnSync(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', ...PACKAGES],
		{
			cwd: dir,
			stdio: 'inherit',
		},
	);
	if (install.status !== 0) process.exit(install.status ?? 1);
	writeFileSync(marker, `${PACKAGES.join(' ')}\n`);
}

const jest = spawnSync('npx', ['jest', '-c', 'jest.compat.config.js', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, PIGGY_COMPAT_MODULES: join(dir, 'node_modules') },
});
process.exit(jest.status ?? 1);
