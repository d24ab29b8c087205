import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { printReportPdf } from '../../src/lib/server/services/report-pdf.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { CHROMIUM, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

describe.runIf(hasChromium())('dashboard and report in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let context: BrowserContext;
	const dbFile = join(TMP, `e2e-dashboard-${process.pid}.db`);
	const pdfFile = join(TMP, `e2e-rapport-${process.pid}.pdf`);

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, pdfFile]) rmSync(f, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		const db = createDb(dbFile);
		await addActivity(db.db, 'vleuten-versterkt');
		const funder = await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' });
		await db.close();
		const cookie = await signIn((p, init) => fetch(server.url + p, init), funder);
		browser = await launchBrowser();
		context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	/** What a reader sees of the first theme and the charts. */
	async function snapshot(page: Page) {
		await page.locator('canvas[data-ready="true"]').first().waitFor();
		const card = page.locator('article[data-theme="VV-T1"]');
		return {
			region: await page.locator('[data-selection-region]').textContent(),
			period: await page.locator('[data-selection-period]').textContent(),
			progress: await card.locator('[data-progress]').textContent(),
			actions: await card.locator('[data-actions]').textContent(),
			reached: await card.locator('[data-reached]').textContent(),
			series: await page.locator('[data-series-summary]').textContent()
		};
	}

	it('should update cards and charts when the region and phase filters change, with the filters in the URL', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/dashboard`);
		expect(await page.locator('article.theme').count()).toBe(5);
		const before = await snapshot(page);
		expect(before.region).toBe('het hele programma');
		const pixels = () =>
			page
				.locator('canvas[data-ready="true"]')
				.first()
				.evaluate((c: HTMLCanvasElement) => c.toDataURL());
		const drawnBefore = await pixels();

		await page.selectOption('#filter-regio', 'obs-haarzicht');
		await page.waitForURL(/regio=obs-haarzicht/);
		await expect.poll(() => page.locator('[data-selection-region]').textContent()).toBe('OBS Haarzicht');
		const school = await snapshot(page);
		expect(school.progress).not.toBe(before.progress);
		expect(school.series).not.toBe(before.series);
		expect(school.series).toContain('OBS Haarzicht');
		await expect.poll(pixels).not.toBe(drawnBefore);

		// the server's start-up added today's school year, so there is more than one September
		const september = await page
			.locator('#filter-fase optgroup[label="Schooljaar 2024-2025"] option', { hasText: 'September' })
			.getAttribute('value');
		await page.selectOption('#filter-fase', september!);
		await page.waitForURL(new RegExp(`fase=${september}`));
		await expect.poll(() => page.locator('[data-selection-period]').textContent()).toBe('September 2024-2025');
		const sep = await snapshot(page);
		expect(sep.reached).not.toBe(school.reached);
		expect(page.url()).toContain('regio=obs-haarzicht');

		// the URL is the view: opening it anew shows the same
		const again = await context.newPage();
		await again.goto(page.url());
		expect(await snapshot(again)).toEqual(sep);
		await again.close();
		await page.close();
	});

	it('should offer every chart as a table and draw it without relying on colour', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/dashboard?fase=2024-2025`);
		await page.locator('canvas[data-ready="true"]').first().waitFor();
		const tables = page.locator('details', { has: page.locator('summary', { hasText: /^Tabel bij deze grafiek/ }) });
		expect(await tables.count()).toBe(3);
		await tables.first().locator('summary').click();
		expect(await tables.first().locator('tbody tr').count()).toBe(5);
		const grid = page.locator('table.grid');
		expect(await grid.locator('tbody tr').count()).toBe(5);
		expect(await grid.textContent()).toContain('Op koers');
		expect(await grid.textContent()).toContain('Concept');
		// every cell opens its evaluation
		const links = grid.locator('a[href*="/evaluaties/"]');
		expect(await links.count()).toBe(5 * 5);
		expect(await page.locator('.multiples figure').count()).toBe(5);
		await links.first().click();
		await page.waitForURL(/\/evaluaties\/\d+\/\d+$/);
		await page.close();
	});

	it('should fit a phone screen without sideways scrolling', async () => {
		const phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
		await phone.addCookies(await context.cookies());
		const page = await phone.newPage();
		for (const path of ['dashboard', 'rapport']) {
			await page.goto(`${server.url}/p/vleuten-versterkt/${path}`);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		}
		await phone.close();
	});

	it('should print the report to an A4 PDF with a page per theme', async () => {
		const db = createDb(dbFile);
		try {
			const pages = await printReportPdf(db.db, {
				databaseUrl: dbFile,
				programme: 'vleuten-versterkt',
				phase: '2024-2025',
				out: pdfFile,
				baseUrl: server.url,
				chromium: CHROMIUM,
				buildDir: process.env.BUILD_DIR ?? 'build'
			});
			expect(existsSync(pdfFile)).toBe(true);
			expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
			expect(pages).toBeGreaterThanOrEqual(7);
			// the temporary session is gone again
			expect(
				await db.db
					.selectFrom('sessions')
					.innerJoin('users', 'users.id', 'sessions.user_id')
					.where('users.is_admin', '=', 1)
					.select('sessions.id')
					.execute()
			).toEqual([]);
		} finally {
			await db.close();
		}
	});
});
