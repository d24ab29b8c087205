import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { ActionTable, MeasurementTable } from '../../src/lib/server/db/schema.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { lastValidDay, loadRows, type RecomputeRows } from '../helpers/recompute.ts';

/**
 * The scenarios of issue 13, through the progress API, on a fixed today (3 December 2026, in phase
 * December of school year 2026-2027): the default view of a fresh install, a parent value older than its
 * children's, a parent value added in a later phase, a national baseline against school values, and
 * actions dated in the summer.
 */

const NOW = '2026-12-03T10:00:00Z';
const SLUG = 'vleuten-versterkt';

interface Dated {
	value: number;
	date: string;
	n: number | null;
}
interface ApiIndicator {
	code: string;
	theme: number | null;
	perPeriod: boolean;
	value:
		| (Dated & {
				own: boolean;
				coverage: {
					used: string[];
					leftOut: { region: string; reason: string }[];
					n: number | null;
				} | null;
				phases: { phaseId: number; value: number }[] | null;
		  })
		| null;
	stale: Dated | null;
	progress: number | null;
	comparable: boolean;
	comparability: string | null;
}
interface Reach {
	jongeren: number;
	ouders: number;
	professionals: number;
	total: number;
}
interface ApiTheme {
	id: number;
	code: string;
	progress: number | null;
	actions: number;
	reached: Reach;
	indicators: number;
	indicatorsWithoutData: number;
	indicatorsFresh: number;
	outsidePhases: { actions: number; reached: Reach };
}
interface ApiProgress {
	schoolYear: string;
	phase: { id: number; name: string; start: string; end: string } | null;
	outsidePhases: { actions: number; reached: Reach; indicators: string[] };
	themes: ApiTheme[];
	indicators: ApiIndicator[];
}

async function setUp(dialect: (typeof DIALECTS)[number]) {
	vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'] });
	const db = await migratedDb(dialect);
	await loadBothPlans(db, { demo: true });
	const api = createApi(db);
	const cookie = await signIn(
		(path, init) => Promise.resolve(api.request(path, init)),
		await createAccount(db.db, 'admin')
	);
	const progress = async (query: Record<string, string> = {}): Promise<ApiProgress> => {
		const res = await api.request(`/api/v1/programmes/${SLUG}/progress?${new URLSearchParams(query)}`, {
			headers: { cookie }
		});
		expect(res.status).toBe(200);
		return (await res.json()) as ApiProgress;
	};
	return { db, progress };
}

const byCode = (body: ApiProgress, code: string) => body.indicators.find((i) => i.code === code)!;

