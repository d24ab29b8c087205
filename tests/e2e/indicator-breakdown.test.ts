import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/lib/components/chart-palette.ts';
import {
	storeCategories,
	storeDimensions,
	storeIndicatorDimensions,
	type CategoryValue,
	type Dimension
} from '../../src/lib/domain/breakdown.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend' }
	]
};
const cat = (category: string, value: number, n: number): CategoryValue => ({
	dimension: 'geslacht',
	category,
	value,
	n
});

/**
 * The stress indicator split by gender, as a funder sees it on a phone on 15 November 2026: two schools
 * of Vleuten-De Meern measured in October 2025 and 2026; in Limus College only 5 respondents said
 * "anders/onbekend" in 2026 (integration test indicator-breakdown.test.ts has the same figures).
 */
describe.runIf(hasChromium())('indicator breakdown in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let funder: string;
	const dbFile = join(TMP, `e2e-breakdown-${process.pid}.db`);
	const base = '/p/vleuten-versterkt/indicatoren/VV-AMB-1-STRESS';

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared);
		const { db } = prepared;
		await db
			.updateTable('programmes')
			.set({ dimensions: storeDimensions([GESLACHT]) })
			.where('slug', '=', 'vleuten-versterkt')
			.execute();
		const indicator = await db
			.updateTable('indicators')
			.set({ frequency: 'yearly', valid_months: null, dimensions: storeIndicatorDimensions(['geslacht']) })
			.where('code', '=', 'VV-AMB-1-STRESS')
			.returning('id')
			.executeTakeFirstOrThrow();
		const regions = await db.selectFrom('regions').select(['id', 'slug']).execute();
		const regionId = (slug: string) => regions.find((r) => r.slug === slug)!.id;
		const rows: [string, string, number, number, CategoryValue[]][] = [
			['amadeus-lyceum', '2025-10-01', 40, 100, [cat('meisje', 50, 50), cat('jongen', 30, 50)]],
			['limus-college', '2025-10-01', 35, 60, [cat('meisje', 44, 30), cat('jongen', 26, 30)]],
			[
				'amadeus-lyceum',
				'2026-10-01',
				38,
				100,
				[cat('meisje', 46, 45), cat('jongen', 30, 49), cat('anders-onbekend', 38, 6)]
			],
			[
				'limus-college',
				'2026-10-01',
				36,
				60,
				[cat('meisje', 42, 30), cat('jongen', 27.7, 25), cat('anders-onbekend', 40.3, 5)]
			]
		];
		await db
			.insertInto('measurements')
			.values(
				rows.map(([region, date, value, n, categories]) => ({
					indicator_id: indicator.id,
					region_id: regionId(region),
					date,
					value,
					n,
					source: 'Testpeiling',
					status: 'approved' as const,
					categories: storeCategories(categories, [GESLACHT]),
					demo: 0
				}))
			)
			.execute();
		const account = await createAccount(db, { role: 'funder', programme: 'vleuten-versterkt' });
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-11-15T10:00:00Z' });
		funder = await signIn((p, init) => fetch(server.url + p, init), account);
		browser = await launchBrowser();
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path: string, width: number): Promise<{ page: Page; context: BrowserContext }> {
		const context = await browser.newContext({ viewport: { width, height: 900 } });
		const [name, value] = funder.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		await page.emulateMedia({ reducedMotion: 'reduce' });
		await page.goto(`${server.url}${path}`);
		return { page, context };
	}
	/** pixels of the third category's colour (Anders/onbekend) in the breakdown chart, legend left out */
	const thirdColour = (page: Page) =>
		page.locator('section.breakdown canvas').evaluate((c: HTMLCanvasElement, hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
			const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
			let hits = 0;
			// below the legend's band (the top 15 %), where the lines and points are
			for (let i = Math.floor((data.length * 0.15) / 4) * 4; i < data.length; i += 4)
				if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30)
					hits++;
			return hits;
		}, PALETTE.target);
	const text = async (page: Page, selector: string) =>
		((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

	it('should show the breakdown chart, its table and the gap on a phone', async () => {
		const { page, context } = await open(`${base}?regio=vleuten-de-meern`, 360);
		const section = page.locator('section.breakdown[data-dimension="geslacht"]');
		expect(await text(page, 'section.breakdown h2')).toBe('Uitsplitsing naar geslacht');
		await section.locator('canvas[data-ready="true"]').waitFor();
		expect(await section.locator('figure').getAttribute('data-series')).toBe('Meisje|Jongen|Anders/onbekend');
		const inked = await section.locator('canvas').evaluate((c: HTMLCanvasElement) => {
			const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
			let n = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
			return n;
		});
		expect(inked).toBeGreaterThan(1000);
		expect(await text(page, 'section.breakdown .gap')).toBe(
			'Verschil meisje–jongen: 15,2 procentpunt (was 19,3 in oktober 2025)'
		);
		const rows = await section.locator('tbody tr').allInnerTexts();
		expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
			'1 okt 2025 47,8% n = 80 28,5% n = 80 —',
			'1 okt 2026 44,4% n = 75 29,2% n = 74 39% n = 11'
		]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});

	it('should say "te weinig respondenten" for a small group and leave its number out of the page', async () => {
		// reached by the page's own region choice: the chart is drawn again for the other region
		const { page, context } = await open(`${base}?regio=vleuten-de-meern`, 360);
		await page.locator('section.breakdown canvas[data-ready="true"]').waitFor();
		expect(await thirdColour(page)).toBeGreaterThan(20);
		await page.selectOption('#regio', 'limus-college');
		await page.getByRole('button', { name: 'Toon' }).click();
		await page.waitForURL(/regio=limus-college/);
		const section = page.locator('section.breakdown');
		await section.locator('figcaption', { hasText: 'Limus College' }).waitFor();
		await section.locator('canvas[data-ready="true"]').waitFor();
		// drawn again: the small group's point is not in the new chart
		expect(await thirdColour(page)).toBe(0);
		const last = (await section.locator('tbody tr').last().innerText()).replace(/\s+/g, ' ').trim();
		expect(last).toBe('1 okt 2026 42% n = 30 verborgen: zou een kleine groep verraden te weinig respondenten');
		expect(await text(page, 'section.breakdown .gap')).toBe('Verschil meisje–jongen: 18 procentpunt');
		// not in the HTML as served, nor in what the page's script received
		const html = await (
			await fetch(`${server.url}${base}?regio=limus-college`, { headers: { cookie: funder } })
		).text();
		expect(html).toContain('te weinig respondenten');
		for (const hidden of ['27.7', '27,7', '40.3', '40,3']) {
			expect(html).not.toContain(hidden);
			expect(await page.content()).not.toContain(hidden);
		}
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});
});
