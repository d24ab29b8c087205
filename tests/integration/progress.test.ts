import { unflatten } from 'devalue';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { schoolYearOf } from '../../src/lib/domain/phase-calendar.ts';
import type { ThemeProgress } from '../../src/lib/domain/programme-progress.ts';
import { formatProgress } from '../../src/lib/domain/progress.ts';
import { createApi } from '../../src/lib/server/api/app.ts';
import { dashboard } from '../../src/lib/server/services/dashboard.service.ts';
import { programmeOverview } from '../../src/lib/server/services/overview.service.ts';

import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { valueOf } from '../helpers/result.ts';
import { report } from '../../src/lib/server/services/report.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, bodyOf, serverClient } from '../helpers/client.ts';
import { loadRows, recompute } from '../helpers/recompute.ts';

const SLUG = 'vleuten-versterkt';
/**
 * A fixed today, the same for the built server (its clock starts there) and in-process code (only Date is
 * faked): in phase November of school year 2026-2027, which the start-up adds from the template.
 */
const TODAY = '2026-11-15';
const NOW = `${TODAY}T10:00:00Z`;

/** The numbers of a theme card that the API, both pages and the domain functions must agree on. */
interface ThemeNumbers {
	code: string;
	progress: number | null;
	status: string | null;
	decision: string | null;
	actions: number;
	reached: { jongeren: number; ouders: number; professionals: number; total: number };
	indicators: number;
	indicatorsWithoutData: number;
}
// progress is a mean of fractions: equal up to rounding in the last bits
const rounded = (n: ThemeNumbers): ThemeNumbers => ({
	...n,
	progress: n.progress === null ? null : Math.round(n.progress * 1e9) / 1e9
});
const fromCard = (t: ThemeProgress): ThemeNumbers =>
	rounded({
		code: t.code,
		progress: t.progress,
		status: t.evaluation?.status ?? null,
		decision: t.evaluation?.decision ?? null,
		actions: t.actions,
		reached: t.reached,
		indicators: t.indicatorCount,
		indicatorsWithoutData: t.indicatorsWithoutData
	});

/**
 * The numbers of each theme card recomputed straight from the tables, apart from the service, its SQL and
 * the domain's figure rules (tests/helpers/recompute.ts). Without a phase: the phase today falls in.
 */
async function expectedThemes(db: TestDb, selection: { region?: string; phase?: string }): Promise<ThemeNumbers[]> {
	const rows = await loadRows(db.db, SLUG);
	const period = selection.phase ?? String(rows.phases.find((p) => p.start <= TODAY && TODAY <= p.end)!.id);
	return recompute(rows, { region: selection.region ?? null, period }).themes.map((t) =>
		rounded({
			code: t.code,
			progress: t.progress,
			status: t.status,
			decision: t.decision,
			actions: t.actions,
			reached: t.reached,
			indicators: t.indicators,
			indicatorsWithoutData: t.indicatorsWithoutData
		})
	);
}

