import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * Debian's headless Chromium, driven by the `playwright-core` dev dependency (which downloads no
 * browser): for the screenshots and the end-to-end suites that use a page as a visitor does.
 */

export const CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium tries to reach Google's servers at start-up,
// which a closed network refuses; the form pages' web font fails the same way and falls back.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface ChromiumOptions {
	viewport: { width: number; height: number };
	deviceScaleFactor?: number;
	/** The profile folder; a fresh temporary one, removed afterwards, when left out. */
	profile?: string;
}

/** Throws one line naming what to install when Chromium is missing. */
export function requireChromium(): void {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`,
		);
	}
}

/** A page in a fresh Chromium profile, closed (and a temporary profile removed) whatever `use` does. */
export async function withChromium<T>(
	options: ChromiumOptions,
	use: (page: Page) => Promise<T>,
): Promise<T> {
	requireChromium();
	const { profile, ...contextOptions } = options;
	const folder = profile ?? mkdtempSync(join(tmpdir(), 'piggy-chromium-'));
	const browser: BrowserContext = await chromium.launchPersistentContext(folder, {
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
		...contextOptions,
	});
	try {
		return await use(await browser.newPage());
	} finally {
		await browser.close();
		if (profile === undefined) rmSync(folder, { recursive: true, force: true });
	}
}
