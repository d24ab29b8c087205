import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/lib/server/db/create-db.ts';
import { issueLink, LINK_REFUSED, LINK_VALID_MS } from '../../src/lib/server/services/password-link.service.ts';
import { createAccount, type Account } from '../helpers/accounts.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
/** The server's clock starts here, so "24 hours ago" is fixed too. */
const NOW = '2026-12-04T09:00:00.000Z';
const PASSWORD = 'mijn eigen wachtwoord 2026';

describe.runIf(hasChromium())('an invitation in Chromium at 360 px: link, own password, sign-in', () => {
	let server: RunningServer;
	let browser: Browser;
	let db: Db;
	let admin: Account;
	const contexts: BrowserContext[] = [];
	const dbFile = join(TMP, `e2e-invite-${process.pid}.db`);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile, SMTP_URL: '' }, { now: NOW });
		db = createDb(dbFile);
		admin = await createAccount(db.db, 'admin');
		browser = await launchBrowser();
	}, 60_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await db?.close();
		for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
	});

	async function newPage(device = PHONE): Promise<Page> {
		const context = await browser.newContext(device);
		contexts.push(context);
		return context.newPage();
	}

	async function signIn(page: Page, email: string, password: string) {
		await page.getByLabel('E-mailadres').fill(email);
		await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
		await page.getByRole('button', { name: 'Inloggen' }).click();
	}

	it('should let an admin invite, show the link once, and let the invitee set a password and sign in', async () => {
		const page = await newPage();
		await page.goto(`${server.url}/login`);
		await signIn(page, admin.email, admin.password);
		await page.waitForURL((url) => !url.pathname.startsWith('/login'));
		await page.goto(`${server.url}/admin/gebruikers`);
		// no password field: the invitee chooses one
		expect(await page.locator('#nieuwe-gebruiker input[type=password]').count()).toBe(0);
		await page.getByLabel('E-mailadres').fill('ilse@gemeente.example');
		await page.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
		await page.getByText('Vul een naam in.').waitFor();
		expect(await page.getByLabel('E-mailadres').inputValue()).toBe('ilse@gemeente.example'); // filled in
		await page.getByLabel('Naam', { exact: true }).fill('Ilse Uitgenodigd');
		await page.getByLabel('Programma (optioneel)').selectOption('vleuten-versterkt');
		await page.getByLabel('Rol in dat programma').selectOption('aanjager');
		await page.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
		const shown = page.getByRole('status').filter({ hasText: 'Link voor ilse@gemeente.example' });
		const link = (await shown.locator('code').textContent())!;
		expect(link).toMatch(new RegExp(`^${server.url}/wachtwoord/[\\w-]{43}$`));
		// redirected after the post: no `?/createUser` left, and a reload neither posts nor shows the link again
		expect(page.url()).toBe(`${server.url}/admin/gebruikers`);
		const posted: string[] = [];
		page.on('request', (request) => {
			if (request.method() === 'POST') posted.push(request.url());
		});
		await page.reload();
		expect(posted).toEqual([]);
		expect(await page.getByText(link).count()).toBe(0);
		expect(await seriousViolations(page)).toEqual([]);

		const invitee = await newPage();
		await invitee.goto(link);
		expect(await invitee.getByText('ilse@gemeente.example').count()).toBe(1);
		expect(await seriousViolations(invitee)).toEqual([]);
		await invitee.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
		await invitee.getByLabel('Herhaal het wachtwoord').fill('iets anders dan dat');
		await invitee.getByRole('button', { name: 'Wachtwoord instellen' }).click();
		await invitee.getByText('De twee wachtwoorden zijn niet gelijk.').waitFor();
		await invitee.getByLabel('Nieuw wachtwoord').fill(PASSWORD);
		await invitee.getByLabel('Herhaal het wachtwoord').fill(PASSWORD);
		await invitee.getByRole('button', { name: 'Wachtwoord instellen' }).click();
		await invitee.waitForURL(`${server.url}/login?ingesteld=1`);
		await invitee.getByText('Je wachtwoord is ingesteld.').waitFor();
		await signIn(invitee, 'ilse@gemeente.example', PASSWORD);
		await invitee.waitForURL((url) => !url.pathname.startsWith('/login'));
		expect(await invitee.getByText('Ilse Uitgenodigd').count()).toBeGreaterThan(0);

		// the link worked once
		const again = await newPage();
		await again.goto(link);
		expect(await again.getByRole('alert').textContent()).toBe(LINK_REFUSED);
		expect(await again.getByLabel('Nieuw wachtwoord').count()).toBe(0);
	}, 120_000);

	it('should refuse a link 24 hours after it was made, with a way to ask for a new one', async () => {
		const invitee = await createAccount(db.db, 'admin');
		const token = await issueLink(db.db, invitee.id, 'invite', Date.parse(NOW) - LINK_VALID_MS.invite - 1000);
		for (const device of [PHONE, DESKTOP]) {
			const page = await newPage(device);
			await page.goto(`${server.url}/wachtwoord/${token}`);
			expect(await page.getByRole('alert').textContent()).toBe(LINK_REFUSED);
			expect(await seriousViolations(page)).toEqual([]);
			await page.getByRole('link', { name: 'Nieuwe link aanvragen' }).click();
			await page.waitForURL(`${server.url}/wachtwoord-vergeten`);
			expect(await seriousViolations(page)).toEqual([]);
		}
	}, 60_000);

	it('should give the same answer for a known and an unknown address on "Wachtwoord vergeten?"', async () => {
		const answers: string[] = [];
		for (const address of [admin.email, 'niemand@gemeente.example']) {
			const page = await newPage();
			await page.goto(`${server.url}/login`);
			await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
			await page.waitForURL(`${server.url}/wachtwoord-vergeten`);
			await page.getByLabel('E-mailadres').fill(address);
			await page.getByRole('button', { name: 'Stuur een link' }).click();
			await page.locator('#reset-answer').waitFor();
			expect(page.url()).toBe(`${server.url}/wachtwoord-vergeten`);
			answers.push((await page.locator('#reset-answer').textContent())!);
		}
		expect(answers[0]).toMatch(/^Als dit adres bij ons bekend is/);
		expect(answers[1]).toBe(answers[0]);
	}, 60_000);
});