describe.each(DIALECTS)('the Vleuten December 2026 default view on %s', (dialect) => {
	let db: TestDb;
	let progress: Awaited<ReturnType<typeof setUp>>['progress'];
	beforeAll(async () => {
		({ db, progress } = await setUp(dialect));
	}, 120_000);
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should show the phase of today, every figure dated within its validity and the fresh count per theme', async () => {
		const body = await progress();
		expect([body.schoolYear, body.phase?.name, body.phase?.start]).toEqual(['2026-2027', 'December', '2026-12-01']);
		const end = body.phase!.end;
		const rows: RecomputeRows = await loadRows(db.db, SLUG);
		const rule = (code: string) => rows.indicators.find((i) => i.code === code)!;
		const yearPhases = rows.phases.filter((p) => p.start >= '2026-09-01' && p.end <= end).map((p) => p.id);

		const withValue = body.indicators.filter((i) => i.value !== null);
		// a state is dated on or before the period's end and still valid there
		expectEvery(
			withValue.filter((i) => !i.perPeriod),
			(i) => i.value!.date <= end && lastValidDay(rows, rule(i.code), i.value!.date) >= end,
			'cumulative figures'
		);
		// a flow adds up this school year's phases only
		expectEvery(
			withValue.filter((i) => i.perPeriod),
			(i) =>
				i.value!.date >= '2026-09-01' &&
				i.value!.date <= end &&
				i.value!.phases!.length > 0 &&
				i.value!.phases!.every((p) => yearPhases.includes(p.phaseId)),
			'per-period figures'
		);
		// no progress without a fresh value; a stale value is past its validity and gives none
		expectEvery(
			body.indicators.filter((i) => i.progress !== null),
			(i) => i.value !== null,
			'indicators with progress'
		);
		for (const i of body.indicators.filter((x) => x.stale !== null)) {
			expect(i.value, i.code).toBeNull();
			expect(i.progress, i.code).toBeNull();
			expect(lastValidDay(rows, rule(i.code), i.stale!.date) < end, i.code).toBe(true);
		}
		// theme coverage: how many of its numeric indicators have a fresh value
		for (const t of body.themes) {
			const mine = body.indicators.filter((i) => i.theme === t.id);
			expect(t.indicators, t.code).toBe(mine.length);
			expect(t.indicatorsFresh, t.code).toBe(mine.filter((i) => i.value !== null).length);
			expect(t.indicatorsFresh + t.indicatorsWithoutData, t.code).toBe(t.indicators);
		}
		expect(body.themes.some((t) => t.indicatorsFresh > 0 && t.progress !== null)).toBe(true);
	});

	it('should mark a value past its validity stale: shown with its date, no progress, not fresh', async () => {
		const rows = await loadRows(db.db, SLUG);
		const before = await progress();
		const ind = rows.indicators.find(
			(i) =>
				i.frequency === 'per_phase' &&
				i.validMonths === null &&
				!i.derived &&
				i.themeId !== null &&
				byCode(before, i.code)?.progress !== null
		)!;
		expect(ind).toBeDefined();
		// nothing measured this school year: the newest value (30 June 2026) was valid to the end of September
		await db.db
			.deleteFrom('measurements')
			.where('indicator_id', '=', ind.id)
			.where('date', '>=', '2026-08-01')
			.execute();
		const body = await progress();
		const figure = byCode(body, ind.code);
		expect(figure.value).toBeNull();
		expect(figure.progress).toBeNull();
		expect(figure.stale?.date).toBe('2026-06-30');
		expect(lastValidDay(rows, ind, figure.stale!.date)).toBe('2026-09-30');
		const theme = (b: ApiProgress) => b.themes.find((t) => t.id === ind.themeId)!;
		expect(theme(body).indicatorsFresh).toBe(theme(before).indicatorsFresh - 1);
		expect(theme(body).indicatorsWithoutData).toBe(theme(before).indicatorsWithoutData + 1);
	});
});

