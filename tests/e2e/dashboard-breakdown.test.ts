import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	storeCategories,
	storeDimensions,
	storeIndicatorDimensions,
	type Dimension
} from '../../src/lib/domain/breakdown.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** A funder on a phone chooses "Geslacht: meisje" on the dashboard: the URL and the heading say so. */

const NOW = '2025-01-20T10:00:00Z';
const SLUG = 'vleuten-versterkt';
const dimensions: Dimension[] = [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' }
		]
	}
];

describe.runIf(hasChromium())('the breakdown filter on the dashboard in Chromium at 360 px', () => {
	let db: TestDb;
	let server: RunningServer;
	let browser: Browser;
	let cookie: string;

	beforeAll(async () => {
		db = await migratedDb('sqlite');
		await loadBothPlans(db);
		await db.db
			.updateTable('programmes')
			.set({ dimensions: storeDimensions(dimensions) })
			.execute();
		const indicator = await db.db
			.updateTable('indicators')
			.set({ dimensions: storeIndicatorDimensions(['geslacht']) })
			.where('code', '=', 'VV-T1-AANDACHT')
			.returning('id')
			.executeTakeFirstOrThrow();
		const school = await db.db
			.selectFrom('regions')
			.select('id')
			.where('slug', '=', 'obs-haarzicht')
			.executeTakeFirstOrThrow();
		await db.db
			.insertInto('measurements')
			.values({
				indicator_id: indicator.id,
				region_id: school.id,
				date: '2025-01-10',
				value: 45,
				n: 80,
				source: 'Testpeiling',
				status: 'approved',
				demo: 0,
				categories: storeCategories(
					[
						{ dimension: 'geslacht', category: 'meisje', value: 55, n: 40 },
						{ dimension: 'geslacht', category: 'jongen', value: 35, n: 40 }
					],
					dimensions
				)
			})
			.execute();
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' }, { now: NOW });
		cookie = await signIn(
			(p, init) => fetch(server.url + p, init),
			await createAccount(db.db, { role: 'funder', programme: SLUG })
		);
		browser = await launchBrowser();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await db?.drop();
	});

	it('should put the chosen category in the URL and the heading, with its figure and no serious axe violation', async () => {
		const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		const page = await context.newPage();
		await page.goto(`${server.url}/p/${SLUG}/dashboard`);
		// a drawn chart: the page is hydrated, so choosing submits the form at once
		await page.locator('canvas[data-ready="true"]').first().waitFor();
		const select = page.getByLabel('Uitsplitsing');
		expect(await select.locator('option:checked').textContent()).toBe('Alle (totaal)');
		await select.focus();
		await select.selectOption('geslacht:meisje');
		await page.waitForURL(/[?&]geslacht=meisje(&|$)/);
		expect(page.url()).not.toContain('uitsplitsing');
		await expect.poll(() => page.locator('[data-selection-category]').textContent()).toBe('Alleen meisje (geslacht)');
		expect(await page.getByLabel('Uitsplitsing').locator('option:checked').textContent()).toBe('Geslacht: meisje');
		await page.screenshot({ path: join(TMP, 'breakdown-dashboard-360-top.png') });
		const card = page.locator('article[data-theme="VV-T1"]');
		await card.locator('summary').click();
		expect(await card.locator('[data-indicator="VV-T1-AANDACHT"]').textContent()).toContain('55');
		expect(await card.locator('[data-indicator="VV-T1-VS1-STAP"]').textContent()).toContain(
			'niet uitgesplitst naar geslacht'
		);
		// the page fits the phone: nothing wider than the viewport
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await seriousViolations(page)).toEqual([]);
		await card.screenshot({ path: join(TMP, 'breakdown-dashboard-360-card.png') });
		// back to the totals
		await page.getByLabel('Uitsplitsing').selectOption('');
		await page.waitForURL((url) => !url.search.includes('geslacht'));
		expect(await page.locator('[data-selection-category]').count()).toBe(0);
		await context.close();
	}, 60_000);
});
