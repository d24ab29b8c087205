import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { parseCategoryTargets, parseDimensions, parseIndicatorDimensions } from '../../src/lib/domain/breakdown.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const VV = '/p/vleuten-versterkt';
const CODE = 'VV-AMB-1-STRESS';

/** Nothing wider than the screen: the page scrolls only up and down (a table may scroll inside its own box). */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/**
 * A lead on a phone (360 px) adds a dimension with its values in the plan editor, splits an indicator by
 * it and gives one category a target; the plan stores what was typed, and the pages have no serious axe violations.
 */
describe.runIf(hasChromium())('meetplan dimensions in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let phone: BrowserContext;
	const dbFile = join(TMP, `e2e-meetplan-dimensions-${process.pid}.db`);

	/** The stored plan, read straight from the database the server writes. */
	async function stored() {
		const db = createDb(dbFile);
		try {
			const p = await db.db
				.selectFrom('programmes')
				.selectAll()
				.where('slug', '=', 'vleuten-versterkt')
				.executeTakeFirstOrThrow();
			const i = await db.db
				.selectFrom('indicators')
				.selectAll()
				.where('programme_id', '=', p.id)
				.where('code', '=', CODE)
				.executeTakeFirstOrThrow();
			return {
				dimensions: parseDimensions(p.dimensions),
				minGroupSize: p.min_group_size,
				indicator: {
					dimensions: parseIndicatorDimensions(i.dimensions),
					targets: parseCategoryTargets(i.category_targets)
				}
			};
		} finally {
			await db.close();
		}
	}

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		const account = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		await db.close();
		const cookie = await signIn((p, init) => fetch(server.url + p, init), account);
		phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
		await phone.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(dbFile, { force: true });
	});

	it('should let a lead add a dimension, split an indicator by it and set a category target', async () => {
		const page = await phone.newPage();
		await page.goto(`${server.url}${VV}/meetplan`);
		await page.getByRole('link', { name: 'Uitsplitsing en groepsgrootte' }).click();
		await page.getByRole('heading', { name: 'Uitsplitsing', level: 1 }).waitFor();

		// a refused form comes back filled in, with the message beside the field
		await page.getByLabel('Naam', { exact: true }).last().fill('Leerjaar');
		await page.getByLabel('Waarden').last().fill('klas-1: Klas 1');
		await page.getByRole('button', { name: 'Dimensie toevoegen' }).click();
		await page.getByText('Een dimensie heeft minstens twee waarden').waitFor();
		expect(await page.getByLabel('Naam', { exact: true }).last().inputValue()).toBe('Leerjaar');

		await page.getByLabel('Waarden').last().fill('klas-1: Klas 1\nklas-2: Klas 2');
		await page.getByRole('button', { name: 'Dimensie toevoegen' }).click();
		await page.getByRole('status').filter({ hasText: 'Dimensie toegevoegd.' }).waitFor();
		await page.getByRole('heading', { name: /Leerjaar/, level: 3 }).waitFor();
		expect(await seriousViolations(page)).toEqual([]);
		expect(await pageWidth(page)).toBeLessThanOrEqual(360);
		await page.screenshot({ path: join(TMP, 'meetplan-dimensions-360.png'), fullPage: true });

		await page.goto(`${server.url}${VV}/meetplan/indicatoren/${CODE}`);
		await page.getByRole('checkbox', { name: 'Leerjaar', exact: true }).check();
		await page.getByRole('textbox', { name: 'Streefwaarde Klas 1 (leerjaar)' }).fill('42,5');
		await page.getByRole('textbox', { name: 'Te halen op Klas 1 (leerjaar)' }).fill('31-12-2027');
		expect(await seriousViolations(page)).toEqual([]);
		expect(await pageWidth(page)).toBeLessThanOrEqual(360);
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/meetplan(\?|#|$)/);

		expect(await stored()).toMatchObject({
			dimensions: expect.arrayContaining([
				{
					key: 'leerjaar',
					name: 'Leerjaar',
					values: [
						{ key: 'klas-1', name: 'Klas 1' },
						{ key: 'klas-2', name: 'Klas 2' }
					]
				}
			]),
			indicator: {
				dimensions: expect.arrayContaining(['leerjaar']),
				targets: expect.arrayContaining([
					{ dimension: 'leerjaar', category: 'klas-1', target: { value: 42.5, date: '2027-12-31' } }
				])
			}
		});

		// the edit form shows it back
		await page.goto(`${server.url}${VV}/meetplan/indicatoren/${CODE}`);
		expect(await page.getByRole('checkbox', { name: 'Leerjaar', exact: true }).isChecked()).toBe(true);
		expect(await page.getByRole('textbox', { name: 'Streefwaarde Klas 1 (leerjaar)' }).inputValue()).toBe('42,5');
		await page
			.locator('fieldset', { hasText: 'Uitsplitsing (optioneel)' })
			.screenshot({ path: join(TMP, 'meetplan-indicator-dimensions-360.png') });
		await page.close();
	});

	it('should set the minimum group size, refusing one outside 5–100 with the form filled in', async () => {
		const page = await phone.newPage();
		await page.goto(`${server.url}${VV}/meetplan/uitsplitsing`);
		const field = page.getByLabel('Minimaal aantal respondenten per categorie');
		await field.fill('3');
		await page.getByRole('button', { name: 'Groepsgrootte opslaan' }).click();
		await page.getByText('Vul een heel getal in van 5 tot en met 100.').waitFor();
		expect(await field.inputValue()).toBe('3');
		expect(await field.getAttribute('aria-invalid')).toBe('true');
		await field.fill('15');
		await page.getByRole('button', { name: 'Groepsgrootte opslaan' }).click();
		await page.getByRole('status').filter({ hasText: 'Minimale groepsgrootte opgeslagen.' }).waitFor();
		expect((await stored()).minGroupSize).toBe(15);

		const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await wide.addCookies(await phone.cookies());
		const big = await wide.newPage();
		await big.goto(`${server.url}${VV}/meetplan/uitsplitsing`);
		await big.screenshot({ path: join(TMP, 'meetplan-dimensions-1280.png'), fullPage: true });
		await big.goto(`${server.url}${VV}/meetplan/indicatoren/${CODE}`);
		await big
			.locator('fieldset', { hasText: 'Uitsplitsing (optioneel)' })
			.screenshot({ path: join(TMP, 'meetplan-indicator-dimensions-1280.png') });
		await wide.close();
		await page.close();
	});
});
