import { unflatten } from 'devalue';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { derivedPoints, type ActionFact } from '../../src/lib/domain/derived.ts';
import { phaseOf, schoolYearOf } from '../../src/lib/domain/phase-calendar.ts';
import { choosePeriod, figurePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';
import type { Aggregation, Direction } from '../../src/lib/domain/plan.schema.ts';
import { valueFromObservations, type ThemeProgress } from '../../src/lib/domain/programme-progress.ts';
import { formatProgress, indicatorProgress, meanProgress } from '../../src/lib/domain/progress.ts';
import { isPerPeriod, subtree, type Observation } from '../../src/lib/domain/rollup.ts';
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
import { parseDerivedRule } from '../../src/lib/domain/plan.schema.ts';

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
 * The numbers of each theme card computed straight from the tables with the domain functions, apart from
 * the service and its SQL: every approved value and every live action, rolled up in memory; the latest
 * final evaluation of the theme's next steps up to the period's end; actions and reach in the period.
 */
async function expectedThemes(db: TestDb, selection: { region?: string; phase?: string }): Promise<ThemeNumbers[]> {
	const p = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
	const regions = (await db.db.selectFrom('regions').selectAll().where('programme_id', '=', p.id).execute()).map(
		(r) => ({ ...r, parentId: r.parent_id })
	);
	const phases = await db.db
		.selectFrom('phases')
		.selectAll()
		.where('programme_id', '=', p.id)
		.orderBy('start_date')
		.execute();
	const years = await db.db.selectFrom('school_years').selectAll().where('programme_id', '=', p.id).execute();
	const spans = phases.map((ph) => ({
		id: ph.id,
		name: ph.name,
		start: ph.start_date,
		end: ph.end_date,
		evaluationDate: ph.evaluation_date
	}));
	const schoolYears: PeriodSchoolYear[] = years.map((y) => ({
		id: y.id,
		name: y.name,
		phases: spans.filter((s) => phases.find((ph) => ph.id === s.id)!.school_year_id === y.id)
	}));
	const period = choosePeriod(schoolYears, selection.phase ?? null, TODAY)!;
	const regionId = selection.region ? regions.find((r) => r.slug === selection.region)!.id : null;
	const themes = await db.db
		.selectFrom('themes')
		.selectAll()
		.where('programme_id', '=', p.id)
		.where('archived_at', 'is', null)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();
	const steps = (
		await db.db
			.selectFrom('next_steps')
			.selectAll()
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute()
	).filter((s) => themes.some((t) => t.id === s.theme_id));
	const solutions = (
		await db.db
			.selectFrom('solutions')
			.selectAll()
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.execute()
	).filter((o) => steps.some((s) => s.id === o.next_step_id));
	const indicators = await db.db
		.selectFrom('indicators')
		.selectAll()
		.where('programme_id', '=', p.id)
		.where('archived_at', 'is', null)
		.execute();
	const evaluations = await db.db
		.selectFrom('evaluations as e')
		.innerJoin('phases as ph', 'ph.id', 'e.phase_id')
		.select(['e.next_step_id', 'e.state', 'e.status', 'e.decision', 'ph.start_date'])
		.where('ph.programme_id', '=', p.id)
		.execute();
	const measurements = await db.db
		.selectFrom('measurements')
		.selectAll()
		.where('status', '=', 'approved')
		.where('value', 'is not', null)
		.execute();
	const actions = await db.db
		.selectFrom('actions as a')
		.innerJoin('next_steps as s', 's.id', 'a.next_step_id')
		.innerJoin('regions as r', 'r.id', 'a.region_id')
		.select([
			'a.date',
			's.theme_id',
			'a.next_step_id',
			'a.solution_id',
			'a.kind',
			'r.slug',
			'a.reached_jongeren',
			'a.reached_ouders',
			'a.reached_professionals'
		])
		.where('a.programme_id', '=', p.id)
		.where('a.deleted_at', 'is', null)
		.execute();
	const facts: ActionFact[] = actions.map((a) => ({
		date: a.date,
		themeId: a.theme_id,
		nextStepId: a.next_step_id,
		solutionId: a.solution_id,
		kind: a.kind,
		region: a.slug,
		reached: { jongeren: a.reached_jongeren, ouders: a.reached_ouders, professionals: a.reached_professionals }
	}));
	const inTree = new Set(subtree(regions, regionId).map((id) => regions.find((r) => r.id === id)!.slug));
	const themeOf = (i: (typeof indicators)[number]) =>
		i.theme_id ??
		steps.find((s) => s.id === (i.next_step_id ?? solutions.find((o) => o.id === i.solution_id)?.next_step_id))
			?.theme_id ??
		null;

	const latest = (i: (typeof indicators)[number]): number | null => {
		if (i.unit === 'text') return null;
		if (i.derived) {
			const node = i.solution_id
				? { level: 'solution' as const, id: i.solution_id }
				: i.next_step_id
					? { level: 'nextStep' as const, id: i.next_step_id }
					: { level: 'theme' as const, id: i.theme_id! };
			const points = derivedPoints(parseDerivedRule(i.derived)!, node, facts, spans).filter(
				(pt) =>
					inTree.has(pt.region) &&
					pt.phase.end <= period.window.end &&
					(period.window.start === null || pt.phase.start >= period.window.start)
			);
			return points.length ? points.reduce((s, pt) => s + pt.value, 0) : null;
		}
		const obs: Observation[] = measurements
			.filter((m) => m.indicator_id === i.id)
			.map((m) => ({ regionId: m.region_id, date: m.date, value: m.value!, n: m.n }));
		const rule = { aggregation: i.aggregation as Aggregation, frequency: i.frequency, derived: null };
		expect(isPerPeriod(rule)).toBe(i.aggregation === 'sum' && i.frequency === 'per_phase');
		return (
			valueFromObservations({ ...rule } as never, regions, obs, regionId, figurePeriod(period, spans)).figure?.value ??
			null
		);
	};
	const inPeriod = (date: string) =>
		period.phase
			? phaseOf(date, [period.phase]) !== null
			: (period.actions.start === null || date >= period.actions.start) && date <= period.actions.end;
	return themes.map((t) => {
		const mine = indicators.filter((i) => themeOf(i) === t.id);
		const numeric = mine.filter((i) => i.unit !== 'text');
		const stepIds = steps.filter((s) => s.theme_id === t.id).map((s) => s.id);
		// the latest phase with a final evaluation; within it the first next step in plan order
		const finals = evaluations
			.filter((e) => e.state === 'final' && stepIds.includes(e.next_step_id) && e.start_date <= period.window.end)
			.sort(
				(a, b) =>
					b.start_date.localeCompare(a.start_date) || stepIds.indexOf(a.next_step_id) - stepIds.indexOf(b.next_step_id)
			);
		const done = facts.filter((a) => stepIds.includes(a.nextStepId) && inTree.has(a.region) && inPeriod(a.date));
		const sum = (k: keyof ActionFact['reached']) => done.reduce((n, a) => n + a.reached[k], 0);
		const reached = { jongeren: sum('jongeren'), ouders: sum('ouders'), professionals: sum('professionals') };
		return rounded({
			code: t.code,
			progress: meanProgress(
				mine.map((i) =>
					indicatorProgress({
						direction: i.direction as Direction,
						baseline: i.baseline_value,
						target: i.target_value,
						latest: latest(i)
					})
				)
			),
			status: finals[0]?.status ?? null,
			decision: finals[0]?.decision ?? null,
			actions: done.length,
			reached: { ...reached, total: reached.jongeren + reached.ouders + reached.professionals },
			indicators: numeric.length,
			indicatorsWithoutData: numeric.filter((i) => latest(i) === null).length
		});
	});
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

			const csv = await (await programme()['report.csv'].$get({ param, query: s })).text();
			const lines = csv
				.trim()
				.split('\n')
				.map((l) => l.split(','));
			const col = lines[0].indexOf('voortgang thema (%)');
			const title = lines[0].indexOf('thema');
			const titles = await db.db.selectFrom('themes').select(['code', 'title']).execute();
			for (const t of expected) {
				const row = lines.find((l) => l[title] === titles.find((x) => x.code === t.code)!.title);
				expect(row?.[col] ?? '').toBe(t.progress === null ? '' : String(Math.round(t.progress * 1000) / 10));
			}
		}
		// the selections exercise every field, not only empty ones
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
		const baselines = sheet
			.getColumn(8)
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
