import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

describe.runIf(hasChromium())('installable app with an offline shell, in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let aanjager: Account;
	let theaterT3: string;
	const dbFile = join(TMP, `e2e-offline-shell-${process.pid}.db`);
	const nextBuild = join(TMP, `build-next-${process.pid}`);
	const base = () => `${server.url}/p/vleuten-versterkt`;

	async function signedIn(options: object): Promise<BrowserContext> {
		const context = await browser.newContext(options);
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

	/** The page is controlled by the service worker, which has kept the app's code. */
	async function controlled(page: Page) {
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	}

	/** The URLs of the pages the service worker keeps. */
	const keptPages = (page: Page) =>
		page.evaluate(async () => {
			const names = (await caches.keys()).filter((k) => k.startsWith('kompas-pages-'));
			const lists = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => r.url)));
			return lists.flat().map((u) => new URL(u).pathname + new URL(u).search);
		});

	const cacheNames = (page: Page) => page.evaluate(async () => (await caches.keys()).sort());

	async function logOffline(page: Page, description: string) {
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		await page.selectOption('#target', theaterT3);
		await page.getByText('Bijeenkomst', { exact: true }).click();
		await page.selectOption('#organisation', { label: 'OBS Haarzicht' });
		await page.fill('#ouders', '7');
		await page.fill('#description', description);
		await page.getByRole('button', { name: 'Actie opslaan' }).click();
		await page.getByText('Geen verbinding', { exact: false }).waitFor();
	}

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
		rmSync(nextBuild, { recursive: true, force: true });
	});

	it('should offer a Dutch web app manifest with icons, linked from every page', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		await page.goto(server.url);
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		const manifest = await (await fetch(new URL(href!, server.url))).json();
		expect(manifest).toMatchObject({ name: 'Kompas Monitor', lang: 'nl', start_url: '/', display: 'standalone' });
		const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
		expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
		for (const icon of manifest.icons) {
			const res = await fetch(new URL(icon.src, server.url));
			expect(res.headers.get('content-type')).toBe('image/png');
		}
		await context.close();
	});

	it('should open the app and the action form without a connection, and send the actions once when it returns', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') errors.push(m.text());
		});
		await page.goto(server.url);
		await controlled(page);
		// opened online once, now under the worker: home and the form are kept
		await page.goto(server.url);
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
		// where home leads is learnt in the background: wait for it
		await expect
			.poll(() => keptPages(page), { timeout: 10_000 })
			.toEqual(expect.arrayContaining(['/', '/p/vleuten-versterkt/acties/nieuw']));

		// no connection at all: Chromium's offline mode does not always reach the worker's own requests, so
		// the server is gone too (and comes back at the same address)
		const port = Number(new URL(server.url).port);
		await context.setOffline(true);
		await server.stop();
		// opened from the home screen: home sends an aanjager on to the action form, offline as online (the
		// worker kept where home led), and the kept form has its choices
		await page.goto(server.url);
		expect(new URL(page.url()).pathname).toBe('/p/vleuten-versterkt/acties/nieuw');
		expect(await page.locator('h1').textContent()).toBe('Actie loggen');
		expect(await page.locator('#target option').count()).toBeGreaterThan(5);
		await logOffline(page, 'Ouderavond in de gymzaal (form offline geopend)');
		expect(await page.locator('.outbox-count').getAttribute('data-count')).toBe('1');
		// the form opened offline a second time has the same page, but each action its own key
		await page.goto(`${base()}/acties/nieuw`);
		await logOffline(page, 'Mentorles over slapen (form offline geopend)');
		expect(await page.locator('.outbox-count').getAttribute('data-count')).toBe('2');
		expect(await page.locator('.outbox-count').textContent()).toContain('2 wacht');
		expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
		expect(await seriousViolations(page)).toEqual([]);
		expect(await actionsWith('Ouderavond in de gymzaal (form offline geopend)')).toBe(0);

		// a page never opened online: the offline page, not the browser's error page
		await page.goto(`${base()}/dashboard`);
		expect(await page.locator('h1').textContent()).toBe('Geen verbinding');
		await page.goto(`${base()}/acties/nieuw`);
		await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });

		server = await startServer({ DATABASE_URL: dbFile }, { port });
		await context.setOffline(false);
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await page.getByText('nu opgeslagen', { exact: false }).waitFor();
		await page.locator('.outbox-count').waitFor({ state: 'detached' });
		expect(await actionsWith('Ouderavond in de gymzaal (form offline geopend)')).toBe(1);
		expect(await actionsWith('Mentorles over slapen (form offline geopend)')).toBe(1);
		expect(await page.getByText('Geen verbinding', { exact: false }).count()).toBe(0);
		expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
		await context.close();
	});

	it('should keep the action form when it was reached inside the app, and forget every page on sign-out', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		await page.goto(`${base()}/acties`);
		await controlled(page);
		// client-side navigation reads only the page's data; the worker fetches the page itself to keep it
		await page.getByRole('link', { name: '+ Actie loggen' }).click();
		await page.waitForURL(/\/acties\/nieuw$/);
		await expect
			.poll(() => keptPages(page), { timeout: 10_000 })
			.toEqual(expect.arrayContaining(['/p/vleuten-versterkt/acties/nieuw']));

		await page.getByRole('button', { name: 'Uitloggen' }).click();
		await page.waitForURL(/\/login/);
		expect(await keptPages(page)).toEqual([]);
		await context.setOffline(true);
		await page.goto(`${base()}/acties/nieuw`);
		expect(await page.locator('h1').textContent()).toBe('Geen verbinding');
		await context.close();
	});

	it('should date the kept form today when it opens offline on a later day', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await controlled(page);
		await page.goto(`${base()}/acties/nieuw`);
		const kept = await page.inputValue('#date');

		const port = Number(new URL(server.url).port);
		await context.setOffline(true);
		await server.stop();
		try {
			const tomorrow = new Date(`${kept}T12:00:00Z`);
			tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
			await page.clock.setFixedTime(tomorrow);
			await page.goto(`${base()}/acties/nieuw`);
			await page.locator('.outbox[data-ready="true"]').waitFor({ state: 'attached' });
			const day = tomorrow.toISOString().slice(0, 10);
			expect(await page.inputValue('#date')).toBe(day);
			expect(await page.getAttribute('#date', 'max')).toBe(day);
		} finally {
			server = await startServer({ DATABASE_URL: dbFile }, { port });
		}
		await context.close();
	});

	it('should open the kept action form when the network hangs, neither answering nor failing', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await controlled(page);
		await page.goto(`${base()}/acties/nieuw`);

		// a weak signal: the address accepts connections and never answers
		const port = Number(new URL(server.url).port);
		await server.stop();
		const sockets: Socket[] = [];
		const silent = createServer((socket) => void sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
		try {
			// without the fallback the navigation waits far longer than this
			await page.goto(`${base()}/acties/nieuw`, { timeout: 20_000 });
			expect(await page.locator('h1').textContent()).toBe('Actie loggen');
			expect(sockets.length).toBeGreaterThan(0);
		} finally {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => silent.close(resolve));
			server = await startServer({ DATABASE_URL: dbFile }, { port });
		}
		await context.close();
	});

	it('should let the worker of a new build take over at once, with only its own caches', async () => {
		const context = await signedIn(PHONE);
		const page = await context.newPage();
		await page.goto(`${base()}/acties/nieuw`);
		await controlled(page);
		await page.goto(`${base()}/acties/nieuw`);
		const version = /^kompas-shell-(\d+)$/.exec(
			(await cacheNames(page)).find((n) => n.startsWith('kompas-shell-'))!
		)![1];
		expect(await cacheNames(page)).toEqual([`kompas-pages-${version}`, `kompas-shell-${version}`]);

		// the next deploy, as the browser sees it: the same address, a worker of another version
		const next = String(Number(version) + 1);
		cpSync(process.env.BUILD_DIR ?? 'build', nextBuild, { recursive: true });
		const worker = join(nextBuild, 'client/service-worker.js');
		writeFileSync(worker, readFileSync(worker, 'utf8').replaceAll(version, next));
		rmSync(`${worker}.br`, { force: true });
		rmSync(`${worker}.gz`, { force: true });
		const port = Number(new URL(server.url).port);
		await server.stop();
		server = await startServer({ DATABASE_URL: dbFile }, { port, buildDir: nextBuild });

		const takenOver = page.evaluate(
			() =>
				new Promise<boolean>((resolve) =>
					navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true })
				)
		);
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		expect(await takenOver).toBe(true);
		await expect.poll(() => cacheNames(page), { timeout: 10_000 }).toEqual([`kompas-shell-${next}`]);
		await page.goto(`${base()}/acties/nieuw`);
		expect(await cacheNames(page)).toEqual([`kompas-pages-${next}`, `kompas-shell-${next}`]);
		await context.close();
	});

	it('should show an offline page without serious accessibility violations, on a phone and a desktop', async () => {
		for (const options of [PHONE, DESKTOP]) {
			const context = await signedIn(options);
			const page = await context.newPage();
			await page.goto(`${server.url}/offline.html`);
			expect(await seriousViolations(page)).toEqual([]);
			await context.close();
		}
	});
});
