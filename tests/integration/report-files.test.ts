import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, bodyOf } from '../helpers/client.ts';
import { REPORT_TABLES, report } from '../../src/lib/server/services/report.service.ts';
import { STATUS_LABEL, TREND_LABEL } from '../../src/lib/domain/on-track.ts';

const SLUG = 'vleuten-versterkt';
const API = `/api/v1/programmes/${SLUG}`;
const PERIOD = { phase: '2024-2025' };

describe.each(DIALECTS)('the report as files (every table of the report) on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	/** The typed client (Hono RPC); the refused table below goes raw, as the client would not send it. */
	const programme = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];
	const param = { slug: SLUG };
	const get = (path: string) => Promise.resolve(api.request(path, { headers: { cookie } }));
	const csv = async (tabel: (typeof REPORT_TABLES)[number]) =>
		parse(await (await programme()['report.csv'].$get({ param, query: { ...PERIOD, tabel } })).text(), {
			columns: true
		}) as Record<string, string>[];

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		await addActivity(db.db, SLUG);
		api = createApi(db);
		cookie = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'funder', programme: SLUG })
		);
	});
	afterAll(async () => db?.drop());

	it("should give the theme cards with the progress API's numbers", async () => {
		const { themes } = await bodyOf(await programme().progress.$get({ param, query: PERIOD }), 200);
		const rows = await csv('themas');
		expect(rows.map((r) => r.thema)).toEqual(themes.map((t) => t.title));
		for (const [i, t] of themes.entries()) {
			expect(rows[i]['voortgang (%)']).toBe(t.progress === null ? '' : String(Math.round(t.progress * 1000) / 10));
			expect(Number(rows[i].acties)).toBe(t.actions);
			expect(Number(rows[i]['bereikt: totaal'])).toBe(t.reached.total);
			expect(Number(rows[i]['indicatoren zonder data'])).toBe(t.indicatorsWithoutData);
		}
		expect(themes.reduce((s, t) => s + t.actions, 0)).toBeGreaterThan(0);
		expect(rows.some((r) => r['laatste evaluatie: besluit'] !== '')).toBe(true);
	});

	it('should give the final evaluation decisions in words, and only shareable stories', async () => {
		const evaluations = await csv('evaluaties');
		expect(evaluations.length).toBeGreaterThan(0);
		for (const e of evaluations)
			expect(['Voortzetten', 'Versterken', 'Bijstellen', 'Stoppen', '']).toContain(e.besluit);
		const stories = await csv('verhalen');
		expect(stories.length).toBeGreaterThan(0);
		expectEvery(stories, (s) => !s['verhaal (deelbaar)'].includes('(intern)'));
	});

	it('should put every table on its own XLSX sheet with the CSV rows, numbers as numbers', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await (await programme()['report.xlsx'].$get({ param, query: PERIOD })).arrayBuffer());
		expect(workbook.worksheets.map((w) => w.name)).toEqual([
			'Indicatoren',
			"Thema's",
			'Evaluaties',
			'Verhalen',
			'Buiten de fasen'
		]);
		for (const [sheet, tabel] of [
			['Indicatoren', 'indicatoren'],
			["Thema's", 'themas'],
			['Evaluaties', 'evaluaties'],
			['Verhalen', 'verhalen'],
			['Buiten de fasen', 'buiten-fasen']
		] as const)
			expect(workbook.getWorksheet(sheet)!.rowCount - 1, sheet).toBe((await csv(tabel)).length);
		const actions = workbook.getWorksheet("Thema's")!.getColumn(9).values.slice(2);
		expectEvery(actions, (v) => typeof v === 'number');
		// plain numbers keep the General format: 7 is shown as "7", not "7."
		const indicators = workbook.getWorksheet('Indicatoren')!;
		const baseline = (indicators.getRow(1).values as unknown[]).indexOf('nulmeting');
		expect(baseline).toBeGreaterThan(0);
		expect(indicators.getColumn(baseline).numFmt ?? 'General').not.toBe('0.##');
	});

	it('should add status, trend, expected progress and coverage in words, as the report page has them', async () => {
		const programmeRow = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', SLUG)
			.executeTakeFirstOrThrow();
		const view = await report({ db: db.db, programme: programmeRow }, PERIOD);
		if (!view.ok) throw new Error(view.refusal.message);
		const themes = await csv('themas');
		expect(themes.length).toBe(view.value.themes.length);
		for (const [n, t] of view.value.themes.entries()) {
			expect(themes[n].status, t.title).toBe(t.status === null ? 'niet te bepalen' : STATUS_LABEL[t.status]);
			expect(themes[n].trend, t.title).toBe(t.trend === null ? 'geen trend' : TREND_LABEL[t.trend]);
			expect(themes[n].dekking, t.title).toBe(
				`${t.indicatorsFresh} van ${t.indicatorCount} indicatoren met recente gegevens`
			);
			expect(themes[n]['verwachte voortgang (%)'], t.title).toBe(
				t.expected === null ? '' : String(Math.round(t.expected * 1000) / 10)
			);
		}
		const indicators = await csv('indicatoren');
		const figures = view.value.themes.flatMap((t) => t.rows).filter((i) => i.unit !== 'text');
		for (const i of figures) {
			const r = indicators.find((row) => row.code === i.code)!;
			expect(r.status, i.code).toBe(i.status === null ? 'niet te bepalen' : STATUS_LABEL[i.status]);
			expect(r.trend, i.code).toBe(i.trend === null ? 'geen trend' : TREND_LABEL[i.trend]);
			expect(r['datum vorige waarde'], i.code).toBe(i.trendBasis?.previous.date ?? '');
		}
		// the selection holds a status and a trend in words, not only their absence
		expect(figures.some((i) => i.status === 'op_koers' || i.status === 'achter')).toBe(true);
		expect(figures.some((i) => i.trend !== null)).toBe(true);
		expect(themes.some((r) => ['op koers', 'achter'].includes(r.status))).toBe(true);
	});

	it('should refuse an unknown table with a Dutch message', async () => {
		const res = await get(`${API}/report.csv?tabel=alles`);
		expect(res.status).toBe(400);
		expect(
			((await res.json()) as { error: { issues: { path: string; message: string }[] } }).error.issues[0]
		).toMatchObject({ path: 'tabel', message: expect.stringMatching(/^Kies tabel/) });
	});
});

