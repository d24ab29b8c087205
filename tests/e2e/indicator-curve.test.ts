import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/lib/components/chart-palette.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The indicator page's curve as a funder sees it on 3 December 2026: a key indicator (stress, lower is
 * better, 50 → 45 by the end of 2027) with three values in Vleuten-De Meern and a period target, and a next
 * step's indicator with a shareable and an internal quote and a final evaluation.
 */
describe.runIf(hasChromium())('indicator curve in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let funder: string;
	const dbFile = join(TMP, `e2e-curve-${process.pid}.db`);
	const base = '/p/vleuten-versterkt/indicatoren';
	const KEY = 'VV-AMB-1-STRESS';
	const STEP = 'VV-T1-VS1-STAP';
	const STALE = 'VV-AMB-1-STRESS-OORDEEL';

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared);
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-12-03T10:00:00Z' });

		// written after the start, which created today's school year 2026-2027
		const { db } = createDb(dbFile);
		const programme = await db
			.selectFrom('programmes')
			.select('id')
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		const region = await db
			.selectFrom('regions')
			.select('id')
			.where('slug', '=', 'vleuten-de-meern')
			.executeTakeFirstOrThrow();
		const key = await db
			.updateTable('indicators')
			.set({ targets: JSON.stringify([{ date: '2025-12-31', value: 48.5, demo: true }]) })
			.where('code', '=', KEY)
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('measurements')
			.values(
				[
					['2024-10-01', 49],
					['2025-10-01', 48],
					['2026-10-01', 46.5]
				].map(([date, value]) => ({
					indicator_id: key.id,
					region_id: region.id,
					date: String(date),
					value: Number(value),
					n: 300,
					source: 'Jeugdmonitor Utrecht',
					status: 'approved' as const,
					demo: 0
				}))
			)
			.execute();
		// every two years: valid 27 months, so verouderd by now
		const lapsed = await db.selectFrom('indicators').select('id').where('code', '=', STALE).executeTakeFirstOrThrow();
		await db
			.insertInto('measurements')
			.values({
				indicator_id: lapsed.id,
				region_id: region.id,
				date: '2024-03-01',
				value: 14,
				n: 250,
				source: 'Wijkdata',
				status: 'approved',
				demo: 0
			})
			.execute();
		const step = await db
			.selectFrom('next_steps')
			.select('id')
			.where('code', '=', 'VV-T1-VS1')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('actions')
			.values(
				[
					['Ik durf nu te zeggen dat het even te veel is', 1],
					['Interne notitie over een lastige club', 0]
				].map(([quote, shared], k) => ({
					programme_id: programme.id,
					date: `2026-11-0${k + 2}`,
					next_step_id: step.id,
					solution_id: null,
					kind: 'sessie' as const,
					region_id: region.id,
					reached_jongeren: 12,
					reached_ouders: 0,
					reached_professionals: 0,
					description: 'Sessie bij de club',
					quote: String(quote),
					quote_public: Number(shared),
					demo: 0
				}))
			)
			.execute();
		const october = await db
			.selectFrom('phases')
			.innerJoin('school_years', 'school_years.id', 'phases.school_year_id')
			.select('phases.id')
			.where('phases.programme_id', '=', programme.id)
			.where('school_years.name', '=', '2026-2027')
			.where('phases.name', '=', 'Oktober')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('evaluations')
			.values({
				next_step_id: step.id,
				phase_id: october.id,
				state: 'final',
				status: 'aandacht_nodig',
				decision: 'bijstellen',
				story: 'Clubs doen mee',
				done: 'Stappenplan gestart',
				learnings: 'Korte werkbladen werken beter',
				snapshot: null,
				finalised_at: null,
				finalised_by: null,
				created_by: null
			})
			.execute();
		const account = await createAccount(db, { role: 'funder', programme: 'vleuten-versterkt' });
		await db.destroy();
		funder = await signIn((p, init) => fetch(server.url + p, init), account);
		browser = await launchBrowser();
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path: string, width: number): Promise<{ page: Page; context: BrowserContext }> {
		const context = await browser.newContext({ viewport: { width, height: 900 } });
		const [name, value] = funder.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		await page.goto(`${server.url}${path}`);
		return { page, context };
	}
	const text = async (page: Page, selector: string) =>
		((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

	it('should draw baseline, target, expected path and forecast, and say them in words with status and trend', async () => {
		const { page, context } = await open(`${base}/${KEY}?regio=vleuten-de-meern`, 1280);
		const canvas = page.locator('canvas[data-ready="true"]');
		await canvas.waitFor();
		expect(await page.locator('figure[data-series]').getAttribute('data-series')).toBe(
			'Cijfer|Nulmeting|Streefwaarde|Verwachte lijn|prognose bij gelijkblijvende trend'
		);
		// the canvas holds a drawing, not an empty frame
		const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
			const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
			let n = 0;
			for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
			return n;
		});
		expect(inked).toBeGreaterThan(2000);
		const caption = await text(page, 'figure[data-series] figcaption');
		expect(caption).toContain('3 waarden, de laatste op 1 okt 2026: 46,5%');
		expect(caption).toContain('nulmeting 50% (31 dec 2023)');
		expect(caption).toContain('streefwaarde 45% (31 dec 2027)');
		expect(caption).toContain('verwachte lijn: van 50% (31 dec 2023) via 48,5% (31 dec 2025) naar 45% (31 dec 2027)');
		expect(caption).toMatch(
			/prognose bij gelijkblijvende trend: 4\d(,\d)?% op 31 dec 2027 \(lijn door de laatste 3 waarden\)/
		);
		// 46,5 is 70% of the way from 50 to 45; on 1 Oct 2026 the path through 48,5 expects 47,2 (56%)
		const onTrack = await text(page, '.on-track');
		expect(onTrack).toContain('Status ✓ op koers');
		expect(onTrack).toContain('Trend ↗ beter (48% op 1 okt 2025 → 46,5% op 1 okt 2026)');
		expect(onTrack).toContain('Voortgang 70%');
		expect(await text(page, 'dl')).toContain('Tussendoelen 48,5% op 31 dec 2025 demo');
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});

	it('should fit a phone without sideways scrolling and without serious accessibility violations', async () => {
		const { page, context } = await open(`${base}/${KEY}?regio=vleuten-de-meern`, 360);
		await page.locator('canvas[data-ready="true"]').waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});

	it('should draw a value that no longer counts hollow and grey, and say so', async () => {
		const { page, context } = await open(`${base}/${STALE}?regio=vleuten-de-meern`, 1280);
		await page.emulateMedia({ reducedMotion: 'reduce' }); // no animation: a drawn chart is its final picture
		await page.reload();
		await page.locator('canvas[data-ready="true"]').waitFor();
		const caption = await text(page, 'figure[data-series] figcaption');
		expect(caption).toContain('1 waarde, de laatste op 1 mrt 2024: 14% (verouderd)');
		expect(caption).toContain('1 waarde is verouderd');
		expect(await text(page, '.on-track')).toContain('Status ? geen recente gegevens');
		const grey = await page.locator('canvas').evaluate((c: HTMLCanvasElement, hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
			const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
			let hits = 0;
			for (let i = 0; i < data.length; i += 4)
				if (data[i + 3] > 200 && Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30)
					hits++;
			return hits;
		}, PALETTE.stale);
		expect(grey).toBeGreaterThan(20);
		await context.close();
	});

	it('should tell the story behind the curve with shareable quotes only, and the evaluation learnings', async () => {
		const { page, context } = await open(`${base}/${STEP}?regio=vleuten-de-meern`, 1280);
		const story = await text(page, 'section.curve-story');
		expect(story).toContain('Ik durf nu te zeggen dat het even te veel is');
		expect(story).not.toContain('Interne notitie');
		expect(story).toContain('Oktober 2026-2027');
		expect(story).toContain('Geleerd: Korte werkbladen werken beter');
		expect(story).toContain('Besluit: Bijstellen');
		expect(await page.locator('section.curve-story .privacy').count()).toBe(1);
		expect(await seriousViolations(page)).toEqual([]);
		await context.close();
	});
});
