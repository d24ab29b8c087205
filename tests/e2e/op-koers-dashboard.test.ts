import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { addStressHistory } from '../helpers/progress-fixture.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * "Op koers?" as a funder sees it: a fresh install with its demo data, opened on 10 December 2026. On both
 * programmes' dashboards, at a desktop and a phone width, the status, trend and coverage of every theme are
 * in the first screen and told in words, the key indicators are listed with value, trend and status, the
 * page does not scroll sideways, and axe-core finds nothing serious — nor on the lead's evaluation grid.
 */
const PROGRAMMES = ['vleuten-versterkt', 'zkl-onder-druk'] as const;
const SCREENS = [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 360, height: 740 }
] as const;
const STATUS = /^(✓ op koers|! achter|\? geen recente gegevens|niet te bepalen)$/;
const TREND = /^(↗ beter|→ gelijk|↘ slechter|geen trend)( \(\d+ (beter|gelijk|slechter)(, \d+ (gelijk|slechter))*\))?$/;
const COVERAGE = /^\d+ van \d+ indicatoren? met recente gegevens$/;

describe.runIf(hasChromium())('the Op koers? band in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	const cookies: Record<string, string> = {};
	const dbFile = join(TMP, `e2e-op-koers-${process.pid}.db`);

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-12-10T10:00:00Z' });
		const db = createDb(dbFile);
		// a key indicator with four values in Utrecht (lower is better: 49 → 48 → 47 → 44), for its trend and sparkline
		await addStressHistory(db.db);
		const fetcher = (p: string, init?: RequestInit) => fetch(server.url + p, init);
		for (const slug of PROGRAMMES)
			cookies[slug] = await signIn(fetcher, await createAccount(db.db, { role: 'funder', programme: slug }));
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' }));
		cookies.admin = await signIn(fetcher, await createAccount(db.db, 'admin'));
		await db.close();
		browser = await launchBrowser();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
	});

	async function open(who: string, path: string, screen: (typeof SCREENS)[number]): Promise<Page> {
		const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
		const [name, value] = cookies[who].split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		const page = await context.newPage();
		const res = await page.goto(server.url + path);
		expect(res?.status()).toBe(200);
		return page;
	}

	/** The theme titles the progress API gives the funder: the band must show every one. */
	async function themesOf(slug: string): Promise<string[]> {
		const res = await fetch(`${server.url}/api/v1/programmes/${slug}/progress`, { headers: { cookie: cookies[slug] } });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { themes: { number: number; title: string }[] };
		return body.themes.map((t) => `${t.number}. ${t.title}`);
	}

	for (const slug of PROGRAMMES)
		for (const screen of SCREENS)
			it(`should answer "op koers?" for every theme of ${slug} in the first screen on a ${screen.name}`, async () => {
				const page = await open(slug, `/p/${slug}/dashboard`, screen);
				const expected = await themesOf(slug);
				expect(expected.length).toBeGreaterThan(0);
				const rows = page.locator('[data-summary-theme]');
				expect(await rows.locator('h3').allTextContents()).toEqual(expected);
				const facts: { status: string; trend: string; coverage: string }[] = [];
				for (let i = 0; i < expected.length; i++) {
					const row = rows.nth(i);
					const shown: Record<string, string> = {};
					for (const what of ['status', 'trend', 'coverage']) {
						const el = row.locator(`[data-${what}]`);
						const box = await el.boundingBox();
						expect(box, `${expected[i]}: ${what}`).not.toBeNull();
						expect(box!.y, `${expected[i]}: ${what} above the fold`).toBeGreaterThanOrEqual(0);
						expect(box!.y + box!.height, `${expected[i]}: ${what} above the fold`).toBeLessThanOrEqual(screen.height);
						expect(box!.x + box!.width, `${expected[i]}: ${what} within the width`).toBeLessThanOrEqual(screen.width);
						shown[what] = ((await el.textContent()) ?? '').replace(/\s+/g, ' ').trim();
					}
					facts.push({ status: shown.status, trend: shown.trend, coverage: shown.coverage });
				}
				for (const f of facts) {
					expect(f.status).toMatch(STATUS);
					expect(f.trend).toMatch(TREND);
					expect(f.coverage).toMatch(COVERAGE);
				}
				// the demo data gives figures: at least one theme has a status and a trend to tell
				expect(facts.some((f) => /op koers|achter/.test(f.status))).toBe(true);
				expect(facts.some((f) => f.trend !== 'geen trend')).toBe(true);
				// the expected progress is marked on the bar and written beside it
				expect(await rows.locator('[data-expected]').first().textContent()).toMatch(/verwacht \d+%/);

				const keys = page.locator('[data-key-indicator]');
				expect(await keys.count()).toBeGreaterThan(0);
				for (let i = 0; i < (await keys.count()); i++) {
					const key = keys.nth(i);
					expect(await key.locator('[data-key-value]').textContent()).toMatch(/\d|geen gegevens/);
					expect(((await key.locator('[data-key-status]').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(
						/Status (✓ op koers|! achter|\? geen recente gegevens|niet te bepalen)/
					);
					expect(((await key.locator('[data-key-trend]').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(
						/Trend (↗ beter|→ gelijk|↘ slechter|geen trend)/
					);
				}
				if (slug === 'vleuten-versterkt') {
					const stress = page.locator('[data-key-indicator="VV-AMB-1-STRESS"]');
					const text = async (sel: string) =>
						((await stress.locator(sel).textContent()) ?? '').replace(/\s+/g, ' ').trim();
					expect(await text('[data-key-value]')).toBe('44% (30 nov 2026)');
					expect(await text('[data-key-trend]')).toBe('Trend ↗ beter (was 47% op 15 okt 2025)');
					expect(await text('[data-key-status]')).toBe('Status ✓ op koers');
					expect(await text('[data-key-history]')).toBe('juni 2025 – november 2026: 48% → 47% → 44%');
					// the values since the start of the previous school year: not the one of June 2024
					expect(await stress.locator('svg.spark circle').count()).toBe(3);
					expect(await stress.locator('svg.spark').getAttribute('aria-hidden')).toBe('true');
				}

				// no sideways scrolling of the page
				expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(screen.width);
				expect(await seriousViolations(page)).toEqual([]);
				await page.context().close();
			});

	for (const screen of SCREENS)
		it(`should leave nothing serious for axe-core on the lead's evaluation grid on a ${screen.name}`, async () => {
			const page = await open('lead', '/p/vleuten-versterkt/evaluaties', screen);
			expect(await page.locator('table.grid a.cell').count()).toBeGreaterThan(0);
			expect(await seriousViolations(page)).toEqual([]);
			await page.context().close();
		});

	for (const screen of SCREENS)
		it(`should leave nothing serious for axe-core on the admin's pages on a ${screen.name}`, async () => {
			for (const path of ['/admin', '/admin/gebruikers', '/admin/sleutels', '/admin/audit']) {
				const page = await open('admin', path, screen);
				expect(await seriousViolations(page), path).toEqual([]);
				await page.context().close();
			}
		});

	for (const screen of SCREENS)
		it(`should put the band on top of the report on a ${screen.name}`, async () => {
			const page = await open('vleuten-versterkt', '/p/vleuten-versterkt/rapport', screen);
			expect(await page.locator('[data-summary-theme]').count()).toBe((await themesOf('vleuten-versterkt')).length);
			await page.context().close();
		});
});