describe.each(DIALECTS)('progress, dashboard and report on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let cookie: string;
	let phaseIds: number[];
	const get = (path: string) => fetch(server.url + path, { headers: { cookie } });
	/** The typed client (Hono RPC) for the API calls: paths, queries and the progress answer are checked. */
	const programme = () => serverClient(server.url, () => ({ cookie })).api.v1.programmes[':slug'];
	const param = { slug: SLUG };

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		const fixture = await addActivity(db.db, SLUG);
		phaseIds = fixture.phases.map((p) => p.id);
		const funder = await createAccount(db.db, { role: 'funder', programme: SLUG });
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', QUERY_STATS: 'true' }, { now: NOW });
		cookie = await signIn((path, init) => fetch(server.url + path, init), funder);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	const selections = () => [
		{},
		{ region: 'vleuten-de-meern' },
		{ region: 'obs-haarzicht', phase: String(phaseIds[1]) },
		{ phase: '2024-2025' },
		{ region: 'utrecht', phase: String(phaseIds[2]) }
	];
	const pageQuery = (s: { region?: string; phase?: string }) =>
		new URLSearchParams([
			...(s.region ? [['regio', s.region]] : []),
			...(s.phase ? [['fase', s.phase]] : [])
		]).toString();
	/** A page's data as its load function returned it: SvelteKit's __data.json, the last node being the page's. */
	const pageData = async (path: string, query: string): Promise<unknown> => {
		const res = await get(`${path}/__data.json?${query}`);
		expect(res.status, path).toBe(200);
		const { nodes } = (await res.json()) as { nodes: ({ type: string; data: unknown[] } | null)[] };
		return unflatten(nodes.at(-1)!.data as never);
	};
	const progressIn = (html: string, code: string) =>
		new RegExp(`data-theme="${code}"[\\s\\S]*?data-progress[^>]*>([^<]*)<`).exec(html)?.[1];

	it('should give every programme today’s school year at start-up, before anything is read', async () => {
		const years = await db.db
			.selectFrom('school_years as y')
			.innerJoin('programmes as p', 'p.id', 'y.programme_id')
			.select(['p.slug', 'y.name'])
			.where('y.name', '=', schoolYearOf(TODAY))
			.execute();
		expect(years.map((y) => y.slug).sort()).toEqual(['vleuten-versterkt', 'zkl-onder-druk']);
	});

	it('should show the same theme cards in the API, the dashboard, the report and the CSV as the domain functions', async () => {
		const seen: ThemeNumbers[] = [];
		const figures: { value: { n: number | null } | null }[] = [];
		for (const s of selections()) {
			const expected = await expectedThemes(db, s);
			const where = JSON.stringify(s);
			expect(expected.some((t) => t.progress !== null)).toBe(true);
			seen.push(...expected);

			const body = await bodyOf(await programme().progress.$get({ param, query: s }), 200);
			expect(
				body.themes.map((t) =>
					rounded({
						code: t.code,
						progress: t.progress,
						status: t.status,
						decision: t.decision,
						actions: t.actions,
						reached: t.reached,
						indicators: t.indicators,
						indicatorsWithoutData: t.indicatorsWithoutData
					})
				),
				`API ${where}`
			).toEqual(expected);

			// what the pages' load functions hand to the browser (SvelteKit's data endpoint), and what they render
			const dashboard = (await pageData(`/p/${SLUG}/dashboard`, pageQuery(s))) as { view: { themes: ThemeProgress[] } };
			expect(dashboard.view.themes.map(fromCard), `dashboard ${where}`).toEqual(expected);
			const rapport = (await pageData(`/p/${SLUG}/rapport`, pageQuery(s))) as { report: { themes: ThemeProgress[] } };
			expect(rapport.report.themes.map(fromCard), `rapport ${where}`).toEqual(expected);
			for (const page of ['dashboard', 'rapport']) {
				const res = await get(`/p/${SLUG}/${page}?${pageQuery(s)}`);
				expect(res.status).toBe(200);
				const html = await res.text();
				for (const t of expected)
					expect(progressIn(html, t.code), `${page} ${t.code} ${where}`).toBe(formatProgress(t.progress));
			}
			const html = await (await get(`/p/${SLUG}/dashboard?${pageQuery(s)}`)).text();
			for (const t of expected) {
				const card = new RegExp(
					`data-theme="${t.code}"[\\s\\S]*?data-fresh[^>]*>(\\d+) van (\\d+) indicatoren? met recente gegevens[\\s\\S]*?data-actions[^>]*>([^<]*)<`
				).exec(html);
				// the card says how many indicators have recent data: those not without data
				expect(card?.slice(1).map(Number), `dashboard card ${t.code} ${where}`).toEqual([
					t.indicators - t.indicatorsWithoutData,
					t.indicators,
					t.actions
				]);
			}

			const csv = parse(await (await programme()['report.csv'].$get({ param, query: s })).text(), {
				columns: true
			}) as Record<string, string>[];
			const titles = await db.db.selectFrom('themes').select(['code', 'title']).execute();
			for (const t of expected) {
				const row = csv.find((r) => r.thema === titles.find((x) => x.code === t.code)!.title);
				expect(row?.['voortgang thema (%)'] ?? '').toBe(
					t.progress === null ? '' : String(Math.round(t.progress * 1000) / 10)
				);
			}
			// every figure in the download is the API's, with its date, n and whether it is verouderd
			expect(csv.map((r) => r.code).sort(), `report.csv ${where}`).toEqual(body.indicators.map((i) => i.code).sort());
			for (const i of body.indicators) {
				const row = csv.find((r) => r.code === i.code)!;
				const figure = [row.waarde, row['datum waarde'], row.n, row.verouderd, row['datum verouderde waarde']];
				expect(figure, `report.csv ${i.code} ${where}`).toEqual([
					i.value ? String(Math.round(i.value.value * 100) / 100) : '',
					i.value?.date ?? '',
					i.value?.n == null ? '' : String(i.value.n),
					i.value ? 'nee' : i.stale ? 'ja' : '',
					i.value ? '' : (i.stale?.date ?? '')
				]);
			}
			figures.push(...body.indicators);
		}
		// the selections exercise every field, not only empty ones
		expect(figures.some((i) => i.value !== null && i.value.n !== null)).toBe(true);
		expect(seen.some((t) => t.status !== null && t.decision !== null)).toBe(true);
		expect(seen.some((t) => t.actions > 0 && t.reached.ouders > 0 && t.reached.professionals > 0)).toBe(true);
		expect(seen.some((t) => t.indicatorsWithoutData > 0 && t.indicatorsWithoutData < t.indicators)).toBe(true);
	});

	it('should count only approved measurements', async () => {
		// the fixture's submitted value 99 (n = 1000) in the fourth phase would dominate a weighted mean
		const body = await bodyOf(
			await programme().progress.$get({ param, query: { phase: String(phaseIds[3]), region: 'obs-haarzicht' } }),
			200
		);
		const expected = await expectedThemes(db, { region: 'obs-haarzicht', phase: String(phaseIds[3]) });
		expect(body.themes.map((t) => (t.progress === null ? null : Math.round(t.progress * 1e9) / 1e9))).toEqual(
			expected.map((t) => t.progress)
		);
	});

	it('should say "geen data" for a region without any data, never 0%', async () => {
		// the demo values of ZKL sit at Haarlem; take the demo actions away from one of its schools
		const kring = await db.db
			.selectFrom('regions')
			.select('id')
			.where('slug', '=', 'obs-de-kring')
			.executeTakeFirstOrThrow();
		await db.db.deleteFrom('actions').where('region_id', '=', kring.id).execute();
		expect((await get('/p/zkl-onder-druk/dashboard?regio=obs-de-kring')).status).toBe(404); // not for a funder of Vleuten
		const zkl = await createAccount(db.db, { role: 'funder', programme: 'zkl-onder-druk' });
		const zklCookie = await signIn((path, init) => fetch(server.url + path, init), zkl);
		const html = await (
			await fetch(`${server.url}/p/zkl-onder-druk/dashboard?regio=obs-de-kring`, { headers: { cookie: zklCookie } })
		).text();
		const cards = [...html.matchAll(/data-progress[^>]*>([^<]*)</g)].map((m) => m[1]);
		expect(cards.length).toBeGreaterThan(0);
		expectEvery(cards, (c) => c === 'geen data');
		expect(html).not.toMatch(/data-progress[^>]*>0%</);
		const withData = await (
			await fetch(`${server.url}/p/zkl-onder-druk/dashboard?regio=haarlem`, { headers: { cookie: zklCookie } })
		).text();
		expect([...withData.matchAll(/data-progress[^>]*>([^<]*)</g)].some((m) => m[1] !== 'geen data')).toBe(true);
	});

	it('should refuse an unknown region or phase with a 400 that names it', async () => {
		const r1 = await bodyOf(await programme().progress.$get({ param, query: { region: 'nergens' } }), 400);
		expect(r1.error.issues?.[0].path).toBe('region');
		const r2 = await programme().progress.$get({ param, query: { phase: '1999-2000' } });
		expect(r2.status).toBe(400);
		expect((await get(`/p/${SLUG}/dashboard?fase=999999`)).status).toBe(400);
	});

	it('should give the report as XLSX with the CSV rows, numbers as numbers', async () => {
		const res = await programme()['report.xlsx'].$get({ param, query: { phase: '2024-2025' } });
		expect(res.status).toBe(200);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await res.arrayBuffer());
		const sheet = workbook.getWorksheet('Indicatoren')!;
		const csv = (await (await programme()['report.csv'].$get({ param, query: { phase: '2024-2025' } })).text())
			.trim()
			.split('\n');
		expect(sheet.rowCount).toBe(csv.length);
		const headers = sheet.getRow(1).values as unknown[];
		const baselines = sheet
			.getColumn(headers.indexOf('nulmeting'))
			.values.slice(2)
			.filter((v) => v !== null && v !== undefined);
		expect(baselines.length).toBeGreaterThan(10);
		expectEvery(baselines, (v) => typeof v === 'number');
		const dutch = Buffer.from(
			await (
				await programme()['report.csv'].$get({ param, query: { phase: '2024-2025', dialect: 'excel-nl' } })
			).arrayBuffer()
		);
		expect([...dutch.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(dutch.toString('utf8').split('\r\n')[0]).toContain(';');
	});

	it('should stay within 10 SQL queries for a dashboard request', async () => {
		for (const s of selections()) {
			const res = await get(`/p/${SLUG}/dashboard?${pageQuery(s)}`);
			await res.arrayBuffer();
			expect(Number(res.headers.get('x-query-count'))).toBeGreaterThan(0);
			expect(Number(res.headers.get('x-query-count'))).toBeLessThanOrEqual(10);
		}
	});

	it('should list every programme the actor may see on the overview', async () => {
		const html = await (await get('/overzicht')).text();
		expect(html).toContain(`data-programme="${SLUG}"`);
		expect(html).not.toContain('data-programme="zkl-onder-druk"');
		expect(html).toMatch(/data-completeness[^>]*>\d+%/);
	});

	it('should show a funder only shareable stories on the dashboard and the report, a lead all of them', async () => {
		const p = await db.db.selectFrom('programmes').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow();
		const [a, b] = await db.db
			.selectFrom('next_steps')
			.select('id')
			.where('programme_id', '=', p.id)
			.orderBy('id')
			.limit(2)
			.execute();
		const region = await db.db
			.selectFrom('regions')
			.select('id')
			.where('slug', '=', 'obs-haarzicht')
			.executeTakeFirstOrThrow();
		const story = (stepId: number, quote: string, shareable: boolean) => ({
			programme_id: p.id,
			date: '2025-06-30',
			next_step_id: stepId,
			kind: 'gesprek' as const,
			region_id: region.id,
			reached_jongeren: 1,
			reached_ouders: 0,
			reached_professionals: 0,
			description: 'Verhaaltest',
			quote,
			quote_public: shareable ? 1 : 0,
			demo: 0
		});
		// the newest story of each next step in the school year: inserted last, so newest by date and id
		await db.db
			.insertInto('actions')
			.values([
				story(a.id, 'Gedeeld verhaal uit de test', true),
				story(b.id, 'Niet gedeeld verhaal uit de test', false)
			])
			.execute();
		const lead = await createAccount(db.db, { role: 'lead', programme: SLUG });
		const leadCookie = await signIn((path, init) => fetch(server.url + path, init), lead);
		for (const page of ['dashboard', 'rapport']) {
			const funderHtml = await (await get(`/p/${SLUG}/${page}?fase=2024-2025`)).text();
			expect(funderHtml, page).toContain('Gedeeld verhaal uit de test');
			expect(funderHtml, page).not.toContain('Niet gedeeld verhaal uit de test');
		}
		const leadHtml = await (
			await fetch(`${server.url}/p/${SLUG}/dashboard?fase=2024-2025`, { headers: { cookie: leadCookie } })
		).text();
		expect(leadHtml).toContain('Niet gedeeld verhaal uit de test');
	});
});

