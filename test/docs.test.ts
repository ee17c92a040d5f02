import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { FAILURES } from '../nodes/PiggyContactVerification/failures';
import { reasonTable } from '../tools/docs/reasonTable';
import { GENERATED_PARTS, readPart } from '../tools/docs/writeDocs';
import type { PastedNodes } from './harness/readmeExample';
import { readmeExample } from './harness/readmeExample';

// The docs stay true to the repository: the files and npm scripts they name exist, the code layout
// names every shipped file, and the parts made from the code are what `npm run docs` makes.

const root = join(__dirname, '..');
/** Never part of the repository, whatever a doc says about them. */
const NOT_OURS = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);
/**
 * Files of other projects that the docs name, e.g. n8n's execute-batch.js: a bare file name is
 * otherwise taken for one of ours.
 */
const OTHER_PROJECTS_FILES = new Set(['execute-batch.js']);

function walk(dir: string): string[] {
	return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = dir ? `${dir}/${entry.name}` : entry.name;
		if (NOT_OURS.has(entry.name)) return [];
		return entry.isDirectory() ? walk(path) : [path];
	});
}

const files = walk('');
const fileNames = new Set(files.map((file) => file.split('/').pop()));
const topLevel = new Set(readdirSync(root).filter((name) => !NOT_OURS.has(name)));
/** Every doc but the changelog, which records files as they were when each version came out. */
const docs = files.filter((file) => file.endsWith('.md') && file !== 'CHANGELOG.md');

/** A path as docs write it, with `<placeholder>`, `*` and `**` segments, as a pattern. */
function pathPattern(path: string): RegExp {
	const segments = path.replace(/\/$/, '').split('/');
	const segmentPattern = (segment: string) =>
		segment
			.split(/(<[^>]+>|\*)/)
			.map((piece) =>
				/^(<[^>]+>|\*)$/.test(piece) ? '[^/]+' : piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
			)
			.join('');
	const pattern = segments
		.map((segment, index) => {
			if (segment === '**') return '(?:[^/]+/)*';
			return segmentPattern(segment) + (index < segments.length - 1 ? '/' : '');
		})
		.join('');
	return new RegExp(`^${pattern}(/|$)`);
}

const existsInRepository = (path: string) => {
	const pattern = pathPattern(path);
	return files.some((file) => pattern.test(file));
};

interface Mention {
	doc: string;
	path: string;
}

/** The repository paths a doc names: in links, and as words whose first segment is ours. */
function mentionedPaths(doc: string, text: string): Mention[] {
	const links = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z]+:/.test(target))
		.map((target) => relative(root, join(root, dirname(doc), target)));
	const withoutLinks = text.replace(/\]\([^)]*\)/g, ']');
	const words = [...withoutLinks.matchAll(/[\w.@<>*-]+(?:\/[\w.@<>*-]+)+\/?/g)]
		.map((match) => match[0])
		.filter((word) => topLevel.has(word.split('/')[0]));
	return [...links, ...words].map((path) => ({ doc, path }));
}

/** File names a doc writes as code (`baseUrl.ts`), without a folder. */
function mentionedFileNames(doc: string, text: string): Mention[] {
	return [...text.matchAll(/`([\w.-]+\.(?:ts|js|mjs|json|md|yml|sh|png|svg))`/g)]
		.map((match) => match[1])
		.filter((name) => !OTHER_PROJECTS_FILES.has(name))
		.map((path) => ({ doc, path }));
}

const read = (file: string) => readFileSync(join(root, file), 'utf8');

test('there are docs to check', () => {
	expect(docs).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md']));
});

test.each(docs)('%s names only paths that exist', (doc) => {
	const missing = mentionedPaths(doc, read(doc)).filter(({ path }) => !existsInRepository(path));
	expect(missing).toEqual([]);
});

test.each(docs)('%s names only file names that exist', (doc) => {
	const missing = mentionedFileNames(doc, read(doc)).filter(({ path }) => !fileNames.has(path));
	expect(missing).toEqual([]);
});

