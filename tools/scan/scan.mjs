// `npm run scan`: what n8n's community package scanner (@n8n/scan-community-package 0.32) does to a
// published package, run here before publishing. The scanner lints twice with the same rules:
//   1. the source the package's npm provenance points at (its nodes/, credentials/ and
//      package.json), here this repository, the source our publish workflow attests;
//   2. the tarball npm would publish: all its JavaScript (index.js included) and package.json.
// Its other steps, checking the npm provenance attestation and downloading the attested source
// from GitHub, need a public release and are left to the publish workflow.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

import { REPO_ROOT } from '../paths.js';

const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const workDir = mkdtempSync(join(tmpdir(), 'piggy-scan-'));
try {
	execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', workDir], {
		cwd: REPO_ROOT,
		stdio: 'ignore',
	});
	const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
	execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', workDir]);

	const passes = [
		{ name: 'source', dir: REPO_ROOT, patterns: SOURCE_FILE_PATTERNS },
		{ name: tarball, dir: join(workDir, 'package'), patterns: TARBALL_FILE_PATTERNS },
	];
	for (const { name, dir, patterns } of passes) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(`scan: ${name} passed the community package scanner (${patterns.join(', ')})`);
		} else {
			console.error(`scan: ${name} failed: ${result.message}`);
			if (result.details) console.error(result.details);
			process.exitCode = 1;
		}
	}
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
