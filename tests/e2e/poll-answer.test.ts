import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { ANSWER, createTestPoll, sendAnswers } from '../helpers/poll-respondents.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Issue 18, the respondent in Chromium on a 360 px phone, with JavaScript and without: open the link,
 * answer, see how many answers are still needed, then (the rest of the class answering over HTTP) the
 * group's result; opening the link again gives the thanks, and a second answer from the device (a second
 * tab still holding the form) is refused kindly. axe finds nothing serious on any of these pages.
 */
const NOW = '2026-11-20T10:00:00.000Z';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const SHOTS = `${TMP}/poll-answer-shots`;

describe.runIf(hasChromium())('answering a poll on a phone, in Chromium', () => {
	let db: TestDb;
	let server: RunningServer;
	let browser: Browser;

	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		db = await migratedDb('sqlite');
		await loadBothPlans(db);
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' }, { now: NOW });
		browser = await launchBrowser();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await db?.drop();
	});

	const question = (page: Page, text: RegExp) => page.getByRole('group', { name: text });
	// both run scripts in the page: only with JavaScript on (the pages' HTML is the same without)
	const fitsThePhone = async (page: Page, js: boolean) =>
		!js || (await page.evaluate(() => document.documentElement.scrollWidth <= 360));
	const axe = async (page: Page, js: boolean) => (js ? seriousViolations(page) : []);

	for (const javaScriptEnabled of [true, false])
		it(`should take one answer per device and show the group result above the threshold ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
			const mode = javaScriptEnabled ? 'js' : 'nojs';
			const { code } = await createTestPoll(db.db, { now: NOW, openQuestion: true });
			const context = await browser.newContext({ ...PHONE, javaScriptEnabled });
			try {
				const page = await context.newPage();
				const res = await page.goto(`${server.url}/peiling/${code}`);
				expect(res?.status()).toBe(200);
				expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Peiling druk in de klas');
				expect(await page.getByText('Je naam vragen we niet.').count()).toBe(1);
				expect(await page.getByText('Schrijf geen namen op').count()).toBe(1);
				expect(await fitsThePhone(page, javaScriptEnabled)).toBe(true);
				expect(await axe(page, javaScriptEnabled)).toEqual([]);
				await page.screenshot({ path: `${SHOTS}/${mode}-form.png`, fullPage: true });
				// a second tab of the same device, still holding the form
				const tab = await context.newPage();
				await tab.goto(`${server.url}/peiling/${code}`);

				await question(page, /Hoe oud ben je/)
					.getByRole('radio', { name: '10–12 jaar' })
					.check();
				// by keyboard: focus an answer and choose it with the space bar
				await question(page, /zelf kiezen/)
					.getByRole('radio', { name: 'Best wel' })
					.focus();
				await page.keyboard.press('Space');
				expect(
					await question(page, /zelf kiezen/)
						.getByRole('radio', { name: 'Best wel' })
						.isChecked()
				).toBe(true);
				await question(page, /met wie ik kan praten/)
					.getByRole('radio', { name: 'Ja' })
					.check();
				await page.getByLabel('Wil je nog iets kwijt?').fill('Fijne les.');
				await page.getByRole('button', { name: 'Versturen' }).click();
				await page.getByRole('heading', { name: 'Bedankt!' }).waitFor();
				expect(await page.getByText('Nu nog 9 nodig.').count()).toBe(1);
				expect(await page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);
				expect(await axe(page, javaScriptEnabled)).toEqual([]);
				await page.screenshot({ path: `${SHOTS}/${mode}-thanks.png`, fullPage: true });

				// the rest of the class answers
				for (let i = 0; i < 9; i++)
					expect((await sendAnswers(server.url, code, { ...ANSWER, praten: i < 4 ? 'ja' : 'nee' })).status).toBe(303);
				await page.getByRole('link', { name: 'Kijk opnieuw' }).click();
				await page.getByText('10 mensen hebben meegedaan.').waitFor();
				expect(await page.getByText('Ja: 5 van de 10 (50 %)').count()).toBe(1);
				expect(await page.getByText('Best wel: 10 van de 10 (100 %)').count()).toBe(1);
				expect(await fitsThePhone(page, javaScriptEnabled)).toBe(true);
				expect(await axe(page, javaScriptEnabled)).toEqual([]);
				await page.screenshot({ path: `${SHOTS}/${mode}-result.png`, fullPage: true });

				// opened again: the thanks and the result, not the form
				await page.goto(`${server.url}/peiling/${code}`);
				expect(await page.getByRole('heading', { name: 'Bedankt!' }).count()).toBe(1);
				expect(await page.getByRole('button', { name: 'Versturen' }).count()).toBe(0);

				// a second answer from the device: a kind refusal, and still the thanks
				await question(tab, /met wie ik kan praten/)
					.getByRole('radio', { name: 'Nee' })
					.check();
				await tab.getByRole('button', { name: 'Versturen' }).click();
				await tab.getByText('Je hebt al meegedaan op dit apparaat.').waitFor();
				expect(await tab.getByRole('heading', { name: 'Bedankt!' }).count()).toBe(1);
				expect(await axe(tab, javaScriptEnabled)).toEqual([]);
				await tab.screenshot({ path: `${SHOTS}/${mode}-again.png`, fullPage: true });
				const stored = await db.db
					.selectFrom('poll_responses as r')
					.innerJoin('polls as p', 'p.id', 'r.poll_id')
					.select(['r.open_answer'])
					.where('p.code', '=', code)
					.execute();
				expect(stored).toHaveLength(10);
				expect(stored.filter((r) => r.open_answer === 'Fijne les.')).toHaveLength(1);
				// the app's offline shell is not installed on a respondent's phone
				if (javaScriptEnabled)
					expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) ?? null)).toBeNull();
			} finally {
				await context.close();
			}
		}, 120_000);

	it('should answer an unknown code with a friendly page that names nothing', async () => {
		const context = await browser.newContext(PHONE);
		try {
			const page = await context.newPage();
			const res = await page.goto(`${server.url}/peiling/abcdefghjk`);
			expect(res?.status()).toBe(404);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Peiling niet gevonden');
			expect(await page.content()).not.toContain('Kompas Monitor');
			expect(await seriousViolations(page)).toEqual([]);
		} finally {
			await context.close();
		}
	});

	it('should show a closed poll as closed, at 1280 px too', async () => {
		const { code } = await createTestPoll(db.db, { now: NOW, status: 'closed' });
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		try {
			const page = await context.newPage();
			const res = await page.goto(`${server.url}/peiling/${code}`);
			expect(res?.status()).toBe(200);
			await page.getByText('Deze peiling is gesloten. Bedankt voor je hulp!').waitFor();
			expect(await page.getByText('Er hebben te weinig mensen meegedaan.').count()).toBe(1);
			expect(await seriousViolations(page)).toEqual([]);
			await page.screenshot({ path: `${SHOTS}/closed-1280.png`, fullPage: true });
		} finally {
			await context.close();
		}
	});
});
