import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const VV = '/p/vleuten-versterkt';
/** a percentage the seed plan does not split */
const CODE = 'VV-T1-AANDACHT';

/**
 * The whole breakdown path in one go, as a lead on a phone (360 px): add a dimension in the plan editor,
 * split an indicator by it, enter a measurement with a value and n per category, and find the breakdown
 * chart with its table on the indicator page — the small group there reads "te weinig respondenten", and the
 * smallest other one is hidden too, since the total would give the small one away.
 */
describe.runIf(hasChromium())('breakdown from plan editor to indicator page in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let phone: BrowserContext;
	const dbFile = join(TMP, `e2e-breakdown-flow-${process.pid}.db`);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-11-15T10:00:00Z' });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		const account = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		await db.close();
		const cookie = await signIn((p, init) => fetch(server.url + p, init), account);
		phone = await browser.newContext({ viewport: { width: 360, height: 800 }, reducedMotion: 'reduce' });
		phone.setDefaultTimeout(15_000);
		await phone.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(dbFile, { force: true });
	});

	it('should show a measurement entered per category as a chart and a table on the indicator page', async () => {
		const page = await phone.newPage();
		// 1. the plan editor: a new dimension, and the indicator split by it
		await page.goto(`${server.url}${VV}/meetplan/uitsplitsing`);
		await page.getByLabel('Naam', { exact: true }).last().fill('Klas');
		await page.getByLabel('Waarden').last().fill('groep-7: Groep 7\ngroep-8: Groep 8\ngroep-9: Andere groep');
		await page.getByRole('button', { name: 'Dimensie toevoegen' }).click();
		await page.getByRole('status').filter({ hasText: 'Dimensie toegevoegd.' }).waitFor();
		await page.goto(`${server.url}${VV}/meetplan/indicatoren/${CODE}`);
		await page.getByRole('checkbox', { name: 'Klas', exact: true }).check();
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/meetplan(\?|#|$)/);

		// 2. a measurement with its categories (a lead's own entry counts at once)
		await page.goto(`${server.url}${VV}/metingen/nieuw?indicator=${CODE}`);
		const fieldset = page.getByRole('group', { name: 'Uitsplitsing naar klas (optioneel)' });
		await page.getByLabel('Regio').selectOption('obs-haarzicht');
		await page.getByLabel('Peildatum').fill('2026-10-05');
		await page.getByLabel(/^Waarde/).fill('50');
		await page.getByLabel('n (aantal respondenten, optioneel)').fill('100');
		await fieldset.getByLabel('Groep 7 — waarde').fill('62');
		await fieldset.getByLabel('Groep 7 — n').fill('48');
		await fieldset.getByLabel('Groep 8 — waarde').fill('38,5');
		await fieldset.getByLabel('Groep 8 — n').fill('46');
		await fieldset.getByLabel('Andere groep — waarde').fill('44,5');
		await fieldset.getByLabel('Andere groep — n').fill('6');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(new RegExp(`${VV}/indicatoren/${CODE}`));

		// 3. the indicator page: the breakdown's chart and table, the small group hidden
		await page.goto(`${server.url}${VV}/indicatoren/${CODE}?regio=obs-haarzicht`);
		const section = page.locator('section.breakdown');
		expect(await section.locator('h2').textContent()).toBe('Uitsplitsing naar klas');
		await section.locator('canvas[data-ready="true"]').waitFor();
		expect(await section.locator('figure').getAttribute('data-series')).toBe('Groep 7|Groep 8|Andere groep');
		const row = (await section.locator('tbody tr').last().textContent())!.replace(/\s+/g, ' ');
		expect(row).toContain('62%');
		expect(row).toContain('te weinig respondenten');
		expect(row).toContain('verborgen: zou een kleine groep verraden');
		// the small group's figure is nowhere on the page, and neither is the one that would give it away
		const html = await page.content();
		for (const hidden of ['44,5', '44.5', '38,5', '38.5']) expect(html).not.toContain(hidden);
		expect(await seriousViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await section.screenshot({ path: join(TMP, 'breakdown-flow-360.png') });
		await page.close();
	});
});
