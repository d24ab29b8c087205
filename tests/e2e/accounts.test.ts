import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { serverClient } from '../helpers/client.ts';

describe.runIf(hasChromium())('a newcomer in Chromium: first admin, a funder, and what the funder may do', () => {
	let server: RunningServer;
	let browser: Browser;
	const dbFile = join(TMP, `e2e-accounts-${process.pid}.db`);
	// signed-in pages the second test goes on with
	let admin: Page;
	let funder: Page;

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	async function signInAs(email: string, password: string): Promise<Page> {
		const page = await (await browser.newContext()).newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt`);
		expect(page.url()).toContain('/login?next=');
		await page.getByLabel('E-mailadres').fill(email);
		await page.getByLabel('Wachtwoord').fill(password);
		await page.getByRole('button', { name: 'Inloggen' }).click();
		return page;
	}

	it('should print the admin password once, let the admin create a funder, and limit that funder', async () => {
		const pattern = /E-mail: (\S+)\s+wachtwoord: (\S+)/;
		await expect.poll(() => pattern.test(server.output()), { timeout: 10_000 }).toBe(true);
		const printed = pattern.exec(server.output());
		expect(printed, server.output()).not.toBeNull();
		const [, adminEmail, adminPassword] = printed!;

		const wrong = await signInAs(adminEmail, 'zeker niet het wachtwoord');
		await wrong.getByRole('alert').waitFor();
		expect(await wrong.getByRole('alert').textContent()).toContain('klopt niet');
		expect(await wrong.getByLabel('E-mailadres').inputValue()).toBe(adminEmail); // the form comes back filled in

		admin = await signInAs(adminEmail, adminPassword);
		await admin.waitForURL(`${server.url}/p/vleuten-versterkt`);
		// from the header to the overview, and on to the users through the admin menu
		await admin.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Beheer', exact: true }).click();
		await admin.waitForURL(`${server.url}/admin`);
		await admin.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'Gebruikers' }).click();
		await admin.waitForURL(`${server.url}/admin/gebruikers`);
		await admin.getByLabel('E-mailadres').fill('fien@gemeente.example');
		await admin.getByLabel('Programma (optioneel)').selectOption('vleuten-versterkt');
		await admin.getByLabel('Rol in dat programma').selectOption('funder');
		await admin.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
		await admin.getByText('Vul een naam in.').waitFor();
		expect(await admin.getByLabel('E-mailadres').inputValue()).toBe('fien@gemeente.example');
		await admin.getByLabel('Naam', { exact: true }).fill('Fien Financier');
		await admin.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
		await admin.getByText('Account fien@gemeente.example aangemaakt.').waitFor();
		// no SMTP_URL: the admin sees the invitation link once, to pass on
		const link = (await admin.getByRole('status').locator('code').textContent())!;
		// redirected after the post: a clean address, and a reload asks the server nothing but a GET
		expect(admin.url()).toBe(`${server.url}/admin/gebruikers`);
		const requested: string[] = [];
		admin.on('request', (request) => requested.push(`${request.method()} ${request.url()}`));
		await admin.reload();
		expect(requested[0]).toBe(`GET ${server.url}/admin/gebruikers`);
		expect(requested.filter((request) => request.startsWith('POST'))).toEqual([]);
		expect(await admin.getByText('Account fien@gemeente.example aangemaakt.').count()).toBe(0); // shown once
		expect(await admin.getByText('Er bestaat al een account').count()).toBe(0);
		expect(await admin.locator('tbody tr', { hasText: 'fien@gemeente.example' }).count()).toBe(1);

		const invited = await (await browser.newContext()).newPage();
		await invited.goto(link);
		await invited.getByLabel('Nieuw wachtwoord').fill('financier-wachtwoord-2026');
		await invited.getByLabel('Herhaal het wachtwoord').fill('financier-wachtwoord-2026');
		await invited.getByRole('button', { name: 'Wachtwoord instellen' }).click();
		await invited.waitForURL(`${server.url}/login?ingesteld=1`);
		funder = await signInAs('fien@gemeente.example', 'financier-wachtwoord-2026');
		await funder.waitForURL(`${server.url}/p/vleuten-versterkt`);
		expect(await funder.locator('h1').textContent()).toBe('Vleuten Versterkt');
		// `/` would go on to the funder's dashboard (one programme); `/?lijst` is the programme list itself
		await funder.goto(`${server.url}/?lijst`);
		expect(await funder.locator('main h2').allTextContents()).toEqual(['Vleuten Versterkt']);
		const zkl = await funder.goto(`${server.url}/p/zkl-onder-druk`);
		expect(zkl!.status()).toBe(404);
		const adminPage = await funder.goto(`${server.url}/admin`);
		expect(adminPage!.status()).toBe(403);
		const audit = await funder.goto(`${server.url}/p/vleuten-versterkt/audit`);
		expect(audit!.status()).toBe(403);
	});

	it('should let the admin reset a forgotten password and block the funder who leaves', async () => {
		// the funder forgot the password: the admin gives a new one, shown once and never in the address
		await admin.goto(`${server.url}/admin/gebruikers`);
		await admin.getByRole('button', { name: 'Nieuw wachtwoord voor Fien Financier' }).click();
		const shown = admin.getByRole('status').filter({ hasText: 'Nieuw wachtwoord voor fien@gemeente.example' });
		const newPassword = (await shown.locator('code').textContent())!;
		expect(newPassword.length).toBeGreaterThanOrEqual(20);
		expect(admin.url()).toBe(`${server.url}/admin/gebruikers`);
		await admin.reload();
		expect(await admin.getByText(newPassword).count()).toBe(0);
		await funder.reload();
		expect(funder.url()).toContain('/login?next='); // the old session ended
		const again = await signInAs('fien@gemeente.example', newPassword);
		await again.waitForURL(`${server.url}/p/vleuten-versterkt`);

		// the funder leaves: blocked, signed out at once, and cannot sign in
		await admin.getByRole('button', { name: 'Blokkeren: Fien Financier' }).click();
		await admin.getByText('Account geblokkeerd').waitFor();
		expect(await admin.locator('tr', { hasText: 'fien@gemeente.example' }).textContent()).toContain('geblokkeerd');
		await again.reload();
		expect(again.url()).toContain('/login?next=');
		const refused = await signInAs('fien@gemeente.example', newPassword);
		await refused.getByRole('alert').waitFor();
		// the admin's own row offers neither button
		expect(await admin.getByRole('button', { name: /Blokkeren: Beheerder/ }).count()).toBe(0);
	}, 60_000); // three sign-ins and a password reset, each an argon2 hash on a 2-core machine

	it('should show a new API key once, let it work, and end it when revoked', async () => {
		await admin.goto(`${server.url}/admin`);
		await admin.getByRole('navigation', { name: 'Beheer' }).getByRole('link', { name: 'API-sleutels' }).click();
		await admin.waitForURL(`${server.url}/admin/sleutels`);
		await admin.getByRole('button', { name: 'API-sleutel aanmaken' }).click();
		await admin.getByText('Geef het token een naam.').waitFor(); // refused: nothing made, the form stays
		expect(await admin.getByText('Nog geen API-sleutels.').count()).toBe(1);
		await admin.getByLabel('Naam (waarvoor)').fill('Koppeling GGD');
		await admin.getByLabel('Programma').selectOption('vleuten-versterkt');
		await admin.getByRole('button', { name: 'API-sleutel aanmaken' }).click();
		const shown = admin.getByRole('status').filter({ hasText: 'API-sleutel "Koppeling GGD" aangemaakt' });
		const key = (await shown.locator('code').textContent())!;
		expect(key.length).toBeGreaterThanOrEqual(20);
		expect(admin.url()).toBe(`${server.url}/admin/sleutels`);
		const kompas = () =>
			serverClient(server.url, () => ({ authorization: `Bearer ${key}` })).api.v1.programmes[':slug'].kompas.$get({
				param: { slug: 'vleuten-versterkt' }
			});
		expect((await kompas()).status).toBe(200);
		await admin.reload();
		expect(await admin.getByText(key).count()).toBe(0);
		expect(await admin.locator('tbody tr').count()).toBe(1); // the reload made no second key

		await admin.getByRole('button', { name: 'API-sleutel Koppeling GGD intrekken' }).click();
		await admin.getByText('API-sleutel ingetrokken.').waitFor();
		expect(await admin.locator('tbody tr', { hasText: 'Koppeling GGD' }).textContent()).toContain('ingetrokken');
		expect((await kompas()).status).toBe(401);
	});
});

describe.runIf(hasChromium())(
	'npm start as the README says, then signing in through the form at http://localhost',
	() => {
		let server: RunningServer;
		let browser: Browser;
		const dbFile = join(TMP, `e2e-npm-start-${process.pid}.db`);

		beforeAll(async () => {
			rmSync(dbFile, { force: true });
			server = await startServer({ DATABASE_URL: dbFile }, { npmStart: true });
			browser = await launchBrowser();
		});
		afterAll(async () => {
			await browser?.close();
			await server?.stop();
		});

		it('should accept the login form without any ORIGIN setting', async () => {
			const pattern = /E-mail: (\S+)\s+wachtwoord: (\S+)/;
			await expect.poll(() => pattern.test(server.output()), { timeout: 10_000 }).toBe(true);
			const [, email, password] = pattern.exec(server.output())!;
			expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
			const page = await (await browser.newContext()).newPage();
			await page.goto(`${server.url}/login`);
			await page.getByLabel('E-mailadres').fill(email);
			await page.getByLabel('Wachtwoord').fill(password);
			const [answer] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				page.getByRole('button', { name: 'Inloggen' }).click()
			]);
			// a click before hydration posts the plain form and gets a 303, which has no body to read
			expect(answer.status(), answer.status() === 403 ? await answer.text() : '').not.toBe(403);
			await page.waitForURL((u) => !u.pathname.startsWith('/login'));
			expect(await page.getByText('Vleuten Versterkt').count()).toBeGreaterThan(0);
		});
	}
);
