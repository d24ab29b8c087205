import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The audit log as a lead and an admin read it, on 3 December 2026 (winter time, CET): a target changed in
 * the indicator form shows as "streefwaarde 40 % → 55 %" at the Dutch time, links to the indicator, keeps its
 * raw detail one click away, and the filters narrow the list through the URL, at phone and desktop width.
 */
const NOW = '2026-12-03T13:05:00Z';
const VV = '/p/vleuten-versterkt';
const PHONE = 360;
const DESKTOP = 1280;

describe.runIf(hasChromium())('the audit log in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let leadCookie: string;
	let adminCookie: string;
	const dbFile = join(TMP, `e2e-audit-log-${process.pid}.db`);

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared);
		const lead = await createAccount(prepared.db, { role: 'lead', programme: 'vleuten-versterkt' });
		const admin = await createAccount(prepared.db, 'admin');
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: NOW });
		leadCookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		adminCookie = await signIn((p, init) => fetch(server.url + p, init), admin);
		browser = await launchBrowser();
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
	});

	async function open(path: string, width: number, cookie = leadCookie): Promise<Page> {
		const context = await browser.newContext({ viewport: { width, height: 800 } });
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		const res = await page.goto(`${server.url}${path}`);
		expect(res?.status()).toBe(200);
		return page;
	}

	const words = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
	const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

	it('should show a changed target as "streefwaarde 40 % → 55 %" at the Dutch time, with a working link', async () => {
		const form = await open(`${VV}/meetplan/indicatoren/VV-T1-AANDACHT`, DESKTOP);
		expect(await form.locator('#targetValue').inputValue()).toBe('40');
		await form.locator('#targetValue').fill('55');
		await form.getByRole('button', { name: 'Opslaan' }).click();
		await form.waitForURL(/\/meetplan\?opgeslagen=VV-T1-AANDACHT/);
		await form.context().close();

		for (const width of [PHONE, DESKTOP]) {
			const page = await open(`${VV}/audit`, width);
			const entry = page.locator('ol.audit > li').first();
			expect(words(await entry.locator('.what').textContent())).toBe('indicator gewijzigd · indicator VV-T1-AANDACHT');
			// only the changed field, not the row's thirty columns
			expect((await entry.locator('.changes li').allTextContents()).map(words)).toEqual(['streefwaarde 40 % → 55 %']);
			// 13:05 UTC is 14:05 in Dutch winter time (the test server's clock runs on from there)
			expect(await entry.locator('time').textContent()).toMatch(/^3 dec 2026 14:0\d$/);
			expect(await page.getByText('Tijden in Nederlandse tijd').count()).toBe(1);
			expect(await fitsWidth(page)).toBeLessThanOrEqual(width);

			// the raw detail is one click away
			const raw = entry.locator('details pre').last();
			expect(await raw.isVisible()).toBe(false);
			await entry.getByText('Ruwe gegevens').click();
			expect(await raw.textContent()).toContain('"target_value": 55');

			await entry.getByRole('link', { name: 'indicator VV-T1-AANDACHT' }).click();
			await page.waitForURL(`**${VV}/indicatoren/VV-T1-AANDACHT`);
			expect(await page.locator('figcaption').first().textContent()).toContain('streefwaarde 55%');
			await page.context().close();
		}
	});

	it('should narrow the list with the filters, keep them in the URL, and say so when one does not fit', async () => {
		const page = await open(`${VV}/audit`, PHONE);
		await page.getByText('Filteren', { exact: true }).click();
		await page.getByLabel('Wat', { exact: true }).selectOption({ label: 'gewijzigd' });
		await page.getByLabel('Soort object', { exact: true }).selectOption({ label: 'indicator' });
		await page.getByLabel('Van', { exact: true }).fill('2026-12-03');
		await page.getByLabel('Tot en met', { exact: true }).fill('2026-12-03');
		await page.getByRole('button', { name: 'Toon' }).click();
		await page.waitForURL(/wat=update/);
		const params = new URL(page.url()).searchParams;
		expect([params.get('soort'), params.get('van'), params.get('tot')]).toEqual([
			'indicator',
			'2026-12-03',
			'2026-12-03'
		]);
		const shown = (await page.locator('ol.audit > li .what strong').allTextContents()).map(words);
		expect(shown).toEqual(['indicator gewijzigd']);
		expect(await page.getByText('Filteren (actief)').count()).toBe(1);

		// the day before the change holds no indicator update
		await page.goto(`${server.url}${VV}/audit?wat=update&soort=indicator&tot=2026-12-02`);
		expect(await page.getByText('Geen wijzigingen gevonden.').count()).toBe(1);

		const bad = await page.goto(`${server.url}${VV}/audit?van=3-12-2026&soort=indicator`);
		expect(bad?.status()).toBe(200);
		expect(words(await page.getByRole('alert').textContent())).toContain('Filter "van": verwacht een datum');
		// the filter that fits still applies
		expect((await page.locator('ol.audit > li .what strong').allTextContents()).map(words)).toEqual([
			'indicator gewijzigd'
		]);
		await page.context().close();
	});

	it('should have no serious or critical accessibility violations on both audit pages at both widths', async () => {
		for (const [path, cookie] of [
			[`${VV}/audit`, leadCookie],
			['/admin/audit', adminCookie]
		] as const)
			for (const width of [PHONE, DESKTOP]) {
				const page = await open(path, width, cookie);
				await page.getByText('Filteren', { exact: true }).click();
				await page.locator('ol.audit details summary').first().click();
				expect(await seriousViolations(page), `${path} at ${width}px`).toEqual([]);
				expect(await fitsWidth(page), `${path} at ${width}px`).toBeLessThanOrEqual(width);
				await page.context().close();
			}
	});

	it('should page the admin log with "Volgende" and "Vorige", keeping the filters', async () => {
		// the set-up made two accounts: the admin's (newest) and the lead's; one to a page
		const page = await open('/admin/audit?soort=user&wat=create&aantal=1', DESKTOP, adminCookie);
		const shown = async () => words(await page.locator('ol.audit > li .what').textContent());
		const first = await shown();
		expect(await page.getByRole('link', { name: /Vorige/ }).count()).toBe(0);
		await page.getByRole('link', { name: /Volgende/ }).click();
		await page.waitForURL(/voor=\d+/);
		expect(page.url()).toMatch(/\?wat=create&soort=user&aantal=1&voor=\d+$/);
		const second = await shown();
		expect(second).not.toBe(first);
		expect([first, second].every((s) => /^gebruiker aangemaakt · gebruiker #\d+$/.test(s))).toBe(true);
		expect(await page.getByRole('link', { name: /Volgende/ }).count()).toBe(0);
		await page.getByRole('link', { name: /Vorige/ }).click();
		await page.waitForURL(/na=\d+/);
		expect(page.url()).toMatch(/\?wat=create&soort=user&aantal=1&na=\d+$/);
		expect(await shown()).toBe(first);
		await page.context().close();
	});
});