test.each(docs)('%s names only npm scripts that exist', (doc) => {
	const scripts = Object.keys(require('../package.json').scripts);
	const named = [...read(doc).matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map(
		(match) => match[1],
	);
	expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
});

test('CONTRIBUTING.md’s code layout names every file in nodes/ and credentials/', () => {
	const named = [...read('CONTRIBUTING.md').matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
	const shipped = files.filter((file) => /^(nodes|credentials)\//.test(file));
	expect(shipped.length).toBeGreaterThan(10);
	const unnamed = shipped.filter((file) => {
		const name = file.split('/').pop()!;
		return !named.some((code) => code === name || file.endsWith(`/${code}`) || code === file);
	});
	expect(unnamed).toEqual([]);
});

test.each(GENERATED_PARTS)('$file: the $name part is what `npm run docs` writes', (part) => {
	const { current, generated } = readPart(part);
	expect(current).toBe(generated);
});

describe('the table of reasons, which builders branch on', () => {
	const rows = reasonTable()
		.split('\n')
		.map((line) => line.split('|').map((cell) => cell.trim()))
		.filter((cells) => /^`[a-z_]+`$/.test(cells[2] ?? ''))
		.map(([, status, reason, message]) => ({ status, reason: reason.slice(1, -1), message }));

	// Reasons whose message is built when the failure happens (the field, Piggy's own words, ...).
	const messageAtRunTime = [
		'unknown_api_error',
		'http_error',
		'timeout',
		'invalid_parameter',
		'unexpected_error',
		'redirected',
		'invalid_base_url',
	];

	test('lists every reason the node can give, once', () => {
		expect(rows.map((row) => row.reason).sort()).toEqual(Object.keys(FAILURES).sort());
	});

	test('shows each reason’s Piggy code and message as the node gives them', () => {
		for (const { status, reason, message } of rows) {
			const entry: { piggyCode?: number; message: string } =
				FAILURES[reason as keyof typeof FAILURES];
			expect([reason, status]).toEqual([
				reason,
				entry.piggyCode === undefined
					? expect.not.stringMatching(/^\d+$/)
					: String(entry.piggyCode),
			]);
			if (!messageAtRunTime.includes(reason))
				expect([reason, message]).toEqual([reason, entry.message]);
		}
	});
});

test('a path check finds a path that is not there', () => {
	const mentions = mentionedPaths('README.md', 'see `nodes/PiggyContactVerification/piggyUrl.ts`');
	expect(mentions.map(({ path }) => existsInRepository(path))).toEqual([false]);
	expect(existsInRepository('test/engine/operations/<operation>/workflow.json')).toBe(true);
});

test('the README’s HTTP Request example is the node the end-to-end suite runs, on Piggy’s address', () => {
	const { nodes, connections } = readmeExample('http-request-shops').json;
	const workflow = JSON.parse(
		readFileSync(join(root, 'test/e2e/workflows/http-request.json'), 'utf8'),
	) as { nodes: PastedNodes['nodes'] };
	const ranInE2e = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest')!;
	const withoutUrl = ({ type, typeVersion, parameters }: PastedNodes['nodes'][number]) => ({
		type,
		typeVersion,
		parameters: { ...parameters, url: undefined },
	});

	expect(connections).toEqual({});
	expect(nodes.map(withoutUrl)).toEqual([withoutUrl(ranInE2e)]);
	expect(nodes[0].parameters.url).toBe('https://api.piggy.eu/api/v3/oauth/clients/shops');
});

test('the editor’s documentation links open the README’s sections at the repository’s address', () => {
	const repository = require('../package.json').homepage.replace(/#readme$/, '');
	const codex = JSON.parse(
		read('nodes/PiggyContactVerification/PiggyContactVerification.node.json'),
	);
	const { PiggyApi } = require('../credentials/PiggyApi.credentials');
	const links = [
		codex.resources.primaryDocumentation[0].url,
		codex.resources.credentialDocumentation[0].url,
		new PiggyApi().documentationUrl,
	] as string[];
	// GitHub's anchor for a heading: lower case, spaces to hyphens, punctuation dropped.
	const anchors = [...read('README.md').matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
		match[1]
			.toLowerCase()
			.replace(/[^\w\s-]/g, '')
			.replace(/\s/g, '-'),
	);

	expect(links).toEqual([
		`${repository}#operations`,
		`${repository}#credentials`,
		`${repository}#credentials`,
	]);
	for (const link of links) expect(anchors).toContain(link.split('#')[1]);
});

test('the README stays a page a builder reads: at most 20,000 bytes', () => {
	expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(20_000);
});
