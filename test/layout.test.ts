import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// Where a suite lives decides which Jest project runs it (jest.config.js). A suite that uses
// n8n-core must be in test/engine/, the folder `npm test` and `npm run test:compat` both run, so
// that no engine suite is left out of n8n 1.123's run; and nothing else belongs there.

const root = join(__dirname, '..');

function suites(dir: string): string[] {
	return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return suites(path);
		return entry.name.endsWith('.test.ts') ? [path] : [];
	});
}

/** The modules a file imports or requires, as written. */
function importsOf(file: string): string[] {
	const text = readFileSync(join(root, file), 'utf8');
	return [...text.matchAll(/(?:from\s+|require\()\s*'([^']+)'/g)].map((match) => match[1]);
}

function resolveRelative(from: string, specifier: string): string | undefined {
	const base = join(dirname(from), specifier);
	return [`${base}.ts`, `${base}/index.ts`].find((candidate) => existsSync(join(root, candidate)));
}

const seen = new Map<string, boolean>();

/** Whether `file` imports n8n-core, itself or through the repository's own modules. */
function usesN8nCore(file: string): boolean {
	if (seen.has(file)) return seen.get(file)!;
	seen.set(file, false);
	const uses = importsOf(file).some((specifier) => {
		if (specifier === 'n8n-core' || specifier.startsWith('n8n-core/')) return true;
		if (!specifier.startsWith('.')) return false;
		const target = resolveRelative(file, specifier);
		return target !== undefined && usesN8nCore(target);
	});
	seen.set(file, uses);
	return uses;
}

const all = suites('test').map((file) => relative(root, join(root, file)));
const inEngine = (file: string) => file.startsWith('test/engine/');

test('the suites are found', () => {
	expect(all.filter(inEngine).length).toBeGreaterThan(10);
	expect(all.filter((file) => !inEngine(file)).length).toBeGreaterThan(3);
});

test('every suite that uses n8n-core sits in test/engine/', () => {
	expect(all.filter((file) => !inEngine(file) && usesN8nCore(file))).toEqual([]);
});

test('every suite in test/engine/ uses n8n-core', () => {
	expect(all.filter((file) => inEngine(file) && !usesN8nCore(file))).toEqual([]);
});

test('a suite reaching n8n-core through the harness counts', () => {
	expect(usesN8nCore('test/harness/engine.ts')).toBe(true);
	expect(usesN8nCore('test/harness/http.ts')).toBe(false);
});
