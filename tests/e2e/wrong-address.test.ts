import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { createAccount, type Account } from '../helpers/accounts.ts';
import { emptyDb, type TestDb } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Issue 15: a server whose ORIGIN is http://localhost:PORT, reached through http://127.0.0.1:PORT. The sign-in
 * is refused (the cross-site defence), and the login page says which address to use — with and without JavaScript.
 */
describe.runIf(hasChromium())('signing in through another address than ORIGIN, in Chromium', () => {
	let db: TestDb;
	let server: RunningServer;
	let browser: Browser;
	let account: Account;
	let expected: string;

	beforeAll(async () => {
		db = await emptyDb('sqlite');
		server = await startServer(
			{ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' },
			{ origin: (port) => `http://localhost:${port}` }
		);
		expected = server.url.replace('127.0.0.1', 'localhost');
		account = await createAccount(db.db, 'admin');
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await db?.drop();
	});

	const message = () =>
		`Deze server verwacht ${expected} — je gebruikt ${server.url}. Open ${expected}/login, of vraag de beheerder ORIGIN in te stellen op het adres dat je gebruikt.`;

	for (const javaScriptEnabled of [true, false])
		it(`should name the address to use ${javaScriptEnabled ? 'with' : 'without'} JavaScript, and not sign in`, async () => {
			const context = await browser.newContext({ javaScriptEnabled });
			try {
				const page = await context.newPage();
				await page.goto(`${server.url}/login`);
				// with JavaScript the page already warns before anyone signs in
				if (javaScriptEnabled) await expect.poll(() => page.locator('#address-warning').textContent()).toBe(message());
				await page.getByLabel('E-mailadres').fill(account.email);
				await page.getByLabel('Wachtwoord').fill(account.password);
				await page.getByRole('button', { name: 'Inloggen' }).click();
				await expect.poll(() => page.locator('#login-error').textContent(), { timeout: 10_000 }).toBe(message());
				expect(new URL(page.url()).pathname).toBe('/login');
				// the refused form comes back filled in (the password never does)
				expect(await page.getByLabel('E-mailadres').inputValue()).toBe(account.email);
				expect((await context.cookies()).map((c) => c.name)).toEqual([]);
			} finally {
				await context.close();
			}
		});

	it('should still sign in through ORIGIN itself', async () => {
		const context = await browser.newContext();
		try {
			const page = await context.newPage();
			await page.goto(`${expected}/login`);
			await page.getByLabel('E-mailadres').fill(account.email);
			await page.getByLabel('Wachtwoord').fill(account.password);
			await page.getByRole('button', { name: 'Inloggen' }).click();
			await page.waitForURL((url) => url.pathname === '/');
			expect(await page.locator('#address-warning').count()).toBe(0);
		} finally {
			await context.close();
		}
	});
});
