import type { Page } from 'playwright-core';

import { OWNER } from '../n8n/n8n';

// n8n's editor as a builder drives it, for the screenshots and the end-to-end suites: signed in
// as the owner the tools set up, a workflow open, a node's parameters open.

export async function signIn(page: Page, n8nUrl: string): Promise<void> {
	await page.goto(`${n8nUrl}/signin`);
	await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
	await page.locator('#password').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

export async function openWorkflow(page: Page, n8nUrl: string, id: string): Promise<void> {
	await page.goto(`${n8nUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	// A published workflow opens with n8n's "Production Checklist" over the canvas.
	const checklist = page.locator('[data-test-id="suggested-actions-close"]');
	if (await checklist.isVisible()) await checklist.click();
	// Zoom to fit, as the canvas's own button does, once the nodes are drawn.
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(800);
}

export async function openNode(page: Page, name: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor();
	// Off the parameters, so that no field shows its hover controls.
	await page.mouse.move(200, 650);
	await page.waitForTimeout(800);
}