/**
 * Every figure in the downloads is dated, with its n, what it covers, whether it is verouderd, and a demo flag
 * for value, baseline and target apart — checked on a selection (Vleuten-De Meern, November 2024) that holds
 * a stale value, a figure combined from two schools, a national baseline and an action in the summer.
 */
describe.each(DIALECTS)('the figures in the report files on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	let query: { region: string; phase: string };
	const programme = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];
	const param = { slug: SLUG };
	const download = async (tabel: (typeof REPORT_TABLES)[number], dialect: 'plain' | 'excel-nl' = 'plain') =>
		parse(await (await programme()['report.csv'].$get({ param, query: { ...query, tabel, dialect } })).text(), {
			columns: true,
			delimiter: dialect === 'plain' ? ',' : ';',
			bom: true
		}) as Record<string, string>[];
	const rowOf = (rows: Record<string, string>[], code: string) => {
		const row = rows.find((r) => r.code === code);
		expect(row, code).toBeDefined();
		return row!;
	};

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const { programme: p, phases, steps, regions } = await addActivity(db.db, SLUG);
		const slugId = (slug: string) => regions.find((r) => r.slug === slug)!.id;
		const indicator = (code: string) =>
			db.db.selectFrom('indicators').select('id').where('code', '=', code).executeTakeFirstOrThrow();
		query = { region: 'vleuten-de-meern', phase: String(phases[2].id) };
		// a yearly value of March 2023 is valid until June 2024: verouderd in November 2024
		await db.db
			.insertInto('measurements')
			.values({
				indicator_id: (await indicator('VV-MR-1-JEUGDHULP')).id,
				region_id: slugId('vleuten-de-meern'),
				date: '2023-03-01',
				value: 12.5,
				n: 340,
				source: 'Jeugdmonitor (test)',
				status: 'approved',
				demo: 1
			})
			.execute();
		// the Gezondheidsmonitor baseline is a national figure
		await db.db
			.updateTable('indicators')
			.set({ baseline_region: 'nederland' })
			.where('code', '=', 'VV-AMB-1-STRESS')
			.execute();
		// an action in the summer before the school year's first phase: counted in no phase, shown apart
		const solution = await db.db
			.selectFrom('solutions')
			.select('id')
			.where('code', '=', 'VV-T1-S1')
			.executeTakeFirstOrThrow();
		await db.db
			.insertInto('actions')
			.values({
				programme_id: p.id,
				date: '2024-08-20',
				next_step_id: steps[0].id,
				solution_id: solution.id,
				kind: 'sessie',
				region_id: slugId('obs-haarzicht'),
				reached_jongeren: 7,
				reached_ouders: 0,
				reached_professionals: 0,
				description: 'Zomersessie',
				quote: null,
				quote_public: 0,
				demo: 0
			})
			.execute();
		api = createApi(db);
		cookie = await signIn(
			(path, init) => Promise.resolve(api.request(path, init)),
			await createAccount(db.db, { role: 'funder', programme: SLUG })
		);
	});
	afterAll(async () => db?.drop());

	it('should give each figure its kind, value, date, n, coverage in words and demo flags, as the progress API has them', async () => {
		const rows = await download('indicatoren');
		const { indicators } = await bodyOf(await programme().progress.$get({ param, query }), 200);
		expect(rows.map((r) => r.code).sort()).toEqual(indicators.map((i) => i.code).sort());
		for (const i of indicators) {
			const r = rowOf(rows, i.code);
			const shown = i.value ?? i.stale;
			expect(r['soort waarde'], i.code).toBe(i.perPeriod ? 'opgeteld dit schooljaar' : 'laatste meting');
			expect(r.waarde, i.code).toBe(i.value ? String(Math.round(i.value.value * 100) / 100) : '');
			expect(r['datum waarde'], i.code).toBe(i.value?.date ?? '');
			expect(r.n, i.code).toBe(i.value?.n === null || !i.value ? '' : String(i.value.n));
			expect(r.verouderd, i.code).toBe(shown ? (i.value ? 'nee' : 'ja') : '');
			expect(r['datum verouderde waarde'], i.code).toBe(i.value ? '' : (i.stale?.date ?? ''));
			expect(r['waarde demo'], i.code).toBe(shown ? (shown.demo ? 'ja' : 'nee') : '');
			expect(r['nulmeting demo'], i.code).toBe(i.baseline ? (i.baseline.demo ? 'ja' : 'nee') : '');
			expect(r['streefwaarde demo'], i.code).toBe(i.target ? (i.target.demo ? 'ja' : 'nee') : '');
			expect(r.vergelijkbaarheid, i.code).toBe(i.comparability ?? 'vergelijkbaar');
			expect(['procent', 'aantal', 'score'], i.code).toContain(r.eenheid);
		}
		// the selection holds each kind, so none of the checks above ran over empty columns only
		expect(rows.some((r) => r['soort waarde'] === 'opgeteld dit schooljaar' && r.waarde !== '')).toBe(true);
		expect(rows.some((r) => r['nulmeting demo'] === 'nee') && rows.some((r) => r['nulmeting demo'] === 'ja')).toBe(
			true
		);
	});

	it('should say which schools a combined figure covers, with its n', async () => {
		const r = rowOf(await download('indicatoren'), 'VV-T1-AANDACHT');
		// 50 (n = 20) and 70 (n = 80) at two schools on 30 November
		expect([r.waarde, r['datum waarde'], r.n, r.verouderd, r['waarde demo']]).toEqual([
			'66',
			'2024-11-30',
			'100',
			'nee',
			'nee'
		]);
		expect(r.dekking).toMatch(/^gewogen gemiddelde van 2 van 6 regio's, n = 100; niet meegeteld: /);
		expect(r.dekking).toContain('Cultuur19 (geen gegevens)');
		expect(r.eenheid).toBe('procent');
	});

	it('should mark a value past its validity verouderd, with its date, and count nothing', async () => {
		const r = rowOf(await download('indicatoren'), 'VV-MR-1-JEUGDHULP');
		expect(r.thema).toBe('Maatschappelijk resultaat');
		expect([r.waarde, r['datum waarde'], r.n, r.dekking, r['voortgang (%)']]).toEqual(['', '', '', '', '']);
		expect([r.verouderd, r['verouderde waarde'], r['datum verouderde waarde'], r['waarde demo']]).toEqual([
			'ja',
			'12.5',
			'2023-03-01',
			'ja'
		]);
		// the real baseline and the invented target are flagged apart
		expect([r['nulmeting demo'], r['streefwaarde demo']]).toEqual(['nee', 'ja']);
		const nl = rowOf(await download('indicatoren', 'excel-nl'), 'VV-MR-1-JEUGDHULP');
		expect([nl['verouderde waarde'], nl['datum verouderde waarde']]).toEqual(['12,5', '1-3-2023']);
	});

	it('should label a national baseline as not comparable with the region', async () => {
		const r = rowOf(await download('indicatoren'), 'VV-AMB-1-STRESS');
		expect(r.vergelijkbaarheid).toBe('landelijke nulmeting — niet vergelijkbaar');
		expect(r['nulmeting gemeten voor']).toBe('Nederland (landelijk)');
		expect(r['nulmeting demo']).toBe('nee');
	});

	it('should list the summer\'s actions and values as "buiten de fasen", in its own table', async () => {
		const rows = await download('buiten-fasen');
		const themes = await db.db.selectFrom('themes').select(['title']).orderBy('id').execute();
		const actions = rows.filter((r) => r.soort === 'acties');
		expect(actions.map((r) => [r.thema, r.acties, r['bereikt: jongeren'], r['bereikt: totaal']])).toEqual([
			[themes[0].title, '1', '7', '7']
		]);
		const value = rowOf(rows, 'VV-T1-S1-BEREIK');
		expect([value.soort, value.waarde, value['datum (nieuwste)'], value.eenheid, value.demo]).toEqual([
			'waarde',
			'7',
			'2024-08-20',
			'aantal',
			'nee'
		]);
		const { outsidePhases } = await bodyOf(await programme().progress.$get({ param, query }), 200);
		expect(
			rows
				.filter((r) => r.soort === 'waarde')
				.map((r) => r.code)
				.sort()
		).toEqual([...outsidePhases.indicators].sort());
	});

	it('should write the same figures to XLSX with numbers as numbers and dates as dates', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await (await programme()['report.xlsx'].$get({ param, query })).arrayBuffer());
		const sheet = workbook.getWorksheet('Indicatoren')!;
		const headers = (sheet.getRow(1).values as unknown[]).slice(1);
		const cell = (code: string, header: string) => {
			const row = sheet
				.getRows(2, sheet.rowCount - 1)!
				.find((r) => r.getCell(headers.indexOf('code') + 1).value === code)!;
			return row.getCell(headers.indexOf(header) + 1).value;
		};
		expect(cell('VV-T1-AANDACHT', 'waarde')).toBe(66);
		expect(cell('VV-T1-AANDACHT', 'n')).toBe(100);
		expect(cell('VV-T1-AANDACHT', 'datum waarde')).toEqual(new Date('2024-11-30T00:00:00Z'));
		expect(cell('VV-MR-1-JEUGDHULP', 'verouderde waarde')).toBe(12.5);
		expect(cell('VV-MR-1-JEUGDHULP', 'datum verouderde waarde')).toEqual(new Date('2023-03-01T00:00:00Z'));
		expect(cell('VV-MR-1-JEUGDHULP', 'waarde demo')).toBe('ja');
		expect(sheet.rowCount - 1).toBe((await download('indicatoren')).length);
		const outside = workbook.getWorksheet('Buiten de fasen')!;
		expect(outside.rowCount - 1).toBe((await download('buiten-fasen')).length);
	});
});
