import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { bodyOf, serverClient, type Json } from '../helpers/client.ts';

describe.runIf(hasChromium())('phase evaluations in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let cookie: string;
	let steps: number[];
	let october: number;
	let november: number;
	const dbFile = join(TMP, `e2e-evaluations-${process.pid}.db`);
	/** The typed client (Hono RPC) over HTTP: paths, parameters and bodies are checked against the routes. */
	const vv = () => serverClient(server.url, () => ({ cookie })).api.v1.programmes[':slug'];
	const P = { slug: 'vleuten-versterkt' };
	// the phases, kompas and evaluation answers are described in words only: untyped JSON
	const phasesNow = async () => (await bodyOf(await vv().phases.$get({ param: P }), 200)) as Json[];
	const context = async (javaScriptEnabled = true): Promise<BrowserContext> => {
		const ctx = await browser.newContext({ javaScriptEnabled });
		await ctx.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		return ctx;
	};

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		const lead = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		await db.close();
		cookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		const kompas = (await bodyOf(await vv().kompas.$get({ param: P }), 200)) as Json;
		steps = kompas.themes.flatMap((t: any) => t.nextSteps.map((s: any) => s.id));
		const phases = await phasesNow();
		october = phases.find((p) => p.name === 'Oktober' && p.schoolYear === '2024-2025').id;
		november = phases.find((p) => p.name === 'November' && p.schoolYear === '2024-2025').id;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('should let a lead complete an evaluation and show it in the grid cell', async () => {
		const ctx = await context();
		const page = await ctx.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/evaluaties?schooljaar=2024-2025`);
		const cell = page.locator(`a[href="/p/vleuten-versterkt/evaluaties/${steps[0]}/${october}"]`);
		const before = await cell.textContent();
		expect(before).not.toMatch(/Op koers/);

		await cell.click();
		await page.waitForURL(`**/evaluaties/${steps[0]}/${october}`);
		await page.getByLabel('Op koers').check();
		await page.getByLabel('Wat is er gedaan?').fill('Stappenplan besproken met twee clubs; één trainersavond.');
		await page
			.getByLabel('Het verhaal achter de cijfers')
			.fill('Clubs herkennen de druk, trainers vragen om praktische handvatten.');
		await page.getByLabel('Wat hebben we geleerd?').fill('Eerst de trainers, dan de ouders.');
		await page.getByLabel('Voortzetten').check();
		await page.getByLabel('Actie 1').fill('Trainersavond bij de hockeyclub plannen');
		await page.locator('#fu-0-owner').fill('Aanjager clubs');
		await page.locator('#fu-0-deadline').fill('2024-11-15');
		await page.getByRole('button', { name: 'Opslaan en definitief maken' }).click();

		await page.waitForURL(/\/evaluaties\?schooljaar=2024-2025/);
		await expect.poll(() => page.getByRole('status').textContent()).toMatch(/definitief/);
		const after = page.locator(`a[href="/p/vleuten-versterkt/evaluaties/${steps[0]}/${october}"]`);
		expect(await after.textContent()).toMatch(/Op koers\s*definitief/);
		expect(await after.locator('.tone-op_koers').count()).toBe(1);
		// the next phase of this step is what remains
		expect(
			await page.locator(`a[href="/p/vleuten-versterkt/evaluaties/${steps[0]}/${november}"]`).textContent()
		).toMatch(/Te laat|Te doen/);

		// the final evaluation is locked: no form, a reopen button instead
		await after.click();
		await page.waitForURL(`**/evaluaties/${steps[0]}/${october}`);
		expect(await page.getByRole('button', { name: 'Opslaan en definitief maken' }).count()).toBe(0);
		expect(await page.getByRole('button', { name: 'Evaluatie heropenen' }).count()).toBe(1);
		expect(await page.getByText('Vastgelegd op').count()).toBe(1);
		await ctx.close();
	});

	it('should show exactly the five November evaluations as open once October is final for every next step', async () => {
		const body = { status: 'aandacht_nodig', done: 'Gedaan', story: 'Verhaal', decision: 'versterken', followUps: [] };
		for (const step of steps.slice(1)) {
			const put = await vv().evaluations[':nextStepId'][':phaseId'].$put({
				param: { ...P, nextStepId: String(step), phaseId: String(october) },
				json: body
			});
			expect(put.status).toBe(200);
			const id = String(((await put.json()) as Json).id);
			expect((await vv().evaluations[':id'].finalise.$post({ param: { ...P, id } })).status).toBe(200);
		}
		const ctx = await context();
		const page = await ctx.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/evaluaties?schooljaar=2024-2025`);
		for (const step of steps) {
			expect(await page.locator(`#stap-${step} a[href$="/${october}"]`).textContent()).toMatch(/definitief/);
			expect(await page.locator(`#stap-${step} a[href$="/${november}"]`).textContent()).toMatch(/Te laat|Te doen/);
		}
		await page.goto(`${server.url}/p/vleuten-versterkt/evaluaties/open`);
		const open = page.locator('section[aria-labelledby="open-evaluaties"] li a');
		expect(await open.count()).toBe(5);
		for (const href of await open.evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
			expect(href).toMatch(new RegExp(`/evaluaties/\\d+/${november}$`));
		await ctx.close();
	});

	it('should show the missing fields beside the form without JavaScript', async () => {
		const ctx = await context(false);
		const page = await ctx.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/evaluaties/${steps[0]}/${november}`);
		await page.getByLabel('Wat is er gedaan?').fill('Alleen dit');
		await page.getByRole('button', { name: 'Opslaan en definitief maken' }).click();
		await page.waitForLoadState();
		expect(await page.getByRole('alert').textContent()).toMatch(/nog niet definitief/);
		expect(await page.locator('#story-error').textContent()).toMatch(/verhaal/);
		expect(await page.locator('#f-story').getAttribute('aria-invalid')).toBe('true');
		expect(await page.locator('#f-done').inputValue()).toBe('Alleen dit');
		await ctx.close();
	});

	it('should refuse a gap between phases with the days named beside the field, and save a rename', async () => {
		const ctx = await context(false);
		const page = await ctx.newPage();
		await page.goto(`${server.url}/p/vleuten-versterkt/fasen`);
		const year = page.locator('section', { has: page.getByRole('heading', { name: 'Schooljaar 2024-2025' }) });
		const novemberStart = year.locator('input[name="phases.2.start"]');
		await novemberStart.fill('2024-11-04');
		await year.getByRole('button', { name: 'Fasen van 2024-2025 opslaan' }).click();
		await page.waitForLoadState();
		const id = await page
			.locator('section', { has: page.getByRole('heading', { name: 'Schooljaar 2024-2025' }) })
			.locator('input[name="phases.2.start"]')
			.getAttribute('id');
		expect(await page.locator(`#${id}-error`).textContent()).toBe(
			'Tussen Oktober en November zit een gat: 1 november 2024 t/m 3 november 2024 valt in geen fase.'
		);
		expect(await page.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
		const phases = await phasesNow();
		expect(phases.find((p) => p.id === november).start).toBe('2024-11-01');

		await page.goto(`${server.url}/p/vleuten-versterkt/fasen`);
		const again = page.locator('section', { has: page.getByRole('heading', { name: 'Schooljaar 2024-2025' }) });
		await again.locator('input[name="phases.1.name"]').fill('Herfst');
		await again.getByRole('button', { name: 'Fasen van 2024-2025 opslaan' }).click();
		await page.waitForLoadState();
		expect(await page.getByRole('status').textContent()).toMatch(/opgeslagen/);
		const renamed = await phasesNow();
		expect(renamed.find((p) => p.id === october).name).toBe('Herfst');
		await ctx.close();
	});
});