describe.each(DIALECTS)('default period on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	const programme = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];
	const progressOf = async (slug: string) =>
		bodyOf(await programme().progress.$get({ param: { slug }, query: {} }), 200);
	const phasesOf = async (slug: string) => bodyOf(await programme().phases.$get({ param: { slug } }), 200);
	// today's school year and phase are the default
	const expectToday = (period: { schoolYear: string | null; phase: string | null; start: string | null }) =>
		expect(period).toEqual({ schoolYear: '2026-2027', phase: 'November', start: '2026-11-01' });

	beforeAll(async () => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'] });
		// a fresh database with only the plans' school years (2024-2025): nobody opened the phases, no server
		// start-up ran (its demo seed would create the school years up to today)
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: false });
		api = createApi(db);
		cookie = await signIn(
			(path, init) => Promise.resolve(api.request(path, init)),
			await createAccount(db.db, 'admin')
		);
	}, 120_000);
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	const currentYears = () =>
		db.db.selectFrom('school_years').select('programme_id').where('name', '=', schoolYearOf(TODAY)).execute();

	it('should answer the progress API with the school year and phase of today, the same before and after the phases were opened', async () => {
		expect(await currentYears()).toEqual([]);
		const first = await progressOf(SLUG);
		expectToday({ schoolYear: first.schoolYear, phase: first.phase?.name ?? null, start: first.phase?.start ?? null });
		await phasesOf(SLUG);
		expect(await progressOf(SLUG)).toEqual(first);
		expect(await currentYears()).toHaveLength(1);
	});

	it('should give the dashboard, the report and the overview that same default when they are the first to read', async () => {
		const zkl = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'zkl-onder-druk')
			.executeTakeFirstOrThrow();
		const admin = {
			userId: 0,
			name: 'admin',
			email: 'admin@test.nl',
			isAdmin: true,
			roles: {},
			via: 'session'
		} as const;
		const board = valueOf(await dashboard({ db: db.db, programme: zkl, actor: admin }, {}));
		const start =
			board.schoolYears.flatMap((y) => y.phases).find((p) => String(p.id) === board.selection.phase)?.start ?? null;
		expectToday({ schoolYear: board.selection.schoolYear, phase: board.selection.phaseName, start });
		const view = valueOf(await report({ db: db.db, programme: zkl }, {}));
		expect(view.selection).toEqual(board.selection);
		const overview = (await programmeOverview({ db: db.db, actor: admin })).find((r) => r.slug === 'zkl-onder-druk')!;
		expect(overview.period).toBe(`${board.selection.phaseName} ${board.selection.schoolYear}`);
		await phasesOf('zkl-onder-druk');
		const api = await progressOf('zkl-onder-druk');
		expect({ schoolYear: api.schoolYear, phase: api.phase?.name }).toEqual({
			schoolYear: board.selection.schoolYear,
			phase: board.selection.phaseName
		});
		expect(await currentYears()).toHaveLength(2);
	});

	it('should make sure of it inside a caller’s transaction too, as an evaluation’s snapshot reads progress', async () => {
		const vv = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
		const year = await db.db
			.selectFrom('school_years')
			.select('id')
			.where('programme_id', '=', vv.id)
			.where('name', '=', schoolYearOf(TODAY))
			.executeTakeFirstOrThrow();
		await db.db.deleteFrom('phases').where('school_year_id', '=', year.id).execute();
		await db.db.deleteFrom('school_years').where('id', '=', year.id).execute();
		const ctx = valueOf(await db.db.transaction().execute((tx) => loadProgress({ db: tx, programme: vv })));
		const { period } = ctx.progress;
		expectToday({
			schoolYear: period.schoolYear?.name ?? null,
			phase: period.phase?.name ?? null,
			start: period.phase?.start ?? null
		});
		expect(await currentYears()).toHaveLength(2);
	});
});
