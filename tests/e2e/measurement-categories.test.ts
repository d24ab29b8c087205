import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { storeDimensions, storeIndicatorDimensions } from '../../src/lib/domain/breakdown.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Entering a measurement with categories on a phone (360 px): the indicator (VV-T1-AANDACHT, a percentage)
 * is split by geslacht in a fixture; the lead fills in the total and a value and n per category, sees a
 * small group marked while typing, and the measurement is stored with its categories. A refused entry comes
 * back filled in, categories included, with the message beside the category's field. No serious axe findings.
 */
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const VV = '/p/vleuten-versterkt';
const CODE = 'VV-T1-AANDACHT';
const NOW = '2026-11-15T10:00:00Z';
const SHOTS = process.env.SCREENSHOT_DIR;

describe.runIf(hasChromium())('measurement entry with categories in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	const cookies = { lead: '', aanjager: '' };
	const dbFile = join(TMP, `e2e-measurement-categories-${process.pid}.db`);
	const context = async (who: keyof typeof cookies = 'lead'): Promise<BrowserContext> => {
		const ctx = await browser.newContext(PHONE);
		const [name, value] = cookies[who].split('=');
		await ctx.addCookies([{ name, value, url: server.url }]);
		ctx.setDefaultTimeout(10_000);
		return ctx;
	};
	const storedRows = async () => {
		const db = createDb(dbFile);
		try {
			return await db.db
				.selectFrom('measurements as m')
				.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
				.select(['m.date', 'm.value', 'm.n', 'm.categories'])
				.where('i.code', '=', CODE)
				.where('m.date', 'in', ['2026-10-05', '2026-10-06'])
				.orderBy('m.date')
				.execute();
		} finally {
			await db.close();
		}
	};
	/** Submits the form; a date outside every phase is asked to be confirmed once, then saved. */
	const save = async (page: Page) => {
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForLoadState('networkidle');
		if (await page.locator('.outside-phases').count()) {
			await page.getByRole('button', { name: 'Opslaan' }).click();
			await page.waitForLoadState('networkidle');
		}
	};

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile }, { now: NOW });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		await db.db
			.updateTable('programmes')
			.set({
				dimensions: storeDimensions([
					{
						key: 'geslacht',
						name: 'Geslacht',
						values: [
							{ key: 'meisje', name: 'Meisje' },
							{ key: 'jongen', name: 'Jongen' },
							{ key: 'anders-onbekend', name: 'Anders/onbekend' }
						]
					}
				])
			})
			.where('slug', '=', 'vleuten-versterkt')
			.execute();
		await db.db
			.updateTable('indicators')
			.set({ dimensions: storeIndicatorDimensions(['geslacht']) })
			.where('code', '=', CODE)
			.execute();
		const lead = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		const aanjager = await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' });
		await db.close();
		const fetcher = (p: string, init: RequestInit) => fetch(server.url + p, init);
		cookies.lead = await signIn(fetcher, lead);
		cookies.aanjager = await signIn(fetcher, aanjager);
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(dbFile, { force: true });
	});

	it('should store a lead’s measurement with its categories, marking a small group while it is typed', async () => {
		const page = await (await context()).newPage();
		await page.goto(`${server.url}${VV}/metingen/nieuw?indicator=${CODE}`);
		const fieldset = page.getByRole('group', { name: 'Uitsplitsing naar geslacht (optioneel)' });
		await expect(fieldset.isVisible()).resolves.toBe(true);
		await page.getByLabel('Regio').selectOption('obs-haarzicht');
		await page.getByLabel('Peildatum').fill('2026-10-05');
		await page.getByLabel(/^Waarde/).fill('40');
		await page.getByLabel('n (aantal respondenten, optioneel)').fill('100');
		await fieldset.getByLabel('Meisje — waarde').fill('44');
		await fieldset.getByLabel('Meisje — n').fill('50');
		await fieldset.getByLabel('Jongen — waarde').fill('37,5');
		await fieldset.getByLabel('Jongen — n').fill('45');
		await fieldset.getByLabel('Anders/onbekend — waarde').fill('30');
		await fieldset.getByLabel('Anders/onbekend — n').fill('5');
		const mark = fieldset.getByText(
			'Anders/onbekend: te weinig respondenten: niet zichtbaar in overzichten en downloads'
		);
		await expect(mark.isVisible()).resolves.toBe(true);
		expect(await fieldset.getByText(/Meisje: te weinig/).count()).toBe(0);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await seriousViolations(page)).toEqual([]);
		if (SHOTS) await page.screenshot({ path: join(SHOTS, 'categories-entry.png'), fullPage: true });
		await save(page);
		expect(new URL(page.url()).pathname).toBe(`${VV}/indicatoren/${CODE}`);
		const [row] = await storedRows();
		expect(row).toMatchObject({ date: '2026-10-05', value: 40, n: 100 });
		expect(JSON.parse(row.categories!)).toEqual([
			{ dimension: 'geslacht', category: 'meisje', value: 44, n: 50 },
			{ dimension: 'geslacht', category: 'jongen', value: 37.5, n: 45 },
			{ dimension: 'geslacht', category: 'anders-onbekend', value: 30, n: 5 }
		]);
	});

	it('should bring a refused entry back filled in, categories included, with the message beside the category', async () => {
		const page = await (await context()).newPage();
		// the general form: the category fields follow the indicator chosen in its select
		await page.goto(`${server.url}${VV}/metingen/nieuw`);
		expect(await page.getByRole('group', { name: /^Uitsplitsing/ }).count()).toBe(0);
		await page.getByLabel('Indicator', { exact: true }).selectOption(CODE);
		await page.getByLabel('Regio').selectOption('obs-haarzicht');
		await page.getByLabel('Peildatum').fill('2026-10-06');
		await page.getByLabel(/^Waarde/).fill('40');
		await page.getByLabel('n (aantal respondenten, optioneel)').fill('100');
		const fieldset = page.getByRole('group', { name: 'Uitsplitsing naar geslacht (optioneel)' });
		await fieldset.getByLabel('Meisje — waarde').fill('44');
		await fieldset.getByLabel('Jongen — waarde').fill('36');
		await fieldset.getByLabel('Jongen — n').fill('120');
		await save(page);
		const after = page.getByRole('group', { name: 'Uitsplitsing naar geslacht (optioneel)' });
		await expect(after.getByLabel('Meisje — waarde').inputValue()).resolves.toBe('44');
		await expect(after.getByLabel('Jongen — n').inputValue()).resolves.toBe('120');
		await expect(page.getByLabel(/^Waarde/).inputValue()).resolves.toBe('40');
		const meisjeN = after.getByLabel('Meisje — n');
		await expect(meisjeN.getAttribute('aria-invalid')).resolves.toBe('true');
		const describedBy = (await meisjeN.getAttribute('aria-describedby')) ?? '';
		const message = await page.locator(`#${describedBy.split(' ').find((id) => id.endsWith('-error'))}`).textContent();
		expect(message).toBe('Vul n in voor meisje: het aantal respondenten.');
		expect(await seriousViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		if (SHOTS) await page.screenshot({ path: join(SHOTS, 'categories-refused.png'), fullPage: true });
		expect(await storedRows()).toHaveLength(1);
	});

	it('should show the lead the typed categories on the review card and the edit form, and the list only how many', async () => {
		const res = await fetch(`${server.url}/api/v1/programmes/vleuten-versterkt/measurements`, {
			method: 'POST',
			headers: { cookie: cookies.aanjager, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({
				indicator: CODE,
				region: 'amadeus-lyceum',
				date: '2026-10-07',
				value: 35,
				n: 80,
				categories: [
					{ dimension: 'geslacht', category: 'meisje', value: 38, n: 46 },
					{ dimension: 'geslacht', category: 'jongen', value: 31, n: 30 },
					{ dimension: 'geslacht', category: 'anders-onbekend', value: 25, n: 4 }
				]
			})
		});
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: number };
		const page = await (await context()).newPage();
		await page.goto(`${server.url}${VV}/metingen/beoordelen`);
		const card = page.locator(`#meting-${id}`);
		const table = card.getByRole('table', { name: 'Uitsplitsing van deze meting' });
		const cells = await table
			.locator('tbody tr')
			.evaluateAll((rows) =>
				rows.map((r) =>
					[...(r as HTMLTableRowElement).cells].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())
				)
			);
		expect(cells).toEqual([
			['Meisje (geslacht)', '38%', '46'],
			['Jongen (geslacht)', '31%', '30'],
			['Anders/onbekend (geslacht) ⚠ te weinig respondenten: niet zichtbaar in overzichten en downloads', '25%', '4']
		]);
		expect(await seriousViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		if (SHOTS) await card.screenshot({ path: join(SHOTS, 'categories-review.png') });

		await page.goto(`${server.url}${VV}/metingen/${id}`);
		const fieldset = page.getByRole('group', { name: 'Uitsplitsing naar geslacht (optioneel)' });
		await expect(fieldset.getByLabel('Meisje — waarde').inputValue()).resolves.toBe('38');
		await expect(fieldset.getByLabel('Anders/onbekend — n').inputValue()).resolves.toBe('4');

		await page.goto(`${server.url}${VV}/metingen?indicator=${CODE}&regio=amadeus-lyceum`);
		const row = page.locator('tbody tr', { hasText: '2026-10-07' });
		expect(await row.textContent()).toContain('uitgesplitst: 3 categorieën');
		// the list is no data-entry view: not even the page's data holds a category's figure
		expect(await page.content()).not.toMatch(/category:"anders-onbekend"|"category":"anders-onbekend"/);
	});
});
