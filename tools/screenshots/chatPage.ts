import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

import type { Page } from 'playwright-core';

import { cacheDir, run } from '../n8n/n8n';

// n8n's hosted chat page loads its script and styles from a CDN (jsDelivr's `@n8n/chat` and
// `normalize.css`), which a closed network cannot reach. The same packages' tarballs come from the
// npm registry into the cache once (unpacked only: the page needs their built files, not their
// dependencies), and the browser gets them from there for the CDN's addresses.

const CDN = 'https://cdn.jsdelivr.net/npm/';
/** What the page asks for; the unversioned `@n8n/chat` on the CDN is its latest release. */
const PACKAGES = [
	{ name: '@n8n/chat', spec: '@n8n/chat@latest' },
	{ name: 'normalize.css', spec: 'normalize.css@8.0.1' },
];

const installDir = () => join(cacheDir(), 'n8n-chat-page');

async function ensurePackages(say: (line: string) => void): Promise<string> {
	const modules = join(installDir(), 'node_modules');
	if (PACKAGES.every(({ name }) => existsSync(join(modules, name, 'package.json')))) return modules;
	say(`Fetching ${PACKAGES.map(({ spec }) => spec).join(' and ')} for the chat page...`);
	mkdirSync(installDir(), { recursive: true });
	for (const { name, spec } of PACKAGES) {
		const packed = await run('npm', ['pack', spec, '--json', '--pack-destination', installDir()]);
		const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
		const target = join(modules, name);
		mkdirSync(target, { recursive: true });
		await run('tar', ['-xzf', join(installDir(), filename), '-C', target, '--strip-components=1']);
	}
	return modules;
}

const CONTENT_TYPES: Record<string, string> = {
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.map': 'application/json',
};

/** Serves the chat page's CDN files to `page` from the cache. */
export async function serveChatAssets(page: Page, say: (line: string) => void): Promise<void> {
	const modules = await ensurePackages(say);
	await page.route(`${CDN}**`, async (route) => {
		// e.g. "@n8n/chat/dist/style.css" or "normalize.css@8.0.1/normalize.min.css"
		const path = route.request().url().slice(CDN.length).split('?')[0];
		const parts = path.split('/');
		const scoped = parts[0].startsWith('@');
		const name = (scoped ? `${parts[0]}/${parts[1]}` : parts[0]).replace(/(.)@[^/]+$/, '$1');
		const asked = join(modules, name, ...parts.slice(scoped ? 2 : 1));
		// jsDelivr minifies on the fly: "x.min.css" is served from the package's "x.css".
		const file = existsSync(asked) ? asked : asked.replace(/\.min(\.\w+)$/, '$1');
		if (!file.startsWith(modules) || !existsSync(file)) {
			await route.fulfill({ status: 404, body: `not in the cache: ${path}` });
			return;
		}
		await route.fulfill({
			status: 200,
			contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
			body: readFileSync(file),
		});
	});
}
