import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { systemMapOf } from '../../src/lib/server/services/system-map.service.ts';
import { statusText } from '../../src/lib/domain/on-track.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The system map ("De som der delen") as a funder of Vleuten Versterkt sees it, on 20 June 2025 with the
 * demo data of that school year: every next step in the row of its level, its status in words, a table with
 * the same content, and no serious accessibility violation at desktop and phone width.
 */
const TODAY = '2025-06-20';
const LEVEL_OF: Record<string, string> = {
	'VV-T1-VS1': '1',
	'VV-T2-VS1': '2',
	'VV-T3-VS1': '1',
	'VV-T4-VS1': '2',
	'VV-T5-VS1': '3'
};

describe.runIf(hasChromium())('system map in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let cookie: string;
	let leadCookie: string;
	let expected: Record<string, string>;
	const dbFile = join(TMP, `e2e-system-map-${process.pid}.db`);
	const vleuten = '/p/vleuten-versterkt';

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared, { demo: true, demoAsOf: TODAY });
		// the statuses the pages must show: the domain's own, read from the same database on the same day
		const programme = (await findProgramme(prepared.db, 'vleuten-versterkt'))!;
		const loaded = await loadProgress({ db: prepared.db, programme }, { today: TODAY });
		if (!loaded.ok) throw new Error(loaded.refusal.message);
		expected = Object.fromEntries(systemMapOf(loaded.value).steps.map((s) => [s.code, statusText(s.status)]));
		const funder = await createAccount(prepared.db, { role: 'funder', programme: 'vleuten-versterkt' });
		const lead = await createAccount(prepared.db, { role: 'lead', programme: 'vleuten-versterkt' });
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: `${TODAY}T10:00:00Z` });
		cookie = await signIn((p, init) => fetch(server.url + p, init), funder);
		leadCookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		browser = await launchBrowser();
	}, 180_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function open(path: string, width: number, as = cookie): Promise<Page> {
		const context = await browser.newContext({ viewport: { width, height: 900 } });
		const [name, value] = as.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		await page.goto(`${server.url}${path}`);
		if (!path.includes('/meetplan')) await page.locator('[data-system-map]').waitFor();
		return page;
	}

	const words = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

	it.each([
		['programme page', vleuten],
		['dashboard', `${vleuten}/dashboard`]
	])('should show every next step on the %s in the row of its level, with its status in words', async (_, path) => {
		const page = await open(path, 1280);
		const map = page.locator('[data-system-map]');
		expect(Object.keys(expected).sort()).toEqual(Object.keys(LEVEL_OF));
		for (const [code, level] of Object.entries(LEVEL_OF)) {
			const cards = map.locator(`li[data-step="${code}"]`);
			expect(await cards.count()).toBeGreaterThan(0);
			expect(new Set(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-level'))))).toEqual(
				new Set([level])
			);
			for (const status of await cards.locator('[data-status]').allTextContents())
				expect(words(status)).toBe(expected[code]);
		}
		// a step acting from two perspectives sits in both columns of its row
		expect(await map.locator('li[data-step="VV-T1-VS1"][data-in="cell"]').count()).toBe(2);
		expect(await map.locator('li[data-step="VV-T5-VS1"][data-in="cell"]').count()).toBe(1);
		expect(words(await map.locator('h3[data-map-level="3"]').textContent())).toBe('Niveau 3 · uitingsvormen');
		// linked to its theme
		expect(await map.locator('li[data-step="VV-T3-VS1"] a').first().getAttribute('href')).toBe(`${vleuten}/thema/3`);

		// the table alternative: one row per step with the same facts
		await map.locator('summary').click();
		const rows = map.locator('table[data-system-map-table] tbody tr');
		expect(await rows.count()).toBe(5);
		const t4 = words(await map.locator('tr[data-step="VV-T4-VS1"]').textContent());
		expect(t4).toContain('2 · gedrag');
		expect(t4).toContain('jongeren, ouders, professionals');
		expect(t4).toContain('Vergelijken');
		expect(t4).toContain(expected['VV-T4-VS1']);
		await page.context().close();
	});

	it.each([1280, 360])(
		'should have no serious accessibility violation on the programme page at %i px, and no sideways scrolling',
		async (width) => {
			const page = await open(vleuten, width);
			await page.locator('[data-system-map] summary').click();
			expect(await seriousViolations(page)).toEqual([]);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow).toBeLessThanOrEqual(0);
			await page.context().close();
		}
	);

	it("should give a lead the step's placement form back filled in when refused, and place the step once saved", async () => {
		const page = await open(`${vleuten}/meetplan/knooppunten/VV-T3-VS1`, 360, leadCookie);
		const form = page.locator('form.node-form');
		expect(await form.locator('input[name="perspectives"][value="ouders"]').isChecked()).toBe(true);
		// a level the list does not offer, as a hand-made request could send
		await form.locator('select[name="level"]').evaluate((el) => el.append(new Option('9', '9')));
		await form.locator('select[name="level"]').selectOption('9');
		await form.locator('input[name="perspectives"][value="jongeren"]').check();
		await form.locator('input[name="trend"]').fill('Norm = exceleren');
		const posted = page.waitForEvent('load');
		await form.locator('button[type="submit"]').click();
		await posted;
		await page.locator('#level-error').waitFor();
		expect(await page.locator('#level-error').textContent()).toBe(
			'Het niveau op de systeemkaart is 0, 1, 2 of 3 (of leeg).'
		);
		expect(await page.locator('input[name="perspectives"][value="jongeren"]').isChecked()).toBe(true);
		expect(await page.locator('input[name="perspectives"][value="ouders"]').isChecked()).toBe(true);
		expect(await page.locator('input[name="trend"]').inputValue()).toBe('Norm = exceleren');

		await page.locator('select[name="level"]').selectOption('0');
		await Promise.all([
			page.waitForURL(/\/meetplan\?opgeslagen=VV-T3-VS1/),
			page.locator('form.node-form button[type="submit"]').click()
		]);
		await page.goto(`${server.url}${vleuten}`);
		const cards = page.locator('[data-system-map] li[data-step="VV-T3-VS1"][data-in="cell"]');
		expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-level')))).toEqual(['0', '0']);
		expect(words(await page.locator('[data-system-map] tr[data-step="VV-T3-VS1"]').textContent())).toContain(
			'Norm = exceleren'
		);
		await page.context().close();
	});
});
