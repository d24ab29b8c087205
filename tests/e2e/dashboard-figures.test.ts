import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Figures a funder can trust, as rendered: an install whose demo data ends in June 2025, opened on
 * 10 December 2026 (Vleuten: nothing fresh), and ZKL with December values at three of its four schools, a
 * verouderd one at the fourth, a national baseline, summer actions and an October evaluation.
 */
describe.runIf(hasChromium())('dashboard and report figures in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let context: BrowserContext;
	const dbFile = join(TMP, `e2e-figures-${process.pid}.db`);
	const vleuten = '/p/vleuten-versterkt';
	const zkl = '/p/zkl-onder-druk';

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared, { demo: true, demoAsOf: '2025-06-15' });
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-12-10T10:00:00Z' });

		// written after the start, which created today's school year 2026-2027
		const { db } = createDb(dbFile);
		const zklId = (
			await db.selectFrom('programmes').select('id').where('slug', '=', 'zkl-onder-druk').executeTakeFirstOrThrow()
		).id;
		const region = async (slug: string) =>
			(await db.selectFrom('regions').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
		const indicator = await db
			.selectFrom('indicators')
			.select('id')
			.where('code', '=', 'ZKL-T1-EIGEN-KEUZE')
			.executeTakeFirstOrThrow();
		await db.updateTable('indicators').set({ baseline_region: 'nederland' }).where('id', '=', indicator.id).execute();
		const value = async (slug: string, date: string, v: number, n: number | null) => ({
			indicator_id: indicator.id,
			region_id: await region(slug),
			date,
			value: v,
			n,
			source: 'Klassenpeiling december',
			status: 'approved' as const,
			demo: 0
		});
		await db
			.insertInto('measurements')
			.values([
				await value('lyceum-sancta-maria', '2026-12-03', 50, 200),
				await value('eerste-christelijk-lyceum', '2026-12-03', 44, 212),
				await value('obs-bos-en-vaart', '2026-12-04', 60, null),
				await value('obs-de-kring', '2025-06-20', 70, 90)
			])
			.execute();
		const step = await db
			.selectFrom('next_steps')
			.select('id')
			.where('code', '=', 'ZKL-T1-VS1')
			.executeTakeFirstOrThrow();
		const school = await region('lyceum-sancta-maria');
		await db
			.insertInto('actions')
			.values(
				[30, 10].map((jongeren, k) => ({
					programme_id: zklId,
					date: '2026-08-2' + k,
					next_step_id: step.id,
					solution_id: null,
					kind: 'bijeenkomst' as const,
					region_id: school,
					reached_jongeren: jongeren,
					reached_ouders: 0,
					reached_professionals: 0,
					description: `Zomeractie ${k}`,
					quote: null,
					quote_public: 0,
					demo: 0
				}))
			)
			.execute();
		const mentaleGym = await db
			.selectFrom('solutions')
			.select('id')
			.where('code', '=', 'ZKL-T1-S1')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('actions')
			.values({
				programme_id: zklId,
				date: '2026-10-14',
				next_step_id: step.id,
				solution_id: mentaleGym.id,
				kind: 'les',
				region_id: school,
				reached_jongeren: 25,
				reached_ouders: 0,
				reached_professionals: 0,
				description: 'Mentale workout',
				quote: null,
				quote_public: 0,
				demo: 0
			})
			.execute();
		const october = await db
			.selectFrom('phases')
			.innerJoin('school_years', 'school_years.id', 'phases.school_year_id')
			.select('phases.id')
			.where('phases.programme_id', '=', zklId)
			.where('school_years.name', '=', '2026-2027')
			.where('phases.name', '=', 'Oktober')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('evaluations')
			.values({
				next_step_id: step.id,
				phase_id: october.id,
				state: 'final',
				status: 'op_koers',
				decision: 'voortzetten',
				story: 'Goed op weg',
				done: 'Lessen gegeven',
				learnings: '',
				snapshot: null,
				finalised_at: null,
				finalised_by: null,
				created_by: null
			})
			.execute();
		const admin = await createAccount(db, 'admin');
		await db.destroy();
		const cookie = await signIn((p, init) => fetch(server.url + p, init), admin);
		browser = await launchBrowser();
		context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	const text = async (page: Page, selector: string) =>
		((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

	it('should say in one sentence that December 2026 has nothing fresh, and link to the last period with data', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${vleuten}/dashboard`);
		expect(await text(page, '[data-selection-period]')).toBe('December 2026-2027');
		expect(await page.locator('[data-no-fresh-data]').count()).toBe(1);
		expect(await text(page, '[data-no-fresh-data]')).toContain(
			'In december 2026 is nog niets gemeten of gelogd; de laatste gegevens zijn van juni 2025.'
		);
		// no blank chart frames, no inflated percentages: every card says it has no recent data
		expect(await page.locator('canvas').count()).toBe(0);
		const cards = page.locator('article.theme');
		expect(await cards.count()).toBe(5);
		for (const fresh of await cards.locator('[data-fresh]').allTextContents())
			expect(fresh).toMatch(/^0 van \d+ indicatoren? met recente gegevens$/);
		expect(new Set(await cards.locator('[data-progress]').allTextContents())).toEqual(new Set(['geen data']));
		// the old values are still there, dated and marked, never counted
		const stale = await cards.locator('[data-stale]').allTextContents();
		expect(stale.length).toBeGreaterThan(0);
		for (const s of stale)
			expect(s).toMatch(/verouderd \(gemeten \d{1,2} (jan|feb|mrt|apr|mei|jun) 2025\).* — telt niet mee/);

		await page.locator('[data-last-period]').click();
		await page.waitForURL(/fase=\d+/);
		expect(await text(page, '[data-selection-period]')).toBe('Januari–juni 2024-2025');
		expect(await page.locator('[data-no-fresh-data]').count()).toBe(0);
		await page.locator('canvas[data-ready="true"]').first().waitFor();
		await page.close();
	});

	it('should date every figure and say what it covers, which schools it leaves out and why', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${zkl}/dashboard?regio=haarlem&indicator=ZKL-T1-EIGEN-KEUZE`);
		const row = page.locator('article[data-theme="ZKL-T1"] li[data-indicator="ZKL-T1-EIGEN-KEUZE"]');
		const figure = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
		// (50 × 200 + 44 × 212) / 412
		expect(figure).toContain('46,9%');
		expect(await row.locator('[data-figure-word]').textContent()).toBe('laatste meting');
		expect(await row.locator('[data-figure-date]').textContent()).toBe('3 dec 2026');
		expect(figure).toContain('n = 412 · bron: Klassenpeiling december');
		expect(await row.locator('[data-coverage]').textContent()).toBe('gewogen gemiddelde van 2 van 4 scholen, n = 412');
		expect(await row.locator('[data-left-out]').textContent()).toBe(
			'niet meegeteld: OBS Bos en Vaart (geen n), OBS De Kring (verouderd)'
		);
		// a per-period indicator: the school year's running total, with the phases it adds up
		const reach = page.locator('article[data-theme="ZKL-T1"] li[data-indicator="ZKL-T1-S1-BEREIK"]');
		expect(await reach.locator('[data-figure-word]').textContent()).toBe('opgeteld dit schooljaar');
		expect(await reach.locator('[data-figure-phases]').textContent()).toBe('1 fase: Oktober');
		expect(await reach.locator('[data-coverage]').textContent()).toBe('afgeleid uit het actielog van Haarlem');
		expect((await reach.textContent())?.replace(/\s+/g, ' ')).toContain(': 25 ');
		await page.close();
	});

	it('should label a national baseline as not comparable and say the theme leaves it out', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${zkl}/dashboard?regio=haarlem`);
		const card = page.locator('article[data-theme="ZKL-T1"]');
		expect(await card.locator('li[data-indicator="ZKL-T1-EIGEN-KEUZE"] [data-comparability]').textContent()).toContain(
			'landelijke nulmeting — niet vergelijkbaar'
		);
		expect(await text(page, 'article[data-theme="ZKL-T1"] [data-not-comparable]')).toBe(
			'1 indicator met een nulmeting van een ander gebied telt niet mee in de voortgang van het thema.'
		);
		expect(await text(page, 'article[data-theme="ZKL-T1"] [data-evaluation]')).toContain('(Oktober 2026-2027)');
		await page.close();
	});

	it('should show the summer actions as their own bucket, on the theme and for the programme', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${zkl}/dashboard`);
		const bucket = 'Buiten de fasen (zomer): 2 acties, 40 bereikt — tellen in geen fase mee';
		expect(await text(page, 'article[data-theme="ZKL-T1"] [data-outside]')).toBe(bucket);
		expect(await text(page, '[data-outside-programme]')).toBe(`${bucket}.`);
		// the other themes had no summer: no empty bucket
		expect(await page.locator('article.theme [data-outside]').count()).toBe(1);
		await page.close();
	});

	it("should mark a verouderd school in words in the region chart's table and caption", async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${zkl}/dashboard?regio=haarlem&indicator=ZKL-T1-EIGEN-KEUZE`);
		await page.locator('canvas[data-ready="true"]').first().waitFor();
		const table = page
			.locator('details', { has: page.locator('summary', { hasText: /^Tabel bij deze grafiek/ }) })
			.nth(1);
		const kring = table.locator('tbody tr', { hasText: 'OBS De Kring' });
		expect(await kring.locator('[data-measured]').textContent()).toContain('verouderd (gemeten 20 jun 2025)');
		const maria = table.locator('tbody tr', { hasText: 'Lyceum Sancta Maria' });
		expect(await maria.locator('[data-measured]').textContent()).toBe('3 dec 2026');
		expect(await text(page, 'figure.chart figcaption')).toBeTruthy();
		const captions = (await page.locator('figure.chart figcaption').allTextContents()).join(' ');
		expect(captions).toContain('1 regio alleen met een verouderde waarde (open grijze balk, telt niet mee)');
		await page.close();
	});

	it('should show the same words on the report page', async () => {
		const page = await context.newPage();
		await page.goto(`${server.url}${zkl}/rapport?regio=haarlem`);
		const section = page.locator('section[data-theme="ZKL-T1"]');
		const row = section.locator('tbody tr', { hasText: 'Keuzes die bij je passen' });
		expect(await row.locator('[data-coverage]').textContent()).toBe('gewogen gemiddelde van 2 van 4 scholen, n = 412');
		expect(await row.locator('[data-figure-date]').textContent()).toBe('3 dec 2026');
		expect(await row.locator('[data-comparability]').textContent()).toBe('landelijke nulmeting — niet vergelijkbaar');
		expect(await section.locator('[data-fresh]').textContent()).toMatch(
			/^\d+ van \d+ indicatoren met recente gegevens$/
		);
		expect(await section.locator('[data-not-comparable]').count()).toBe(1);

		await page.goto(`${server.url}${vleuten}/rapport`);
		expect(await text(page, '[data-no-fresh-data]')).toBe(
			'In december 2026 is nog niets gemeten of gelogd; de laatste gegevens zijn van juni 2025.'
		);
		const stale = await page.locator('[data-stale]').allTextContents();
		expect(stale.length).toBeGreaterThan(0);
		await page.close();
	});

	it('should fit a phone screen with the new words', async () => {
		const phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
		await phone.addCookies(await context.cookies());
		const page = await phone.newPage();
		for (const path of [`${zkl}/dashboard?regio=haarlem`, `${zkl}/rapport?regio=haarlem`, `${vleuten}/dashboard`]) {
			await page.goto(server.url + path);
			await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
			expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
		}
		await phone.close();
	});
});
