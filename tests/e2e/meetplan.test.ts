import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/lib/components/chart-palette.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { serverClient, type Json } from '../helpers/client.ts';
import { dutchCount } from '../../src/lib/domain/dutch-format.ts';

const VV = '/p/vleuten-versterkt';
/** what `npm start` sets (see package.json), so uploads above adapter-node's 512 KB default get through */
const START_ENV = { BODY_SIZE_LIMIT: '64M' };

/** The canvas row where most pixels have the target line's colour: where the target line is drawn. */
async function targetLineY(page: Page): Promise<number> {
	await page.locator('canvas[data-ready="true"]').waitFor();
	const hex = PALETTE.target;
	const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
	return page.locator('canvas').evaluate((c: HTMLCanvasElement, [r, g, b]) => {
		const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
		let best = { y: -1, n: 0 };
		for (let y = 0; y < height; y++) {
			let n = 0;
			for (let x = 0; x < width; x++) {
				const i = (y * width + x) * 4;
				if (
					data[i + 3] > 128 &&
					Math.abs(data[i] - r) < 40 &&
					Math.abs(data[i + 1] - g) < 40 &&
					Math.abs(data[i + 2] - b) < 40
				)
					n++;
			}
			if (n > best.n) best = { y, n };
		}
		return best.y;
	}, rgb);
}

