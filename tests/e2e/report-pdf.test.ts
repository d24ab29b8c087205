import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { missing, TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PDFTOTEXT = '/usr/bin/pdftotext';
const hasPdftotext = () =>
	existsSync(PDFTOTEXT) || missing('pdftotext', 'install it with apt-get install -y poppler-utils');

/**
 * The funder report as a funder gets it: Vleuten's demo install of 20 June 2025 (the phase Januari–juni of
 * 2024-2025), with final evaluations in September and October, read at 1280 and 360 px and downloaded as a
 * PDF from the page's button; pdftotext reads the PDF back.
 */
describe.runIf(hasChromium() && hasPdftotext())('the funder report and its PDF in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let context: BrowserContext;
	const dbFile = join(TMP, `e2e-report-pdf-${process.pid}.db`);
	const report = '/p/vleuten-versterkt/rapport';
	let themes: string[];

	beforeAll(async () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
		const prepared = createDb(dbFile);
		await migrateToLatest(prepared);
		await loadBothPlans(prepared, { demo: true, demoAsOf: '2025-06-20' });
		const { steps } = await addActivity(prepared.db, 'vleuten-versterkt');
		const october = await prepared.db
			.selectFrom('evaluations')
			.select('id')
			.where('next_step_id', '=', steps[0].id)
			.where('state', '=', 'final')
			.orderBy('phase_id', 'desc')
			.executeTakeFirstOrThrow();
		await prepared.db
			.updateTable('evaluations')
			.set({ story: 'Scholen doen mee', learnings: 'Ouders eerder betrekken' })
			.where('id', '=', october.id)
			.execute();
		await prepared.db
			.insertInto('evaluation_follow_ups')
			.values({
				evaluation_id: october.id,
				description: 'Ouderavond plannen',
				owner: 'Projectleider',
				deadline: '2025-07-10',
				done: 0,
				sort_order: 0
			})
			.execute();
		themes = (
			await prepared.db
				.selectFrom('themes')
				.innerJoin('programmes', 'programmes.id', 'themes.programme_id')
				.select('themes.title')
				.where('programmes.slug', '=', 'vleuten-versterkt')
				.orderBy('themes.number')
				.execute()
		).map((t) => t.title);
		const funder = await createAccount(prepared.db, { role: 'funder', programme: 'vleuten-versterkt' });
		await prepared.close();
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2025-06-20T10:00:00Z' });
		const cookie = await signIn((path, init) => fetch(server.url + path, init), funder);
		browser = await launchBrowser();
		context = await browser.newContext({
			viewport: { width: 1280, height: 900 },
			acceptDownloads: true
		});
		await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
	});

	it('should download the PDF from the button, with a chart per theme, the decisions and numbered pages', async () => {
		expect(themes.length).toBeGreaterThan(1);
		const page = await context.newPage();
		await page.goto(server.url + report, { waitUntil: 'networkidle' });
		const button = page.locator('[data-pdf-button]');
		expect(await button.textContent()).toBe('Download PDF');
		const downloading = page.waitForEvent('download', { timeout: 60_000 });
		await button.click();
		// the button says it is working until the file arrives
		await page.waitForFunction(() => document.querySelector('[data-pdf-button]')?.textContent === 'PDF wordt gemaakt…');
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('rapport-vleuten-versterkt-januari-juni-2024-2025.pdf');
		const file = join(TMP, `report-${process.pid}.pdf`);
		await download.saveAs(file);
		expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
		const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' });
		rmSync(file);
		const pages = text.split('\f').filter((p) => p.trim() !== '');

		// a chart per theme, in that theme's part of the text
		const parts = themes.map((title, n) => {
			const start = text.indexOf(`Thema ${n + 1}: ${title.slice(0, 30)}`);
			expect(start, title).toBeGreaterThan(-1);
			const next = n + 1 < themes.length ? text.indexOf(`Thema ${n + 2}: `, start) : text.length;
			return text.slice(start, next);
		});
		// each theme's charts come with their legend (only what they draw) and value axis
		for (const part of parts) expect(part).toMatch(/waarden +nulmeting \(stippellijn\) +streefwaarde \(ruit\)/);
		expect(text).toContain('besluit: Voortzetten');
		expect(text).toContain('besluit: Bijstellen');
		expect(text).toContain('Ouders eerder betrekken');
		expect(text).toContain('Ouderavond plannen');
		// every page's footer: programme, period and "pagina X van Y"
		expect(pages.length).toBeLessThan(14);
		expect(pages.length).toBeGreaterThan(1);
		pages.forEach((p, n) => {
			expect(p).toContain(`pagina ${n + 1} van ${pages.length}`);
			expect(p).toContain('Vleuten Versterkt · het hele programma · Januari–juni 2024-2025');
		});
		await page.close();
	}, 120_000);

	it('should hold no developer command and no serious accessibility violation at 1280 and 360 px', async () => {
		for (const width of [1280, 360]) {
			const page = await context.newPage();
			await page.setViewportSize({ width, height: 900 });
			await page.goto(server.url + report, { waitUntil: 'networkidle' });
			expect(await page.locator('body').innerText()).not.toContain('npm run');
			expect(await page.locator('figure.curve svg').count()).toBeGreaterThanOrEqual(themes.length);
			expect(await seriousViolations(page), `${width} px`).toEqual([]);
			// nothing wider than the screen
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			await page.close();
		}
	}, 120_000);
});
