import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { PALETTE } from '../../src/lib/components/chart-palette.ts';
import { outsidePhasesNotice } from '../../src/lib/domain/outside-phases.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const SLUG = 'vleuten-versterkt';
/** the server's today: in phase November of 2026-2027, so 20 July 2026 and 10 August 2026 lie in no phase */
const NOW = '2026-11-15T10:00:00Z';
/** a yearly survey indicator: a value is valid for 15 months */
const YEARLY = 'VV-AMB-1-STRESS';
/** a count per phase, typed in (the plans' bereik indicators are derived from actions): made so in beforeAll */
const PER_PHASE = 'VV-MR-1-TRAJECTEN';
const STALE_GREY = PALETTE.stale;

/** Pixels of one colour on the chart. */
const pixelsOf = (page: Page, hex: string) =>
	page.locator('canvas').evaluate((c: HTMLCanvasElement, hex: string) => {
		const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
		const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
		let hits = 0;
		for (let i = 0; i < data.length; i += 4)
			if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 8)
				hits++;
		return hits;
	}, hex);

describe.runIf(hasChromium())('dated figures and summer dates in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let aanjager: Account;
	let funder: Account;
	let region: { id: number; slug: string; name: string };
	let theaterT3: string;
	const dbFile = join(TMP, `e2e-dated-figures-${process.pid}.db`);
	const base = () => `${server.url}/p/${SLUG}`;

	async function withDb<T>(f: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
		const db = createDb(dbFile);
		try {
			return await f(db.db);
		} finally {
			await db.close();
		}
	}

	async function signedIn(account: Account, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
		const context = await browser.newContext(options);
		const cookie = await signIn((p, init) => fetch(server.url + p, init), account);
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		// a missing element fails the step that waits for it, not the whole test at its time limit
		context.setDefaultTimeout(10_000);
		return context;
	}

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile }, { now: NOW });
		browser = await launchBrowser();
		await withDb(async (db) => {
			aanjager = await createAccount(db, { role: 'aanjager', programme: SLUG });
			funder = await createAccount(db, { role: 'funder', programme: SLUG });
			const programme = await db
				.selectFrom('programmes')
				.selectAll()
				.where('slug', '=', SLUG)
				.executeTakeFirstOrThrow();
			const regions = await db.selectFrom('regions').selectAll().where('programme_id', '=', programme.id).execute();
			region = regions.find((r) => regions.filter((c) => c.parent_id === r.id).length > 1)!;
			const indicator = await db
				.selectFrom('indicators')
				.select('id')
				.where('code', '=', YEARLY)
				.where('programme_id', '=', programme.id)
				.executeTakeFirstOrThrow();
			await db
				.updateTable('indicators')
				.set({
					frequency: 'yearly',
					valid_months: null,
					direction: 'lower_is_better',
					baseline_value: 40,
					target_value: 45, // on the wrong side: a planning error the page says
					baseline_region: 'nederland',
					comparable: 0
				})
				.where('id', '=', indicator.id)
				.execute();
			await db.deleteFrom('measurements').where('indicator_id', '=', indicator.id).execute();
			await db
				.updateTable('indicators')
				.set({ frequency: 'per_phase', aggregation: 'sum', derived: null })
				.where('code', '=', PER_PHASE)
				.where('programme_id', '=', programme.id)
				.execute();
			const row = (date: string, value: number) => ({
				indicator_id: indicator.id,
				region_id: region.id,
				date,
				value,
				text: null,
				n: 120,
				source: 'Jeugdmonitor',
				note: null,
				status: 'approved' as const,
				review_comment: null,
				demo: 0,
				created_by: null,
				reviewed_by: null,
				reviewed_at: null,
				version: 1,
				created_at: `${date}T10:00:00Z`,
				updated_at: `${date}T10:00:00Z`
			});
			await db
				.insertInto('measurements')
				.values([row('2024-10-01', 39), row('2025-06-30', 38), row('2026-10-03', 35)])
				.execute();
			const solution = await db
				.selectFrom('solutions')
				.select('id')
				.where('code', '=', 'VV-T3-S1')
				.executeTakeFirstOrThrow();
			theaterT3 = `solution:${solution.id}`;
		});
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	describe('the indicator page', () => {
		it('should mark stale values verouderd in the table, with Dutch dates, and draw each value as it stood when it counted', async () => {
			const context = await signedIn(funder);
			const page = await context.newPage();
			await page.emulateMedia({ reducedMotion: 'reduce' });
			await page.goto(`${base()}/indicatoren/${YEARLY}?regio=${region.slug}`);
			await page.locator('canvas[data-ready="true"]').waitFor();
			const headers = await page.locator('table thead th').allTextContents();
			expect(headers.slice(0, 3)).toEqual(['Datum', 'Laatste meting', 'n']);
			const rows = await page
				.locator('table tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
			const dates = await page
				.locator('table tbody tr')
				.evaluateAll((trs) =>
					trs.map((tr) => [tr.querySelector('time')!.textContent, tr.querySelector('.badge.stale')?.textContent ?? ''])
				);
			expect(dates).toEqual([
				['1 okt 2024', '○ verouderd'],
				['30 jun 2025', '○ verouderd'],
				['3 okt 2026', '']
			]);
			expect(rows.map((r) => r[2])).toEqual(['120', '120', '120']);
			expect(rows.every((r) => r.join(' ').includes('Jeugdmonitor'))).toBe(true);
			const caption = await page.locator('figcaption').textContent();
			expect(caption).toContain('3 waarden, de laatste op 3 okt 2026: 35%');
			// on the curve a value is hollow only when it was verouderd at the moment it is shown for (the end of a
			// phase, or the period's): here each still counted there (indicator-curve.test.ts draws a hollow one)
			expect(caption).not.toMatch(/(is|zijn) verouderd/);
			expect(await pixelsOf(page, STALE_GREY)).toBe(0);
			await context.close();
		});

		it("should name the baseline's area, label a national baseline not comparable and show the planning warning", async () => {
			const context = await signedIn(funder);
			const page = await context.newPage();
			await page.goto(`${base()}/indicatoren/${YEARLY}?regio=${region.slug}`);
			const baseline = await page.locator('dt:text-is("Nulmeting") + dd').textContent();
			expect(baseline).toContain('gebied: Nederland (landelijk)');
			expect(baseline).toContain('landelijke nulmeting — niet vergelijkbaar');
			expect(await page.locator('.warning').textContent()).toContain(
				'De streefwaarde (45) ligt boven de nulmeting (40), terwijl lager beter is'
			);
			await context.close();
		});

		it('should draw no grey mark when no value is stale', async () => {
			const context = await signedIn(funder);
			const page = await context.newPage();
			await page.emulateMedia({ reducedMotion: 'reduce' });
			await withDb((db) =>
				db.deleteFrom('measurements').where('date', '<', '2026-01-01').where('n', '=', 120).execute()
			);
			await page.goto(`${base()}/indicatoren/${YEARLY}?regio=${region.slug}`);
			await page.locator('canvas[data-ready="true"]').waitFor();
			expect(await page.locator('table tbody tr').count()).toBe(1);
			expect(await page.locator('.badge.stale').count()).toBe(0);
			expect(await page.locator('figcaption').textContent()).not.toMatch(/(is|zijn) verouderd/);
			expect(await pixelsOf(page, STALE_GREY)).toBe(0);
			await context.close();
		});
	});

	describe('a date in no phase, without JavaScript', () => {
		const actionsWith = (description: string) =>
			withDb((db) =>
				db
					.selectFrom('actions')
					.select(['id', 'date'])
					.where('description', '=', description)
					.where('deleted_at', 'is', null)
					.execute()
			);
		const notice = (page: Page) => page.locator('p.outside-phases').textContent();

		it('should log and edit a summer action only after the second Opslaan', async () => {
			const context = await signedIn(aanjager, { javaScriptEnabled: false });
			const page = await context.newPage();
			await page.goto(`${base()}/acties/nieuw`);
			await page.selectOption('#target', theaterT3);
			await page.getByText('Bijeenkomst', { exact: true }).click();
			// organisation and date wait behind "Meer"
			if ((await page.locator('details.more').getAttribute('open')) === null)
				await page.locator('details.more summary').click();
			await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
			// without JavaScript the region does not follow the organisation; this account has no last one
			await page.selectOption('#region', 'obs-haarzicht');
			await page.fill('#date', '2026-07-20');
			await page.fill('#ouders', '7');
			await page.fill('#description', 'Zomeravond voor ouders');
			await page.getByRole('button', { name: 'Actie opslaan' }).click();
			await page.waitForLoadState();
			expect(await notice(page)).toBe(outsidePhasesNotice('actie'));
			expect(await page.inputValue('#description')).toBe('Zomeravond voor ouders');
			expect(await page.inputValue('#date')).toBe('2026-07-20');
			expect(await actionsWith('Zomeravond voor ouders')).toEqual([]);

			await page.getByRole('button', { name: 'Actie opslaan' }).click();
			await page.waitForURL(/\/acties\?opgeslagen=\d+/);
			const [saved] = await actionsWith('Zomeravond voor ouders');
			expect(saved.date).toBe('2026-07-20');
			expect(await actionsWith('Zomeravond voor ouders')).toHaveLength(1);

			// editing: a new summer date asks again; an unchanged one saves at once
			await page.goto(`${base()}/acties/${saved.id}`);
			if ((await page.locator('details.more').getAttribute('open')) === null)
				await page.locator('details.more summary').click();
			await page.fill('#date', '2026-08-10');
			await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
			await page.waitForLoadState();
			expect(await notice(page)).toBe(outsidePhasesNotice('actie'));
			expect((await actionsWith('Zomeravond voor ouders'))[0].date).toBe('2026-07-20');
			await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
			await page.waitForURL(/\/acties\?opgeslagen=\d+/);
			expect((await actionsWith('Zomeravond voor ouders'))[0].date).toBe('2026-08-10');
			await page.goto(`${base()}/acties/${saved.id}`);
			await page.fill('#ouders', '8');
			await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
			await page.waitForURL(/\/acties\?opgeslagen=\d+/);
			await context.close();
		});

		it('should save a summer action at once with JavaScript, whose date hint has warned already', async () => {
			const context = await signedIn(aanjager);
			const page = await context.newPage();
			await page.goto(`${base()}/acties/nieuw`);
			await page.locator('#target').waitFor();
			await page.selectOption('#target', theaterT3);
			await page.getByText('Bijeenkomst', { exact: true }).click();
			// organisation and date wait behind "Meer"
			if ((await page.locator('details.more').getAttribute('open')) === null)
				await page.locator('details.more summary').click();
			await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
			// without JavaScript the region does not follow the organisation; this account has no last one
			await page.selectOption('#region', 'obs-haarzicht');
			await page.fill('#date', '2026-07-21');
			await page.fill('#ouders', '3');
			await page.fill('#description', 'Zomerles met JavaScript');
			await page.getByText('deze datum valt in geen fase', { exact: false }).waitFor();
			await page.getByRole('button', { name: 'Actie opslaan' }).click();
			await page.waitForURL(/\/acties\?opgeslagen=\d+/);
			expect((await actionsWith('Zomerles met JavaScript')).map((a) => a.date)).toEqual(['2026-07-21']);
			await context.close();
		});

		it('should save an action dated in a phase at the first Opslaan', async () => {
			const context = await signedIn(aanjager, { javaScriptEnabled: false });
			const page = await context.newPage();
			await page.goto(`${base()}/acties/nieuw`);
			await page.selectOption('#target', theaterT3);
			await page.getByText('Bijeenkomst', { exact: true }).click();
			// organisation and date wait behind "Meer"
			if ((await page.locator('details.more').getAttribute('open')) === null)
				await page.locator('details.more summary').click();
			await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
			// without JavaScript the region does not follow the organisation; this account has no last one
			await page.selectOption('#region', 'obs-haarzicht');
			await page.fill('#date', '2026-10-05');
			await page.fill('#ouders', '4');
			await page.fill('#description', 'Oktoberavond voor ouders');
			await page.getByRole('button', { name: 'Actie opslaan' }).click();
			await page.waitForURL(/\/acties\?opgeslagen=\d+/);
			expect(await actionsWith('Oktoberavond voor ouders')).toHaveLength(1);
			await context.close();
		});

		it('should save a summer measurement of a per-period indicator, new and edited, only after the second Opslaan', async () => {
			const measured = (source: string) =>
				withDb((db) => db.selectFrom('measurements').select(['id', 'date']).where('source', '=', source).execute());
			const context = await signedIn(aanjager, { javaScriptEnabled: false });
			const page = await context.newPage();
			await page.goto(`${base()}/metingen/nieuw?indicator=${PER_PHASE}&regio=${region.slug}`);
			await page.fill('#date', '2026-07-20');
			await page.fill('#value', '12');
			await page.fill('#source', 'Zomerschool');
			await page.getByRole('button', { name: 'Opslaan' }).click();
			await page.waitForLoadState();
			expect(await notice(page)).toBe(outsidePhasesNotice('meting'));
			expect(await page.inputValue('#value')).toBe('12');
			expect(await measured('Zomerschool')).toEqual([]);
			await page.getByRole('button', { name: 'Opslaan' }).click();
			await page.waitForURL(/\/indicatoren\/.*opgeslagen=\d+/);
			const [saved] = await measured('Zomerschool');
			expect(saved.date).toBe('2026-07-20');

			await page.goto(`${base()}/metingen/${saved.id}`);
			await page.fill('#date', '2026-08-10');
			await page.getByRole('button', { name: /Opslaan/ }).click();
			await page.waitForLoadState();
			expect(await notice(page)).toBe(outsidePhasesNotice('meting'));
			expect((await measured('Zomerschool'))[0].date).toBe('2026-07-20');
			await page.getByRole('button', { name: /Opslaan/ }).click();
			await page.waitForURL(/\/metingen\?opgeslagen=\d+/);
			expect((await measured('Zomerschool'))[0].date).toBe('2026-08-10');
			await context.close();
		});
	});
});
