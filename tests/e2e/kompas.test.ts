import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { TMP } from '../helpers/environment.ts';
import { PALETTE } from '../../src/lib/components/chart-palette.ts';
import { formatValue } from '../../src/lib/domain/kompas.ts';
import { schoolYearOf } from '../../src/lib/domain/phase-calendar.ts';
import { shortDate } from '../../src/lib/domain/dutch-format.ts';

/** Pixels of the figure's colour on the chart: the curve is drawn. */
const figurePixels = (page: Page) =>
	page.locator('canvas').evaluate((c: HTMLCanvasElement, hex: string) => {
		const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
		const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
		let hits = 0;
		for (let i = 0; i < data.length; i += 4)
			if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30)
				hits++;
		return hits;
	}, PALETTE.measured);

describe.runIf(hasChromium())('kompas in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let context: BrowserContext;
	const dbFile = join(TMP, `e2e-kompas-${process.pid}.db`);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		const funder = await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' });
		await db.close();
		const cookie = await signIn((p, init) => fetch(server.url + p, init), funder);
		context = await browser.newContext();
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('should show the kompas tree, Beleid above Uitvoering', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt`);
		expect(await page.locator('h1').textContent()).toBe('Vleuten Versterkt');
		const beleid = await page.locator('#beleid').boundingBox();
		const uitvoering = await page.locator('#uitvoering').boundingBox();
		expect(beleid!.y).toBeLessThan(uitvoering!.y);
		expect(await page.locator('article.theme').count()).toBe(5);
		await expect.poll(() => page.getByText('Stappenplan', { exact: true }).count()).toBeGreaterThan(0);
		expect(await page.locator('.badge.demo').count()).toBeGreaterThan(0);
		await page.close();
	});

	it('should open an indicator page and paint its chart', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt`);
		// the first theme indicator with demo measurements: follow its link from the tree
		await page.locator('#thema-1 .indicators a').first().click();
		await page.waitForURL(/\/indicatoren\//);
		await page.locator('canvas[data-ready="true"]').waitFor();
		const painted = await page.locator('canvas').evaluate((c: HTMLCanvasElement) => {
			const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
			let coloured = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) coloured++;
			return coloured;
		});
		expect(painted).toBeGreaterThan(1000);
		expect(await page.locator('figcaption').textContent()).toMatch(/nulmeting|meting/);
		expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
		await page.close();
	});

	it('should chart a per-period indicator with its running total in the school year, redrawn for another region', async () => {
		const page = await context.newPage();
		await page.setViewportSize({ width: 360, height: 740 });
		await page.emulateMedia({ reducedMotion: 'reduce' }); // no animation: a drawn chart is its final picture
		await page.goto(`${server.url}/p/vleuten-versterkt/indicatoren/VV-T2-S1-BEREIK`);
		await page.locator('canvas[data-ready="true"]').waitFor();
		const headers = await page.locator('table thead th').allTextContents();
		expect(headers).toContain('Opgeteld dit schooljaar');
		const column = headers.indexOf('Opgeteld dit schooljaar');
		// the date cell shows "3 okt 2026"; its <time> carries the ISO date
		const rows = await page
			.locator('table tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [
					tr.querySelector('time')!.getAttribute('datetime')!,
					...[...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim())
				])
			);
		const number = (text: string) => Number(text.replace(/demo|\./g, '').trim());
		const year = schoolYearOf(rows.at(-1)![0]);
		const values = rows.filter((r) => schoolYearOf(r[0]) === year).map((r) => number(r[1]));
		const total = values.reduce((a, b) => a + b, 0);
		expect(values.length).toBeGreaterThan(1);
		expect(number(rows.at(-1)![column])).toBe(total);
		expect(rows.at(-1)![column]).toContain('demo');
		// the curve of a per-period indicator is its running total: the last point is the table's last total
		const caption = await page.locator('figcaption').textContent();
		expect(caption).toContain(`de laatste op ${shortDate(rows.at(-1)![0])}: ${formatValue(total, 'count')}`);
		expect(caption).toContain('het cijfer opgeteld dit schooljaar');
		expect(caption).toContain('bevat demo-waarden');
		expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
		expect(await figurePixels(page)).toBeGreaterThan(100);

		const before = await page.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
		await page.selectOption('#regio', 'volt-toekomstmakers');
		await page.getByRole('button', { name: 'Toon' }).click();
		await page.waitForURL(/regio=volt-toekomstmakers/);
		await expect.poll(() => page.locator('figcaption').textContent()).toContain('VOLT! Toekomstmakers');
		await page.locator('canvas[data-ready="true"]').waitFor();
		expect(await page.locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);
		await page.close();
	});

	it('should chart a cumulative indicator without a running total', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/indicatoren/VV-T1-AANDACHT`);
		await page.locator('canvas[data-ready="true"]').waitFor();
		expect(await page.locator('table thead th').allTextContents()).not.toContain('Opgeteld dit schooljaar');
		expect(await page.locator('figcaption').textContent()).not.toContain('opgeteld');
		await page.close();
	});

	it('should answer an unknown programme and indicator with a 404 page', async () => {
		const page = await context.newPage();
		const res = await page.goto(`${server.url}/p/bestaat-niet`);
		expect(res!.status()).toBe(404);
		expect(await page.locator('h1').textContent()).toBe('Niet gevonden');
		const res2 = await page.goto(`${server.url}/p/vleuten-versterkt/indicatoren/NOPE`);
		expect(res2!.status()).toBe(404);
		await page.close();
	});
});
