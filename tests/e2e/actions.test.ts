import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { shortDate } from '../../src/lib/domain/dutch-format.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

describe.runIf(hasChromium())('action log on a phone in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let aanjager: Account;
	let theaterT3: string;
	const dbFile = join(TMP, `e2e-actions-${process.pid}.db`);
	const base = () => `${server.url}/p/vleuten-versterkt`;

	async function phone(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
		const context = await browser.newContext({ ...PHONE, ...options });
		const cookie = await signIn((p, init) => fetch(server.url + p, init), aanjager);
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		return context;
	}

	async function actionsWith(description: string): Promise<number> {
		const db = createDb(dbFile);
		try {
			const rows = await db.db
				.selectFrom('actions')
				.select('id')
				.where('description', '=', description)
				.where('deleted_at', 'is', null)
				.execute();
			return rows.length;
		} finally {
			await db.close();
		}
	}

	async function fill(page: Page, description: string, ouders: string) {
		await page.selectOption('#target', theaterT3);
		await page.getByText('Bijeenkomst', { exact: true }).click();
		// organisation, date, region and story wait behind "Meer"
		if ((await page.locator('details.more').getAttribute('open')) === null)
			await page.locator('details.more summary').click();
		await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
		await page.fill('#ouders', ouders);
		await page.fill('#description', description);
	}

	const noHorizontalScroll = (page: Page) =>
		page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		aanjager = await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' });
		const solution = await db.db
			.selectFrom('solutions')
			.select('id')
			.where('code', '=', 'VV-T3-S1')
			.executeTakeFirstOrThrow();
		theaterT3 = `solution:${solution.id}`;
		await db.close();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('should log a parent evening and show it in the list, the bereik indicator of its phase and the theme page', async () => {
		// the phase containing today; in the summer (no phase) the last phase that ended, and the action is dated on its end
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
		const db = createDb(dbFile);
		const phase = await db.db
			.selectFrom('phases as f')
			.innerJoin('programmes as p', 'p.id', 'f.programme_id')
			.select(['f.start_date', 'f.end_date'])
			.where('p.slug', '=', 'vleuten-versterkt')
			.where('f.start_date', '<=', today)
			.orderBy('f.start_date', 'desc')
			.executeTakeFirstOrThrow();
		await db.close();
		const date = phase.end_date < today ? phase.end_date : today;
		// the derived value of a phase is dated on the phase's end; demo actions may already count in it
		const derivedRow = (page: Page) =>
			page
				.locator('table tbody tr', { hasText: 'afgeleid' })
				.filter({ has: page.locator(`time[datetime="${phase.end_date}"]`) });
		const derivedValue = async (page: Page) => {
			await page.goto(`${base()}/indicatoren/VV-T3-S1-BEREIK?regio=obs-haarzicht`);
			return (await derivedRow(page).count()) === 0
				? 0
				: Number((await derivedRow(page).locator('td').nth(1).textContent())!.replace(/\./g, ''));
		};

		const context = await phone();
		const page = await context.newPage();
		const before = await derivedValue(page);
		const started = Date.now();
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		expect(await noHorizontalScroll(page)).toBe(true);
		await fill(page, 'Ouderavond over prestatiedruk met theater', '40');
		await page.fill('#date', `${Number(date.slice(0, 4)) - 1}-07-15`);
		expect(await page.locator('#date-hint').textContent()).toMatch(/valt in geen fase/);
		await page.fill('#date', date);
		expect(await page.locator('#date-hint').textContent()).toMatch(/^Telt mee in fase /);
		await page.fill('#quote', 'Ik herkende mezelf in de moeder op het toneel.');
		await page.getByLabel('Het verhaal mag gedeeld worden met financiers').check();
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.waitForURL(/\/acties\?opgeslagen=\d+/);
		console.log(
			`[figure] logging the action in the browser took ${Date.now() - started} ms (automated; a person needs the typing time on top)`
		);

		const card = page.locator('li.new');
		expect(await card.textContent()).toContain('40 ouders');
		expect(await card.textContent()).toContain('OBS Haarzicht');
		expect(await card.textContent()).toContain('Theater');
		expect(await noHorizontalScroll(page)).toBe(true);

		expect(await derivedValue(page)).toBe(before + 40);
		expect(await derivedRow(page).locator('td').first().textContent()).toBe(shortDate(phase.end_date));

		await page.goto(`${base()}/thema/3`);
		expect(await page.locator('.stories').textContent()).toContain('Ik herkende mezelf in de moeder op het toneel.');
		expect(await noHorizontalScroll(page)).toBe(true);
		await context.close();
	});

	it('should keep an action typed offline and send it once when the connection is back', async () => {
		const context = await phone();
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		await context.setOffline(true);
		await fill(page, 'Gesprek op het schoolplein (offline gelogd)', '3');
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.getByText('Geen verbinding', { exact: false }).waitFor();
		expect(await page.locator('.outbox .waiting').textContent()).toContain('1 actie wacht');
		expect(await actionsWith('Gesprek op het schoolplein (offline gelogd)')).toBe(0);
		// the form is ready for the next action; what was typed is kept in the outbox
		expect(await page.inputValue('#description')).toBe('');

		await context.setOffline(false);
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await page.getByText('nu opgeslagen', { exact: false }).waitFor();
		expect(await actionsWith('Gesprek op het schoolplein (offline gelogd)')).toBe(1);
		await context.close();
	});

	it('should never store an action twice when the answer was lost and it is sent again', async () => {
		const context = await phone();
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		// the server stores the action, but its answer never reaches the phone
		await page.route('**/acties/nieuw', async (route) => {
			if (route.request().method() !== 'POST') return route.continue();
			await route.fetch();
			await route.abort('internetdisconnected');
		});
		await fill(page, 'Themabijeenkomst (antwoord verloren)', '12');
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.getByText('Geen verbinding', { exact: false }).waitFor();
		expect(await actionsWith('Themabijeenkomst (antwoord verloren)')).toBe(1);

		await page.unroute('**/acties/nieuw');
		await page.getByRole('button', { name: 'Nu versturen' }).click();
		await page.getByText('nu opgeslagen', { exact: false }).waitFor();
		expect(await actionsWith('Themabijeenkomst (antwoord verloren)')).toBe(1);
		await context.close();
	});

	it('should ask the reach of the groups the chosen solution counts, the others behind a summary', async () => {
		const context = await phone();
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		// Theater in theme 3 counts parents only: the other groups wait, closed, and are still there
		await page.selectOption('#target', theaterT3);
		expect(await page.isVisible('#ouders')).toBe(true);
		expect(await page.isVisible('#jongeren')).toBe(false);
		expect(await page.locator('details.other-groups').getAttribute('open')).toBeNull();
		await page.locator('details.other-groups summary').click();
		await page.fill('#professionals', '2');
		// Theater in theme 2 is split by doelgroep: every group is asked, the typed count kept
		await page.selectOption('#target', { label: 'Theater — Thema 2. Zelfbeeld en eigen behoeftes' });
		for (const g of ['#jongeren', '#ouders', '#professionals']) expect(await page.isVisible(g), g).toBe(true);
		expect(await page.locator('details.other-groups').count()).toBe(0);
		expect(await page.inputValue('#professionals')).toBe('2');
		for (const g of ['jongeren', 'ouders', 'professionals'])
			expect(await page.locator(`label[for="${g}"]`).textContent()).toBeTruthy();
		await context.close();
	});

	it('should work without JavaScript, with a message beside each wrong field', async () => {
		const context = await phone({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('form.action-form').evaluate((f) => f.setAttribute('novalidate', ''));
		await fill(page, 'Les zonder JavaScript', '-5');
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.waitForLoadState();
		expect(await page.getAttribute('#ouders', 'aria-invalid')).toBe('true');
		expect(await page.locator('#ouders-error').textContent()).toContain('negatief');
		expect(await page.inputValue('#description')).toBe('Les zonder JavaScript');
		await page.fill('#ouders', '5');
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.waitForURL(/\/acties\?opgeslagen=\d+/);
		expect(await page.locator('li.new').textContent()).toContain('5 ouders');
		expect(await actionsWith('Les zonder JavaScript')).toBe(1);
		await context.close();
	});

	it('should filter the list through the URL', async () => {
		const context = await phone();
		const page = await context.newPage();
		// the demo actions lie everywhere; this aanjager logged only at OBS Haarzicht
		await page.goto(`${base()}/acties?regio=amadeus-lyceum&auteur=${aanjager.id}`);
		expect(await page.locator('ol.actions li').count()).toBe(0);
		await page.goto(`${base()}/acties?regio=obs-haarzicht&soort=bijeenkomst&auteur=${aanjager.id}`);
		expect(await page.locator('ol.actions li').count()).toBeGreaterThanOrEqual(2);
		// "Mijn acties" is on by default for an aanjager: the demo actions (logged by nobody) need "Alle acties"
		const demo = await page.goto(`${base()}/acties?regio=amadeus-lyceum&mijn=0`);
		expect(demo?.status()).toBe(200);
		const listed = page.locator('ol.actions li');
		expect(await listed.count()).toBeGreaterThan(0);
		expect(await listed.filter({ hasNotText: 'Amadeus Lyceum' }).count()).toBe(0);
		expect(await listed.filter({ hasNotText: 'demo' }).count()).toBe(0); // every demo action says so
		// the filter panel closes once applied; its summary says a filter is active
		expect(await page.locator('details.filters').getAttribute('open')).toBeNull();
		expect(await page.locator('details.filters summary').textContent()).toContain('(actief)');
		await context.close();
	});
});
