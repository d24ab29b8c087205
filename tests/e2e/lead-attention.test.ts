import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { bodyOf, serverClient, type Json } from '../helpers/client.ts';

/**
 * The lead's attention list at 360 px: an aanjager submits two measurements, the lead sees them counted in the
 * programme menu and named in "Wat staat er open", approves both at once on the review page, and the count
 * drops. The review page has no serious or critical axe violations on a phone and a desktop.
 */
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const VV = '/p/vleuten-versterkt';
const NOW = '2026-11-15T10:00:00Z';

describe.runIf(hasChromium())('the lead’s attention list in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	const cookies = { lead: '', aanjager: '' };
	const dbFile = join(TMP, `e2e-lead-attention-${process.pid}.db`);
	const as = (who: keyof typeof cookies) =>
		serverClient(server.url, () => ({ cookie: cookies[who] })).api.v1.programmes[':slug'];
	const context = async (who: keyof typeof cookies, device: object): Promise<BrowserContext> => {
		const ctx = await browser.newContext(device);
		const [name, value] = cookies[who].split('=');
		await ctx.addCookies([{ name, value, url: server.url }]);
		// a missing element fails the step that waits for it, not the whole test at its time limit
		ctx.setDefaultTimeout(10_000);
		return ctx;
	};
	/** "Metingen (3 te beoordelen)" → 3; "Metingen" → 0 (on a phone the menu is folded behind its button) */
	const menuCount = async (page: Page) => {
		const text = await page
			.getByRole('navigation', { name: 'Programma', includeHidden: true })
			.getByRole('link', { name: /^Metingen/, includeHidden: true })
			.textContent();
		return Number(/(\d+) te beoordelen/.exec(text ?? '')?.[1] ?? 0);
	};

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile }, { now: NOW });
		browser = await launchBrowser();
		const db = createDb(dbFile);
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

	it('should count an aanjager’s submissions in the lead’s menu and list, and drop the count after a bulk approval', async () => {
		const lead = await context('lead', PHONE);
		const page = await lead.newPage();
		await page.goto(`${server.url}${VV}/evaluaties/open`);
		const before = await menuCount(page);

		const submitted: number[] = [];
		for (const date of ['2026-10-05', '2026-10-12']) {
			const res = await as('aanjager').measurements.$post({
				param: { slug: 'vleuten-versterkt' },
				json: { indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date, value: 31 }
			});
			submitted.push(((await bodyOf(res, 201)) as Json).id);
		}

		await page.reload();
		expect(await menuCount(page)).toBe(before + 2);
		const section = page.locator('section[aria-labelledby="open-beoordelen"]');
		expect(await section.getByRole('heading').first().textContent()).toBe(`Metingen te beoordelen (${before + 2})`);
		for (const id of submitted)
			expect(await section.locator(`a[href="${VV}/metingen/beoordelen#meting-${id}"]`).count()).toBe(1);

		await page.goto(`${server.url}${VV}/metingen/beoordelen`);
		expect(await seriousViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		// each card compares the value with what came before
		const card = page.locator(`#meting-${submitted[1]}`);
		expect(await card.textContent()).toMatch(/Vorige waarde/);
		expect(await card.textContent()).toMatch(/Streefwaarde/);
		for (const id of submitted) await page.locator(`#pick-${id}`).check();
		await page.getByRole('button', { name: 'Geselecteerde goedkeuren' }).click();
		await expect
			.poll(
				() =>
					page
						.getByRole('status')
						.filter({ hasText: /goedgekeurd/ })
						.count(),
				{ timeout: 10_000 }
			)
			.toBe(1);
		expect(
			await page
				.getByRole('status')
				.filter({ hasText: /goedgekeurd/ })
				.textContent()
		).toMatch(/2 metingen goedgekeurd/);
		expect(await menuCount(page)).toBe(before);
		expect(await page.locator(`#meting-${submitted[0]}`).count()).toBe(0);
		for (const id of submitted) {
			const m = (await bodyOf(
				await as('lead').measurements[':id'].$get({ param: { slug: 'vleuten-versterkt', id: String(id) } }),
				200
			)) as Json;
			expect(m.status).toBe('approved');
		}
		await lead.close();
	});

	it('should select all with one control, refuse a return without a reason keeping the ticks, and count the returned ones for their submitter', async () => {
		for (const date of ['2026-09-07', '2026-09-14'])
			await bodyOf(
				await as('aanjager').measurements.$post({
					param: { slug: 'vleuten-versterkt' },
					json: { indicator: 'VV-T1-AANDACHT', region: 'amadeus-lyceum', date, value: 30 }
				}),
				201
			);
		const lead = await context('lead', DESKTOP);
		const page = await lead.newPage();
		await page.goto(`${server.url}${VV}/metingen/beoordelen`);
		expect(await seriousViolations(page)).toEqual([]);
		const boxes = page.locator('input[name="pick"]');
		const n = await boxes.count();
		expect(n).toBeGreaterThanOrEqual(2);
		await page.getByLabel('Selecteer alle').check();
		expect(await page.locator('input[name="pick"]:checked').count()).toBe(n);
		await page.getByRole('button', { name: 'Geselecteerde terugsturen' }).click();
		await expect.poll(() => page.locator('#bulk-comment-error').textContent()).toMatch(/waarom/);
		expect(await page.locator('input[name="pick"]:checked').count()).toBe(n);
		expect(await boxes.count()).toBe(n);
		// with a reason they go back, and their submitter sees them counted in the menu
		await page.getByLabel('Opmerking bij de geselecteerde (verplicht bij terugsturen)').fill('De bron ontbreekt.');
		await page.getByRole('button', { name: 'Geselecteerde terugsturen' }).click();
		await expect
			.poll(
				() =>
					page
						.getByRole('status')
						.filter({ hasText: /teruggestuurd/ })
						.count(),
				{ timeout: 10_000 }
			)
			.toBe(1);
		expect(await page.locator('input[name="pick"]').count()).toBe(0);
		await lead.close();
		const aanjager = await context('aanjager', PHONE);
		const own = await aanjager.newPage();
		await own.goto(`${server.url}${VV}`);
		const menu = await own
			.getByRole('navigation', { name: 'Programma', includeHidden: true })
			.getByRole('link', { name: /^Metingen/, includeHidden: true })
			.textContent();
		// the two this aanjager submitted, not those of others
		expect(menu).toBe('Metingen (2 teruggestuurd)');
		await aanjager.close();
	});

	it('should show a draft evaluation as a concept', async () => {
		const lead = await context('lead', PHONE);
		const page = await lead.newPage();
		await page.goto(`${server.url}${VV}/evaluaties/open`);
		const link = page.locator('section[aria-labelledby="open-evaluaties"] li a').first();
		await link.click();
		await page.waitForURL(/\/evaluaties\/\d+\/\d+$/);
		await page.getByLabel('Wat is er gedaan?').fill('Een ouderavond gehouden.');
		await page.getByRole('button', { name: 'Concept opslaan' }).click();
		await expect.poll(() => page.locator('.phase-line .eval').textContent()).toMatch(/^✎\s*Concept/);
		await page.reload();
		expect(await page.locator('.phase-line .eval').textContent()).toMatch(/Concept/);
		await lead.close();
	});
});
