import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const SLUG = 'vleuten-versterkt';

describe.runIf(hasChromium())('fast paths: landing, "Actie loggen" everywhere, the action form in few taps', () => {
	let server: RunningServer;
	let browser: Browser;
	const accounts = {} as Record<'aanjager' | 'lead' | 'funder' | 'returning', Account>;
	const dbFile = join(TMP, `e2e-fast-paths-${process.pid}.db`);
	const base = () => `${server.url}/p/${SLUG}`;

	async function signedIn(who: Account, device: object = PHONE): Promise<BrowserContext> {
		const context = await browser.newContext(device);
		const cookie = await signIn((p, init) => fetch(server.url + p, init), who);
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		return context;
	}

	async function actionsWith(description: string): Promise<{ region: string }[]> {
		const db = createDb(dbFile);
		try {
			return await db.db
				.selectFrom('actions as a')
				.innerJoin('regions as r', 'r.id', 'a.region_id')
				.select('r.slug as region')
				.where('a.description', '=', description)
				.where('a.deleted_at', 'is', null)
				.execute();
		} finally {
			await db.close();
		}
	}

	/** Taps as a person makes them: each click and each choice from a select; typing is not a tap. */
	function tapper(page: Page) {
		let taps = 0;
		return {
			tap: async (selector: string) => (taps++, page.locator(selector).first().click()),
			choose: async (selector: string, label: string) => (taps++, page.selectOption(selector, { label })),
			type: (selector: string, text: string) => page.locator(selector).pressSequentially(text),
			get taps() {
				return taps;
			}
		};
	}

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		// a fixed day in a phase of the demo plan, so the form's date never needs a confirmation
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-12-03T10:00:00Z' });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		for (const role of ['aanjager', 'lead', 'funder'] as const)
			accounts[role] = await createAccount(db.db, { role, programme: SLUG });
		accounts.returning = await createAccount(db.db, { role: 'aanjager', programme: SLUG });
		await db.close();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it.each([
		['aanjager', `/p/${SLUG}/acties/nieuw`],
		['lead', `/p/${SLUG}/evaluaties/open`],
		['funder', `/p/${SLUG}/dashboard`]
	] as const)('should land a signed-in %s with one programme on %s', async (role, path) => {
		const context = await browser.newContext(PHONE);
		const page = await context.newPage();
		await page.goto(`${server.url}/login`);
		await page.getByLabel('E-mailadres').fill(accounts[role].email);
		await page.getByLabel('Wachtwoord').fill(accounts[role].password);
		await page.getByRole('button', { name: 'Inloggen' }).click();
		await page.waitForURL((u) => u.pathname !== '/login');
		expect(new URL(page.url()).pathname).toBe(path);
		// opening the app again (its start address) lands there too; the menu's "Programma's" still lists them
		await page.goto(server.url);
		expect(new URL(page.url()).pathname).toBe(path);
		await page.goto(`${server.url}/?lijst`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe("Programma's");
		await context.close();
	});

	it('should show "Actie loggen" as a bar at the bottom of a phone for an aanjager, not covering the page', async () => {
		const context = await signedIn(accounts.aanjager);
		const page = await context.newPage();
		await page.goto(`${base()}/dashboard`);
		const bar = page.getByRole('link', { name: '+ Actie loggen' });
		expect(await bar.isVisible()).toBe(true);
		const box = (await bar.boundingBox())!;
		expect(box.y + box.height).toBeCloseTo(740, 0);
		expect(box.width).toBe(360);
		// scrolled to the end, the page's last content ends above the bar
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		const lastBottom = await page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().bottom);
		expect(lastBottom).toBeLessThanOrEqual(box.y + 1);
		await bar.click();
		await page.waitForURL(`${base()}/acties/nieuw`);
		// not on the form itself, whose own button saves
		expect(await page.getByRole('link', { name: '+ Actie loggen' }).count()).toBe(0);
		await context.close();
	});

	it('should keep header and menu within 15 % of a 360 × 740 screen, the menu behind a button', async () => {
		const context = await signedIn(accounts.aanjager);
		const page = await context.newPage();
		await page.goto(`${base()}/acties`);
		const menu = page.getByRole('button', { name: 'Menu' });
		await menu.waitFor();
		const nav = page.getByRole('navigation', { name: 'Programma' });
		const height = async () =>
			(await page.locator('header.site').boundingBox())!.height + (await nav.boundingBox())!.height;
		expect(await height()).toBeLessThanOrEqual(0.15 * 740);
		expect(await nav.getByRole('link', { name: 'Dashboard' }).isVisible()).toBe(false);
		await menu.press('Enter');
		expect(await menu.getAttribute('aria-expanded')).toBe('true');
		await nav.getByRole('link', { name: 'Dashboard' }).click();
		await page.waitForURL(`${base()}/dashboard`);
		expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
		await context.close();
	});

	it('should show "Actie loggen" in the header on a desktop', async () => {
		const context = await signedIn(accounts.aanjager, DESKTOP);
		const page = await context.newPage();
		await page.goto(`${base()}/dashboard`);
		const button = page.locator('header.site').getByRole('link', { name: '+ Actie loggen' });
		expect(await button.isVisible()).toBe(true);
		expect(await button.evaluate((el) => getComputedStyle(el).position)).toBe('static');
		await context.close();
	});

	it('should not show "Actie loggen" to a funder', async () => {
		const context = await signedIn(accounts.funder);
		const page = await context.newPage();
		await page.goto(`${base()}/dashboard`);
		await page.getByRole('heading', { level: 1 }).waitFor();
		expect(await page.getByRole('link', { name: /Actie loggen/ }).count()).toBe(0);
		await context.close();
	});

	it('should tell choices with the same name apart by their theme', async () => {
		const context = await signedIn(accounts.aanjager);
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		const labels = await page.locator('#target option').allTextContents();
		const theater = labels.filter((l) => l.startsWith('Theater'));
		expect(theater).toHaveLength(2);
		expect(theater[0]).toMatch(/^Theater — Thema 2\. /);
		expect(theater[1]).toMatch(/^Theater — Thema 3\. /);
		await context.close();
	});

	it("should log a first action, then a returning one in at most 5 taps with the organisation's region", async () => {
		const context = await signedIn(accounts.returning);
		const page = await context.newPage();
		// first time: nothing to go on, so "Meer" is open and the region must be chosen
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		expect(await page.locator('details.more').getAttribute('open')).not.toBeNull();
		expect(await page.inputValue('#region')).toBe('');
		await page.selectOption('#target', { label: 'Theater — Thema 3. Lat omlaag' });
		await page.getByText('Bijeenkomst', { exact: true }).click();
		await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
		// choosing the organisation moved the region to the organisation's own
		expect(await page.inputValue('#region')).toBe('obs-haarzicht');
		await page.fill('#ouders', '12');
		await page.fill('#description', 'Eerste actie (fast paths)');
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.waitForURL(/\/acties\?opgeslagen=\d+/);
		expect(await actionsWith('Eerste actie (fast paths)')).toEqual([{ region: 'obs-haarzicht' }]);
		expect(await page.locator('li.new').textContent()).toContain('12 ouders');

		// returning: opening the app lands on the form with everything but the counts and the text filled in
		await page.goto(server.url);
		await page.waitForURL(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		expect(await page.inputValue('#region')).toBe('obs-haarzicht');
		expect(await page.locator('details.more').getAttribute('open')).toBeNull();
		const t = tapper(page);
		await t.tap('#ouders');
		await t.type('#ouders', '1');
		await t.tap('#description');
		await t.type('#description', 'Tweede actie (fast paths)');
		await t.tap('button.submit');
		await page.waitForURL(/\/acties\?opgeslagen=\d+/);
		expect(t.taps).toBeLessThanOrEqual(5);
		// the defaults made a valid action, stored once, in the organisation's region
		expect(await actionsWith('Tweede actie (fast paths)')).toEqual([{ region: 'obs-haarzicht' }]);
		expect(await page.locator('li.new').textContent()).toContain('1 ouder');
		expect(await page.locator('li.new').textContent()).not.toContain('1 ouders');
		await context.close();
	});

	it('should show an aanjager their own actions by default, all with the switch, and close the filter once applied', async () => {
		const context = await signedIn(accounts.returning);
		const page = await context.newPage();
		await page.goto(`${base()}/acties`);
		const cards = page.locator('ol.actions li');
		expect(await cards.count()).toBe(2);
		expect(await cards.filter({ hasNotText: 'fast paths' }).count()).toBe(0);
		await page.getByRole('link', { name: 'Alle acties' }).click();
		await page.waitForURL(/mijn=0/);
		expect(await cards.filter({ hasText: 'demo' }).count()).toBeGreaterThan(0);
		await page.locator('details.filters summary').click();
		await page.selectOption('#soort', 'bijeenkomst');
		await page.getByRole('button', { name: 'Toon' }).click();
		await page.waitForURL(/soort=bijeenkomst/);
		expect(new URL(page.url()).searchParams.get('mijn')).toBe('0');
		expect(await page.locator('details.filters').getAttribute('open')).toBeNull();
		await context.close();
	});

	it.each([
		['phone', PHONE],
		['desktop', DESKTOP]
	] as const)('should have no serious accessibility violations on the action form and list (%s)', async (_, device) => {
		const context = await signedIn(accounts.returning, device);
		const page = await context.newPage();
		for (const path of ['/acties/nieuw', '/acties']) {
			await page.goto(base() + path);
			await page.locator('.outbox[data-ready="true"]').first().waitFor({ state: 'attached' });
			expect(await seriousViolations(page)).toEqual([]);
		}
		await context.close();
	});
});