describe.runIf(hasChromium())('meetplan and metingen in Chromium', () => {
	let server: RunningServer;
	let browser: Browser;
	let lead: BrowserContext;
	let cookie: string;
	const dbFile = join(TMP, `e2e-meetplan-${process.pid}.db`);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile, ...START_ENV });
		browser = await launchBrowser();
		const db = createDb(dbFile);
		const account = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		await db.close();
		cookie = await signIn((p, init) => fetch(server.url + p, init), account);
		// charts draw at once (no animation) for people who ask for reduced motion: the test reads the finished drawing
		lead = await browser.newContext({ reducedMotion: 'reduce' });
		await lead.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it("should move the chart's target line when a lead edits the indicator's target", async () => {
		const page = await lead.newPage();
		await page.goto(`${server.url}${VV}/indicatoren/VV-T1-AANDACHT?regio=vleuten-de-meern`);
		const before = await targetLineY(page);
		expect(before).toBeGreaterThan(0);
		expect(await page.locator('figcaption').textContent()).toContain('streefwaarde 40%');

		await page.getByRole('link', { name: 'Indicator bewerken' }).click();
		await page.locator('#targetValue').waitFor();
		expect(await page.locator('#targetValue').inputValue()).toBe('40');
		await page.locator('#targetValue').fill('85');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/\/meetplan\?opgeslagen=VV-T1-AANDACHT/);

		await page.goto(`${server.url}${VV}/indicatoren/VV-T1-AANDACHT?regio=vleuten-de-meern`);
		const after = await targetLineY(page);
		expect(await page.locator('figcaption').textContent()).toContain('streefwaarde 85%');
		// a higher target is drawn higher up: a smaller y on the canvas
		expect(after).toBeLessThan(before - 10);
		await page.close();
	});

	it('should refuse an edit made on a stale version and keep the other edit', async () => {
		const first = await lead.newPage();
		const second = await lead.newPage();
		for (const p of [first, second]) await p.goto(`${server.url}${VV}/meetplan/indicatoren/VV-T1-VS1-STAP`);
		await first.getByLabel('Eigenaar (optioneel)').fill('Eerste bewerker');
		await first.getByRole('button', { name: 'Opslaan' }).click();
		await first.waitForURL(/opgeslagen=/);
		await second.getByLabel('Eigenaar (optioneel)').fill('Tweede bewerker');
		await second.getByRole('button', { name: 'Opslaan' }).click();
		await second.getByText('Iemand anders heeft dit intussen gewijzigd').waitFor();
		expect(await second.getByLabel('Eigenaar (optioneel)').inputValue()).toBe('Tweede bewerker');
		await first.goto(`${server.url}${VV}/meetplan/indicatoren/VV-T1-VS1-STAP`);
		expect(await first.getByLabel('Eigenaar (optioneel)').inputValue()).toBe('Eerste bewerker');
	});

	it('should bring a refused form back filled in, with a Dutch message beside the wrong field, without JavaScript', async () => {
		const noJs = await browser.newContext({ javaScriptEnabled: false });
		await noJs.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		const page = await noJs.newPage();
		await page.goto(`${server.url}${VV}/metingen/nieuw?indicator=VV-T1-AANDACHT`);
		await page.getByLabel('Regio').selectOption('obs-haarzicht');
		await page.getByLabel('Peildatum').fill('2024-10-01');
		await page.getByLabel(/^Waarde/).fill('104');
		await page.getByLabel('n (aantal respondenten, optioneel)').fill('25');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		const value = page.getByLabel(/^Waarde/);
		await page.getByText('een percentage ligt tussen 0 en 100 (niet 104)').waitFor();
		expect(await value.getAttribute('aria-invalid')).toBe('true');
		expect(await value.inputValue()).toBe('104');
		expect(await page.getByLabel('n (aantal respondenten, optioneel)').inputValue()).toBe('25');
		await value.fill('28,5');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/indicatoren\/VV-T1-AANDACHT\?regio=obs-haarzicht&opgeslagen=/);
		expect(await page.locator('table').textContent()).toContain('28,5%');
		await noJs.close();
	});

	it('should set validation rules in the editor, refuse a value outside the range and show a flagged change', async () => {
		const noJs = await browser.newContext({ javaScriptEnabled: false });
		await noJs.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		const page = await noJs.newPage();
		const code = 'VV-T4-VS1-VERTROUWEN';
		await page.goto(`${server.url}${VV}/meetplan/indicatoren/${code}`);
		// the seed plan's range (1–10); min above max is refused beside the field, the form comes back filled in
		expect(await page.getByLabel('Kleinste toegestane waarde').inputValue()).toBe('1');
		await page.getByLabel('Kleinste toegestane waarde').fill('11');
		await page.getByLabel('Grootste verandering t.o.v. de vorige meting').fill('0,01');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.getByText('Het maximum (10) is kleiner dan het minimum (11).').waitFor();
		expect(await page.getByLabel('Grootste verandering t.o.v. de vorige meting').inputValue()).toBe('0,01');
		await page.getByLabel('Kleinste toegestane waarde').fill('1');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/opgeslagen=/);

		const enter = async (date: string, value: string) => {
			await page.goto(`${server.url}${VV}/metingen/nieuw?indicator=${code}`);
			await page.getByLabel('Regio').selectOption('obs-haarzicht');
			await page.getByLabel('Peildatum').fill(date);
			await page.getByLabel(/^Waarde/).fill(value);
			await page.getByRole('button', { name: 'Opslaan' }).click();
		};
		await enter('2025-03-04', '10,5');
		await page.getByText('Waarde 10,5 ligt buiten het toegestane bereik 1–10.').waitFor();
		expect(await page.getByLabel(/^Waarde/).inputValue()).toBe('10,5');
		await enter('2025-03-03', '5');
		await page.waitForURL(/opgeslagen=/);
		await enter('2025-03-04', '9,99');
		await page.waitForURL(/opgeslagen=/);
		const db = createDb(dbFile);
		const { id } = await db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.select('m.id')
			.where('i.code', '=', code)
			.where('m.date', '=', '2025-03-04')
			.executeTakeFirstOrThrow();
		await db.close();
		await page.goto(`${server.url}${VV}/metingen/${id}`);
		const note = page.getByRole('note', { name: 'Aandachtspunten voor de beoordelaar' });
		expect(await note.textContent()).toContain(
			'Verandering van +4,99 t.o.v. vorige meting (5 op 3-3-2025) is groter dan toegestaan (0,01).'
		);
		await noJs.close();

		// the same reason on the review card, when the measurement waits for review (as an aanjager's would)
		const writer = createDb(dbFile);
		await writer.db.updateTable('measurements').set({ status: 'submitted' }).where('id', '=', id).execute();
		await writer.close();
		for (const width of [360, 1280]) {
			const context = await browser.newContext({ viewport: { width, height: 740 } });
			await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
			const queue = await context.newPage();
			await queue.goto(`${server.url}${VV}/metingen/beoordelen`);
			const card = queue.locator('li.card', { has: queue.locator(`a[href$="/metingen/${id}"]`) });
			expect(await card.getByRole('note').textContent()).toContain('Opvallend');
			expect(await card.getByRole('note').textContent()).toContain('is groter dan toegestaan (0,01).');
			expect(await queue.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
			expect(await seriousViolations(queue)).toEqual([]);
			await context.close();
		}
	});

	it('should take period targets one per line, bring a refused list back filled in without JavaScript, and draw the path through them', async () => {
		const noJs = await browser.newContext({ javaScriptEnabled: false });
		await noJs.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url: server.url }]);
		const page = await noJs.newPage();
		await page.goto(`${server.url}${VV}/meetplan/indicatoren/VV-T1-VS1-STAP`);
		const field = page.getByLabel('Tussendoelen per schooljaar (optioneel)');
		// 0 on 1 Sep 2024 → 75 on 30 Jun 2025
		await field.fill('2025-01-31 30\n2025-09-01 60');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page
			.getByText(
				'Regel 2: de datum 2025-09-01 ligt niet tussen de nulmeting (2024-09-01) en de streefwaarde (2025-06-30).'
			)
			.waitFor();
		expect(await field.getAttribute('aria-invalid')).toBe('true');
		expect(await field.inputValue()).toBe('2025-01-31 30\n2025-09-01 60');
		await field.fill('31-1-2025 30 demo');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/\/meetplan\?opgeslagen=VV-T1-VS1-STAP/);
		await page.goto(`${server.url}${VV}/meetplan/indicatoren/VV-T1-VS1-STAP`);
		expect(await field.inputValue()).toBe('2025-01-31 30 demo');
		await page.goto(`${server.url}${VV}/indicatoren/VV-T1-VS1-STAP?regio=vleuten-de-meern`);
		expect(await page.locator('figcaption').textContent()).toContain(
			'verwachte lijn: van 0% (1 sep 2024) via 30% (31 jan 2025) naar 75% (30 jun 2025)'
		);
		await noJs.close();
	});

	it('should edit validity, baseline area, comparability and key, and warn beside a target on the wrong side', async () => {
		const page = await lead.newPage();
		const edit = `${server.url}${VV}/meetplan/indicatoren/VV-T2-NIET-ALLEEN`;
		await page.goto(edit);
		const area = page.getByLabel('Gebied van de nulmeting');
		const options = await area.locator('option').allTextContents();
		expect(options[0]).toBe('het programma zelf');
		expect(options).toContain('Vleuten-De Meern');
		expect(options.at(-1)).toBe('Nederland (landelijk)');
		expect(await page.locator('.plan-warning').count()).toBe(0);
		await page.getByLabel('Geldigheid in maanden (optioneel)').fill('18');
		await area.selectOption('nederland');
		await page.getByLabel("Vergelijkbaar met alle regio's").check();
		await page.getByLabel('Kernindicator').check();
		await page.locator('#targetValue').fill('30');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		// saved all the same, and back on the form with the warning beside the target
		await page.waitForURL(/indicatoren\/VV-T2-NIET-ALLEEN\?opgeslagen/);
		await page.getByText('VV-T2-NIET-ALLEEN is opgeslagen.').waitFor();
		const warning = page.locator('fieldset', { hasText: 'Streefwaarde' }).locator('.plan-warning');
		expect(await warning.textContent()).toContain(
			'Let op: De streefwaarde (30) ligt onder de nulmeting (45), terwijl hoger beter is'
		);
		for (const [width, height] of [
			[1280, 900],
			[360, 740]
		]) {
			await page.setViewportSize({ width, height });
			await warning.scrollIntoViewIfNeeded();
			await page.screenshot({ path: `/tmp/h13p-editor-${width}.png`, fullPage: true });
			expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
		}
		await page.goto(edit);
		expect(await warning.count()).toBe(1);
		expect(await page.getByLabel('Geldigheid in maanden (optioneel)').inputValue()).toBe('18');
		expect(await area.inputValue()).toBe('nederland');
		expect(await page.getByLabel("Vergelijkbaar met alle regio's").isChecked()).toBe(true);
		expect(await page.getByLabel('Kernindicator').isChecked()).toBe(true);
		await page.goto(`${server.url}${VV}/meetplan`);
		expect(await page.locator('#VV-T2-NIET-ALLEEN').textContent()).toContain('Let op: De streefwaarde (30)');
		await page.close();
	});

	it('should list the planning warnings of a plan uploaded on /admin/plannen', async () => {
		const db = createDb(dbFile);
		const account = await createAccount(db.db, 'admin');
		await db.close();
		const adminCookie = await signIn((p, init) => fetch(server.url + p, init), account);
		const admin = await browser.newContext();
		await admin.addCookies([{ name: adminCookie.split('=')[0], value: adminCookie.split('=')[1], url: server.url }]);
		const file = join(TMP, `e2e-upload-${process.pid}.yaml`);
		writeFileSync(
			file,
			readFileSync('indicators/zkl-onder-druk.yaml', 'utf8').replace(
				'target: { value: 30, date: 2027-12-31, demo: true }',
				'target: { value: 40, date: 2027-12-31, demo: true }'
			)
		);
		const page = await admin.newPage();
		await page.goto(`${server.url}/admin/plannen`);
		await page.getByLabel('Plan (YAML)').setInputFiles(file);
		await page.getByRole('button', { name: 'Plan laden' }).click();
		await page.getByText('Programma zkl-onder-druk geladen').waitFor();
		expect(await page.locator('.notes li').allTextContents()).toEqual([
			'let op: ZKL-MR-1-DRUK: De streefwaarde (40) ligt boven de nulmeting (34,5), terwijl lager beter is: zo is geen voortgang te berekenen.'
		]);
		await page.setViewportSize({ width: 360, height: 740 });
		await page.screenshot({ path: '/tmp/h13p-upload-360.png' });
		await admin.close();
	});

	it('should save an existing theme, unchanged and edited, and create a new theme', async () => {
		const page = await lead.newPage();
		const edit = `${server.url}${VV}/meetplan/knooppunten/VV-T1`;
		await page.goto(edit);
		expect(await page.getByLabel('Niveau op de systeemkaart (optioneel)').inputValue()).toBe('1');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/\/meetplan\?opgeslagen=VV-T1#VV-T1$/);

		await page.goto(edit);
		await page.getByLabel('Titel').fill('Lanterfantertijd (bewerkt)');
		await page.getByLabel('Niveau op de systeemkaart (optioneel)').selectOption('2');
		await page.getByRole('button', { name: 'Opslaan' }).click();
		await page.waitForURL(/\/meetplan\?opgeslagen=VV-T1#VV-T1$/);
		expect(await page.locator('main').textContent()).toContain('Lanterfantertijd (bewerkt)');
		await page.goto(edit);
		expect(await page.getByLabel('Titel').inputValue()).toBe('Lanterfantertijd (bewerkt)');
		expect(await page.getByLabel('Niveau op de systeemkaart (optioneel)').inputValue()).toBe('2');

		await page.goto(`${server.url}${VV}/meetplan/knooppunten/nieuw?niveau=thema`);
		await page.getByLabel('Code').fill('VV-T9');
		await page.getByLabel('Themanummer').fill('9');
		await page.getByLabel('Titel').fill('Een nieuw thema uit de browsertest');
		await page.getByLabel('Niveau op de systeemkaart (optioneel)').selectOption('3');
		await page.getByRole('button', { name: 'Toevoegen' }).click();
		await page.waitForURL(/\/meetplan\?opgeslagen=VV-T9#VV-T9$/);
		const outline = await page.locator('main').textContent();
		expect(outline).toContain('Een nieuw thema uit de browsertest');
		expect(outline).toContain('Lanterfantertijd (bewerkt)');
		await page.goto(`${server.url}${VV}/meetplan/knooppunten/VV-T9`);
		expect(await page.getByLabel('Themanummer').inputValue()).toBe('9');
		expect(await page.getByLabel('Niveau op de systeemkaart (optioneel)').inputValue()).toBe('3');
		await page.close();
	});

	it('should take an upload far above 512 KB through the built server, by API and on the import page', async () => {
		expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start).toContain(
			'BODY_SIZE_LIMIT=${BODY_SIZE_LIMIT:-64M}'
		);
		const kompas = (await (
			await serverClient(server.url, () => ({ cookie })).api.v1.programmes[':slug'].kompas.$get({
				param: { slug: 'vleuten-versterkt' }
			})
		).json()) as Json;
		const nodes = [
			...kompas.ambitions,
			...kompas.outcomes,
			...kompas.themes.flatMap((t: any) => [t, ...t.nextSteps.flatMap((s: any) => [s, ...s.solutions])])
		];
		const numeric = nodes.flatMap((n: any) => n.indicators).filter((i: any) => !i.derived && i.unit !== 'text');
		const regions = [
			'utrecht',
			'vleuten-de-meern',
			'obs-haarzicht',
			'amadeus-lyceum',
			'volt-toekomstmakers',
			'limus-college',
			'hockeyclub-fletiomare',
			'cultuur19'
		];
		const file = (year: number) => {
			const lines = ['indicator;regio;datum;waarde;n;bron;toelichting'];
			for (let day = 1; day <= 60; day++)
				for (const ind of numeric)
					for (const r of regions)
						// 7,5 fits every plan's range (scores 1–10, percentages 0–100)
						lines.push(
							`${ind.code};${r};${(day % 28) + 1}-${Math.ceil(day / 28)}-${year};${ind.unit === 'count' ? 12 : '7,5'};40;Grote peiling;toelichting bij een grote upload`
						);
			return `\uFEFF${lines.join('\r\n')}\r\n`;
		};
		const api = file(2020);
		expect(Buffer.byteLength(api)).toBeGreaterThan(512 * 1024);
		const res = await fetch(`${server.url}/api/v1/programmes/vleuten-versterkt/measurements/import`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'text/csv' },
			body: api
		});
		const rows = api.split('\r\n').length - 2;
		expect(await res.json()).toEqual({ rows, added: rows, replaced: 0, unchanged: 0 });

		// the same request to a server without that setting: adapter-node's default refuses it
		const plain = await startServer({ DATABASE_URL: dbFile });
		try {
			const refused = await fetch(`${plain.url}/api/v1/programmes/vleuten-versterkt/measurements/import`, {
				method: 'POST',
				headers: { cookie, origin: plain.url, 'content-type': 'text/csv' },
				body: api
			});
			expect(refused.status).toBe(413);
		} finally {
			await plain.stop();
		}

		const upload = join(TMP, `e2e-upload-${process.pid}.csv`);
		writeFileSync(upload, file(2021));
		const page = await lead.newPage();
		await page.goto(`${server.url}${VV}/metingen/import`);
		await page.getByLabel('Bestand (.xlsx of .csv)').setInputFiles(upload);
		await page.getByRole('button', { name: 'Importeren' }).click();
		// counts are grouped in thousands, the Dutch way: 14.880
		await page.getByText(`${dutchCount(rows)} rijen, ${dutchCount(rows)} toegevoegd`).waitFor({ timeout: 30_000 });
		await page.close();
	});
});
