import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { TMP } from '../helpers/environment.ts';
import { addPollTemplate } from '../helpers/poll-template.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Where screenshots go when SCREENSHOT_DIR is set (to look at them; the test asserts without them). */
const SHOTS = process.env.SCREENSHOT_DIR;
const SIZES = {
	phone: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
	desktop: { viewport: { width: 1280, height: 900 } }
} as const;
const RESPONDENTS = 40;

describe.runIf(hasChromium())('a facilitator runs a poll in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let lead: Account;
	let minGroupSize = 0;
	const dbFile = join(TMP, `e2e-poll-facilitator-${process.pid}.db`);
	const base = () => `${server.url}/p/vleuten-versterkt/peilingen`;

	async function signedIn(size: keyof typeof SIZES, options: { javaScriptEnabled?: boolean } = {}) {
		const context: BrowserContext = await browser.newContext({ ...SIZES[size], ...options });
		const cookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: server.url }]);
		return context;
	}
	const noHorizontalScroll = (page: Page) =>
		page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
	async function check(page: Page, shot: string) {
		expect(await seriousViolations(page), page.url()).toEqual([]);
		expect(await noHorizontalScroll(page), page.url()).toBe(true);
		if (SHOTS) await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
	}

	/** One respondent on its own device: a random token in the cookie, an answer per question, as the public form posts it (a success is 200, or 303 to the result). */
	async function respond(code: string, i: number): Promise<number> {
		const res = await fetch(`${server.url}/peiling/${code}`, {
			method: 'POST',
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				cookie: `kompas_apparaat=${randomBytes(32).toString('base64url')}`
			},
			body: new URLSearchParams({
				groep: i % 2 ? '10-12' : '13-14',
				druk: String((i % 5) + 1),
				praten: i < 30 ? 'ja' : 'nee'
			}),
			redirect: 'manual'
		});
		await res.arrayBuffer();
		return res.status;
	}

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		// a fixed clock: both runs date their poll the same day, whenever the test runs
		server = await startServer({ DATABASE_URL: dbFile }, { now: '2026-12-04T09:00:00.000Z' });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		await addPollTemplate(db.db, 'vleuten-versterkt');
		lead = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		minGroupSize = (
			await db.db
				.selectFrom('programmes')
				.select('min_group_size')
				.where('slug', '=', 'vleuten-versterkt')
				.executeTakeFirstOrThrow()
		).min_group_size;
		await db.close();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		rmSync(dbFile, { force: true });
	});

	it.each(['phone', 'desktop'] as const)(
		'should create a poll, show its link and QR code, and update the live page from "nog X nodig" to bars as 40 answers arrive (%s)',
		async (size) => {
			const context = await signedIn(size);
			const page = await context.newPage();
			await page.goto(base());
			await check(page, `poll-list-${size}`);

			// a refused form comes back filled in, with the message beside the field
			const name = `Groep 8 De Regenboog ${size}`;
			await page.fill('#name', name);
			// the seed plan has a template of its own: choose the one whose questions the respondents answer
			await page.selectOption('#template', 'druk-in-de-klas');
			await page.selectOption('#region', { label: 'OBS Haarzicht' });
			await page.fill('#closesAt', '2020-01-01T10:00');
			await page.getByRole('button', { name: 'Peiling maken' }).click();
			await page.locator('#closesAt-error').waitFor();
			expect(await page.locator('#closesAt-error').textContent()).toBe('De peiling moet na nu sluiten.');
			expect(await page.inputValue('#name')).toBe(name);
			expect(await page.locator('#region option:checked').textContent()).toContain('OBS Haarzicht');
			expect(await page.inputValue('#template')).toBe('druk-in-de-klas');
			await check(page, `poll-list-refused-${size}`);

			await page.fill('#closesAt', '');
			await page.getByRole('button', { name: 'Peiling maken' }).click();
			await page.waitForURL(/\/peilingen\/\d+$/);
			expect(await page.locator('h1').textContent()).toBe(name);
			const link = await page.inputValue('#link');
			expect(link).toMatch(new RegExp(`^${server.url}/peiling/[a-z2-9]{10}$`));
			const code = link.split('/').pop()!;
			const qr = page.locator('img.qr');
			await qr.waitFor();
			expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
			const svg = await page.request.get(`${page.url()}/qr.svg`);
			expect(svg.headers()['content-type']).toBe('image/svg+xml');
			expect(await svg.text()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
			await check(page, `poll-detail-${size}`);

			await page.getByRole('link', { name: 'Scherm' }).click();
			await page.waitForURL(/\/scherm$/);
			expect(await page.locator('p.link').textContent()).toBe(link.replace(/^https?:\/\//, ''));
			await check(page, `poll-scherm-${size}`);

			await page.getByRole('link', { name: 'Live uitslag' }).click();
			await page.waitForURL(/\/live$/);
			expect(await page.locator('.missing').textContent()).toMatch(
				new RegExp(`Nog ${minGroupSize}\\s+antwoorden nodig voordat de uitslag te zien is`)
			);
			expect(await page.locator('.bars').count()).toBe(0);
			await check(page, `poll-live-waiting-${size}`);
			// the page updates itself: it must not reload to show the answers
			await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

			const statuses = await Promise.all(Array.from({ length: RESPONDENTS }, (_, i) => respond(code, i)));
			expect(
				statuses.every((s) => s === 200 || s === 303),
				String(statuses)
			).toBe(true);
			await page.locator('[data-testid="respondents"]', { hasText: new RegExp(`^${RESPONDENTS}$`) }).waitFor({
				timeout: 15_000
			});
			expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
			expect(await page.locator('.missing').count()).toBe(0);
			const praten = page.locator('section.question', { hasText: 'Ik weet met wie ik kan praten' });
			expect((await praten.locator('.bars li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
				'Ja 30 (75%)',
				'Nee 10 (25%)'
			]);
			const druk = page.locator('section.question', { hasText: 'Ik voel vaak druk' });
			expect(await druk.locator('.figure').allTextContents()).toEqual(Array(5).fill('8 (20%)'));
			expect(await druk.locator('.n').textContent()).toBe(`n = ${RESPONDENTS}`);
			await check(page, `poll-live-bars-${size}`);

			// closing by hand: the detail page then says so, keeps the result and offers no second closing
			await page.getByRole('link', { name: 'Terug naar de peiling' }).click();
			await page.getByRole('button', { name: 'Peiling sluiten' }).click();
			await page.locator('.badge', { hasText: 'gesloten' }).waitFor();
			expect(await page.getByRole('button', { name: 'Peiling sluiten' }).count()).toBe(0);
			expect(await page.locator('.bars').count()).toBe(3);
			// what closing made: the share agreeing (16 of 40) and the share "ja" (30 of 40); the second poll, of the
			// same region and date, finds those measurements and overwrites nothing
			const outcome = (await page.locator('section[aria-labelledby="outcome"]').textContent())!.replace(/\s+/g, ' ');
			if (size === 'phone') expect(outcome).toMatch(/: 40% \(n = 40\).*: 75% \(n = 40\)/);
			else expect(outcome).toContain('er is al een meting voor deze indicator, regio en datum');
			await check(page, `poll-detail-closed-${size}`);
			await context.close();
		},
		120_000
	);

	it('should keep the live page usable without JavaScript: it refreshes itself and offers "Vernieuwen"', async () => {
		const cookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		const res = await fetch(`${server.url}/api/v1/programmes/vleuten-versterkt/polls`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({
				template: 'druk-in-de-klas',
				name: 'Zonder JavaScript',
				region: 'obs-haarzicht',
				date: '2026-11-15'
			})
		});
		expect(res.status).toBe(201);
		const poll = (await res.json()) as { id: number; code: string };
		const statuses = await Promise.all(Array.from({ length: minGroupSize }, (_, i) => respond(poll.code, i)));
		expect(
			statuses.every((s) => s === 200 || s === 303),
			String(statuses)
		).toBe(true);
		const context = await signedIn('phone', { javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${base()}/${poll.id}/live`);
		expect(await page.locator('[data-testid="respondents"]').textContent()).toBe(String(minGroupSize));
		expect(await page.locator('.bars').count()).toBeGreaterThan(0);
		expect(await page.locator('noscript').first().innerHTML()).toContain('http-equiv="refresh"');
		const refresh = page.getByRole('link', { name: 'Vernieuwen' });
		expect(await refresh.getAttribute('href')).toBe(`/p/vleuten-versterkt/peilingen/${poll.id}/live`);
		// the markup is the one checked with axe above; the page reloads itself every 10 s, so only a picture here
		if (SHOTS) await page.screenshot({ path: join(SHOTS, 'poll-live-nojs-phone.png'), fullPage: true });
		await context.close();
	});
});
