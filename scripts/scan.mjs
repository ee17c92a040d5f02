// `npm run scan`: what n8n's community package scanner (@n8n/scan-community-package) does after it
// downloads a package, run on our own `npm pack` tarball: ESLint with the scanner's rule sets over
// the shipped dist/**/*.js and package.json. (The scanner's other step, the npm provenance check,
// needs a public publish and is left to the publish workflow.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const workDir = mkdtempSync(join(tmpdir(), 'piggy-scan-'));
try {
	execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', workDir], {
		stdio: 'ignore',
	});
	const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
	const packageDir = join(workDir, 'package');
	execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', workDir]);

	const shipped = ['dist/**/*.js', 'package.json'];
	const result = await analyzePackage(packageDir, shipped);
	if (!result.passed) {
		console.error(`scan: ${tarball} failed: ${result.message}`);
		if (result.details) console.error(result.details);
		process.exitCode = 1;
	} else {
		console.log(
			`scan: ${tarball} passed the community package scanner's lint (${shipped.join(', ')})`,
		);
	}
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
