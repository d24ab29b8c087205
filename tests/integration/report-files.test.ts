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
import { REPORT_TABLES } from '../../src/lib/server/services/report.service.ts';

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
		expect(workbook.worksheets.map((w) => w.name)).toEqual(['Indicatoren', "Thema's", 'Evaluaties', 'Verhalen']);
		for (const [sheet, tabel] of [
			['Indicatoren', 'indicatoren'],
			["Thema's", 'themas'],
			['Evaluaties', 'evaluaties'],
			['Verhalen', 'verhalen']
		] as const)
			expect(workbook.getWorksheet(sheet)!.rowCount - 1, sheet).toBe((await csv(tabel)).length);
		const actions = workbook.getWorksheet("Thema's")!.getColumn(9).values.slice(2);
		expectEvery(actions, (v) => typeof v === 'number');
		// plain numbers keep the General format: 7 is shown as "7", not "7."
		expect(workbook.getWorksheet('Indicatoren')!.getColumn(8).numFmt ?? 'General').not.toBe('0.##');
	});

	it('should refuse an unknown table with a Dutch message', async () => {
		const res = await get(`${API}/report.csv?tabel=alles`);
		expect(res.status).toBe(400);
		expect(
			((await res.json()) as { error: { issues: { path: string; message: string }[] } }).error.issues[0]
		).toMatchObject({ path: 'tabel', message: expect.stringMatching(/^Kies tabel/) });
	});
});