describe.each(DIALECTS)('figure scenarios on %s', (dialect) => {
	let db: TestDb;
	let progress: Awaited<ReturnType<typeof setUp>>['progress'];
	let rows: RecomputeRows;
	const region = (slug: string) => rows.regions.find((r) => r.slug === slug)!.id;
	const phase = (start: string) => rows.phases.find((p) => p.start === start)!;
	const measure = (
		indicatorId: number,
		slug: string,
		date: string,
		value: number,
		n: number | null = null
	): Insertable<MeasurementTable> => ({
		indicator_id: indicatorId,
		region_id: region(slug),
		date,
		value,
		n,
		source: 'Scenariotest',
		status: 'approved',
		demo: 0
	});
	/** indicators measured (not derived) by number, none used twice */
	let free: RecomputeRows['indicators'];
	const take = (predicate: (i: RecomputeRows['indicators'][number]) => boolean) => {
		const hit = free.find(predicate);
		expect(hit).toBeDefined();
		free = free.filter((i) => i !== hit);
		return hit!;
	};

	beforeAll(async () => {
		({ db, progress } = await setUp(dialect));
		// only the scenario's own values: the demo actions stay (derived figures, theme actions)
		await db.db.deleteFrom('measurements').execute();
		rows = await loadRows(db.db, SLUG);
		free = rows.indicators.filter((i) => i.derived === null && i.unit !== 'text');
	}, 120_000);
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should let two schools’ October values win over an older value of their wijk (b)', async () => {
		const ind = take((i) => i.aggregation === 'weighted_mean' && i.themeId !== null);
		// valid for 24 months: the wijk's value is not stale, only older than the schools'
		await db.db.updateTable('indicators').set({ valid_months: 24 }).where('id', '=', ind.id).execute();
		await db.db
			.insertInto('measurements')
			.values([
				measure(ind.id, 'vleuten-de-meern', '2025-08-03', 90, 1000),
				measure(ind.id, 'obs-haarzicht', '2026-10-10', 40, 100),
				measure(ind.id, 'amadeus-lyceum', '2026-10-20', 60, 300)
			])
			.execute();
		const september = byCode(
			await progress({ region: 'vleuten-de-meern', phase: String(phase('2026-09-01').id) }),
			ind.code
		);
		expect(september.value).toMatchObject({ value: 90, date: '2025-08-03', own: true, coverage: null });

		const wheres: Record<string, string>[] = [{ region: 'vleuten-de-meern' }, { region: 'utrecht' }, {}];
		for (const where of wheres) {
			const figure = byCode(await progress(where), ind.code).value!;
			expect(figure.value, JSON.stringify(where)).toBeCloseTo((40 * 100 + 60 * 300) / 400, 9);
			expect(figure.date).toBe('2026-10-20');
			expect(figure.own).toBe(false);
			expect(figure.n).toBe(400);
		}
		const wijk = byCode(await progress({ region: 'vleuten-de-meern' }), ind.code).value!;
		expect(wijk.coverage!.used.sort()).toEqual(['amadeus-lyceum', 'obs-haarzicht']);
		expect(wijk.coverage!.n).toBe(400);
		expect(wijk.coverage!.leftOut.map((l) => l.region).sort()).toEqual(
			['cultuur19', 'hockeyclub-fletiomare', 'limus-college', 'volt-toekomstmakers'].sort()
		);
		expectEvery(wijk.coverage!.leftOut, (l) => l.reason === 'geen-gegevens', 'left out');
	});

	it('should never lower a running total when the parent gets a figure in a later phase (c)', async () => {
		const ind = take((i) => i.aggregation !== 'latest');
		await db.db
			.updateTable('indicators')
			.set({ aggregation: 'sum', frequency: 'per_phase', valid_months: null })
			.where('id', '=', ind.id)
			.execute();
		await db.db
			.insertInto('measurements')
			.values([measure(ind.id, 'obs-haarzicht', '2026-09-20', 10), measure(ind.id, 'amadeus-lyceum', '2026-10-15', 22)])
			.execute();
		const [sep, oct, nov] = ['2026-09-01', '2026-10-01', '2026-11-01'].map((d) => phase(d));
		const totals = async () => {
			const out: (number | null)[] = [];
			for (const p of [sep, oct, nov])
				out.push(
					byCode(await progress({ region: 'vleuten-de-meern', phase: String(p.id) }), ind.code).value?.value ?? null
				);
			return out;
		};
		expect(await totals()).toEqual([10, 32, 32]);
		await db.db
			.insertInto('measurements')
			.values(measure(ind.id, 'vleuten-de-meern', '2026-11-15', 5))
			.execute();
		const after = await totals();
		expect(after).toEqual([10, 32, 37]);
		expect(after[2]!).toBeGreaterThanOrEqual(after[1]!);
		const wheres: Record<string, string>[] = [{ region: 'utrecht' }, {}];
		for (const where of wheres) {
			const figure = byCode(await progress({ ...where, phase: String(nov.id) }), ind.code).value!;
			expect(figure.value, JSON.stringify(where)).toBe(37);
			expect(figure.phases).toEqual([
				{ phaseId: sep.id, value: 10 },
				{ phaseId: oct.id, value: 22 },
				{ phaseId: nov.id, value: 5 }
			]);
		}
	});

	it('should label a national baseline against school values as not comparable and leave it out of theme progress (d)', async () => {
		const usable = (i: RecomputeRows['indicators'][number]) =>
			i.themeId !== null &&
			i.baseline !== null &&
			i.target !== null &&
			i.baseline !== i.target &&
			(i.direction === 'higher_is_better') === i.target > i.baseline &&
			i.direction !== 'none' &&
			i.aggregation !== 'sum';
		const national = take((i) => usable(i) && free.some((j) => j !== i && usable(j) && j.themeId === i.themeId));
		const local = take((i) => usable(i) && i.themeId === national.themeId);
		await db.db
			.updateTable('indicators')
			.set({ baseline_region: 'nederland', comparable: 0, valid_months: 12 })
			.where('id', '=', national.id)
			.execute();
		await db.db
			.updateTable('indicators')
			.set({ baseline_region: null, comparable: 0, valid_months: 12 })
			.where('id', '=', local.id)
			.execute();
		const quarter = local.baseline! + 0.25 * (local.target! - local.baseline!);
		await db.db
			.insertInto('measurements')
			.values([
				measure(national.id, 'obs-haarzicht', '2026-11-20', national.target!, 80),
				measure(local.id, 'obs-haarzicht', '2026-11-20', quarter, 80)
			])
			.execute();

		const wheres: Record<string, string>[] = [{ region: 'obs-haarzicht' }, {}];
		for (const where of wheres) {
			const body = await progress(where);
			const n = byCode(body, national.code);
			expect([n.comparable, n.comparability, n.progress], JSON.stringify(where)).toEqual([
				false,
				'landelijke nulmeting — niet vergelijkbaar',
				1
			]);
			const l = byCode(body, local.code);
			expect([l.comparable, l.comparability]).toEqual([true, null]);
			expect(l.progress).toBeCloseTo(0.25, 9);
			const theme = body.themes.find((t) => t.id === national.themeId)!;
			const counted = body.indicators.filter((i) => i.theme === theme.id && i.comparable && i.progress !== null);
			const mean = (xs: ApiIndicator[]) => xs.reduce((s, i) => s + i.progress!, 0) / xs.length;
			expect(counted.map((i) => i.code)).toContain(local.code);
			expect(counted.map((i) => i.code)).not.toContain(national.code);
			expect(theme.progress).toBeCloseTo(mean(counted), 9);
			expect(Math.abs(theme.progress! - mean([...counted, n]))).toBeGreaterThan(1e-6);
		}
		// the plan says the values compare after all: then it counts
		await db.db.updateTable('indicators').set({ comparable: 1 }).where('id', '=', national.id).execute();
		const body = await progress({ region: 'obs-haarzicht' });
		expect(byCode(body, national.code).comparable).toBe(true);
		const theme = body.themes.find((t) => t.id === national.themeId)!;
		const counted = body.indicators.filter((i) => i.theme === theme.id && i.progress !== null);
		expect(counted.map((i) => i.code)).toContain(national.code);
		expect(theme.progress).toBeCloseTo(counted.reduce((s, i) => s + i.progress!, 0) / counted.length, 9);
	});

	it('should count summer actions in the "buiten de fasen" bucket, never in a phase (e)', async () => {
		const step = rows.steps[0];
		const theme = rows.themes.find((t) => t.id === step.themeId)!;
		const periods = [
			...rows.phases.filter((p) => p.start >= '2025-09-01').map((p) => String(p.id)),
			'2025-2026',
			'2026-2027'
		];
		const before = new Map<string, ApiProgress>();
		for (const p of periods) before.set(p, await progress({ phase: p }));
		const programmeId = (
			await db.db.selectFrom('programmes').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
		).id;
		const action = (date: string, jongeren: number): Insertable<ActionTable> => ({
			programme_id: programmeId,
			date,
			next_step_id: step.id,
			solution_id: rows.solutions.find((s) => s.stepId === step.id)?.id ?? null,
			kind: 'bijeenkomst',
			region_id: region('obs-haarzicht'),
			reached_jongeren: jongeren,
			reached_ouders: 1,
			reached_professionals: 0,
			description: 'Zomeractie',
			quote: null,
			quote_public: 0,
			demo: 0
		});
		await db.db
			.insertInto('actions')
			.values([action('2026-07-15', 7), action('2026-08-20', 11)])
			.execute();

		const yearOf = (p: string) =>
			/^\d{4}-\d{4}$/.test(p)
				? p
				: rows.years.find((y) => y.id === rows.phases.find((x) => String(x.id) === p)!.yearId)!.name;
		const lastPhaseOr = (p: string) =>
			/^\d{4}-\d{4}$/.test(p) || rows.phases.find((x) => String(x.id) === p)!.end.endsWith('-06-30');
		for (const p of periods) {
			const was = before.get(p)!;
			const now = await progress({ phase: p });
			const t0 = was.themes.find((t) => t.code === theme.code)!;
			const t1 = now.themes.find((t) => t.code === theme.code)!;
			// never in a phase: the period's actions, reach and derived figures are unchanged
			expect([t1.actions, t1.reached], p).toEqual([t0.actions, t0.reached]);
			expect(
				now.indicators.map((i) => [i.code, i.value?.value ?? null]),
				p
			).toEqual(was.indicators.map((i) => [i.code, i.value?.value ?? null]));
			// in the bucket of their school year (1 August – 31 July), up to the period's end
			const added = yearOf(p) === '2026-2027' ? 11 : yearOf(p) === '2025-2026' && lastPhaseOr(p) ? 7 : 0;
			const count = added === 0 ? 0 : 1;
			expect(
				[now.outsidePhases.actions - was.outsidePhases.actions, t1.outsidePhases.actions - t0.outsidePhases.actions],
				p
			).toEqual([count, count]);
			expect(t1.outsidePhases.reached.jongeren - t0.outsidePhases.reached.jongeren, p).toBe(added);
			expect(now.outsidePhases.reached.jongeren - was.outsidePhases.reached.jongeren, p).toBe(added);
		}
		const december = await progress({ phase: String(phase('2026-12-01').id) });
		expect(december.themes.find((t) => t.code === theme.code)!.outsidePhases.actions).toBeGreaterThanOrEqual(1);
	});
});
