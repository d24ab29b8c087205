import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Insertable, Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { Database, MeasurementTable } from '../../src/lib/server/db/schema.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, VLEUTEN, ZKL } from '../helpers/plans.ts';
import { loadRows, recompute, type Expected, type RecomputeRows, type Selection } from '../helpers/recompute.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Issue 13's proof: the figures users get — progress API, report downloads, dashboard and report pages —
 * against an independent recomputation from the table rows (tests/helpers/recompute.ts), for both
 * programmes × every region and the whole programme × every phase of two school years and both school
 * years, on a fixed today. Besides the plans' demo data the database gets a deterministic variety of
 * values (schools, parents, stale and summer values, values without n, unapproved ones), baseline areas
 * and evaluations, so that every rule has something to decide.
 */

const NOW = '2026-12-03T10:00:00Z';
const SLUGS = ['vleuten-versterkt', 'zkl-onder-druk'] as const;
const YEARS = ['2025-2026', '2026-2027'];

/** Numbers equal up to 1e-9 (a mean of fractions differs in the last bits). */
function approx<T>(x: T): T {
	if (typeof x === 'number') return (Math.round(x * 1e9) / 1e9) as T;
	if (Array.isArray(x)) return x.map(approx) as T;
	if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, approx(v)])) as T;
	return x;
}

/** Sets the plan's baseline areas (the plan loader does not write them yet) and a few rule overrides. */
async function setPlanColumns(db: Kysely<Database>) {
	const areas = new Map<string, string>();
	const walk = (x: unknown) => {
		if (Array.isArray(x)) x.forEach(walk);
		else if (x && typeof x === 'object') {
			const o = x as { code?: unknown; baseline?: { region?: unknown } };
			if (typeof o.code === 'string' && typeof o.baseline?.region === 'string') areas.set(o.code, o.baseline.region);
			Object.values(o).forEach(walk);
		}
	};
	for (const file of [VLEUTEN, ZKL]) walk(readPlanFile(file).plan);
	expect(areas.size).toBeGreaterThan(3);
	for (const [code, region] of areas)
		await db.updateTable('indicators').set({ baseline_region: region }).where('code', '=', code).execute();
	// the plan's own validity and comparability, on a few indicators
	const some = await db
		.selectFrom('indicators')
		.select(['id', 'code', 'frequency', 'baseline_region'])
		.where('derived', 'is', null)
		.where('unit', '!=', 'text')
		.orderBy('id')
		.execute();
	const national = some.filter((i) => i.baseline_region === 'nederland');
	expect(national.length).toBeGreaterThan(1);
	await db.updateTable('indicators').set({ comparable: 1 }).where('id', '=', national[0].id).execute();
	const perPhase = some.filter((i) => i.frequency === 'per_phase' && i.baseline_region === null);
	await db
		.updateTable('indicators')
		.set({ valid_months: 3 })
		.where('id', 'in', [perPhase[0].id, perPhase[7].id])
		.execute();
	const yearly = some.filter((i) => i.frequency !== 'per_phase');
	await db.updateTable('indicators').set({ valid_months: 40 }).where('id', '=', yearly[0].id).execute();
	// a local baseline of a school, and one of the wijk without a national label
	await db
		.updateTable('indicators')
		.set({ baseline_region: 'obs-haarzicht' })
		.where('id', '=', perPhase[2].id)
		.execute();
	await db
		.updateTable('indicators')
		.set({ baseline_region: 'haarlem' })
		.where('id', '=', perPhase.at(-1)!.id)
		.execute();
	// the plans measure no per-period figure themselves (their reach is derived): make two per programme so
	const counts = await db
		.selectFrom('indicators as i')
		.innerJoin('programmes as p', 'p.id', 'i.programme_id')
		.select(['i.id', 'p.slug'])
		.where('i.derived', 'is', null)
		.where('i.unit', '!=', 'text')
		.where('i.frequency', '=', 'per_phase')
		.orderBy('i.id', 'desc')
		.execute();
	const flows = SLUGS.flatMap((slug) => counts.filter((c) => c.slug === slug).slice(1, 3));
	expect(flows).toHaveLength(4);
	await db
		.updateTable('indicators')
		.set({ aggregation: 'sum', frequency: 'per_phase' })
		.where(
			'id',
			'in',
			flows.map((f) => f.id)
		)
		.execute();
	// nor a numeric `latest` or plain `mean`: one of each per programme
	for (const [k, aggregation] of [
		[3, 'latest'],
		[4, 'mean']
	] as const)
		await db
			.updateTable('indicators')
			.set({ aggregation })
			.where(
				'id',
				'in',
				SLUGS.map((slug) => counts.filter((c) => c.slug === slug)[k].id)
			)
			.execute();
}

/** A small deterministic random source (LCG). */
function random(seed: number) {
	let s = seed;
	return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/**
 * Values at every level of the region tree for a spread of indicators, dated over 2024-2026 (some in the
 * summer), with and without n; some not approved (they must not count). Actions in the summer and a
 * deleted one; final and draft evaluations.
 */
async function addVariety(db: Kysely<Database>, slug: string, seed: number) {
	const rnd = random(seed);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
	const p = await db.selectFrom('programmes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
	const regions = await db.selectFrom('regions').select(['id', 'parent_id']).where('programme_id', '=', p.id).execute();
	const indicators = await db
		.selectFrom('indicators')
		.select(['id', 'unit', 'aggregation', 'frequency'])
		.where('programme_id', '=', p.id)
		.where('derived', 'is', null)
		.where('unit', '!=', 'text')
		.orderBy('id')
		.execute();
	// the demo values, dated on each phase's last day at the wijk, would win every roll-up: the `latest` and
	// `mean` indicators get only the values below
	const rollUps = indicators.filter((i) => i.aggregation === 'latest' || i.aggregation === 'mean').map((i) => i.id);
	expect(rollUps).toHaveLength(2);
	await db.deleteFrom('measurements').where('indicator_id', 'in', rollUps).execute();
	const taken = new Set(
		(
			await db
				.selectFrom('measurements')
				.select(['indicator_id', 'region_id', 'date'])
				.where(
					'indicator_id',
					'in',
					indicators.map((i) => i.id)
				)
				.execute()
		).map((m) => `${m.indicator_id}|${m.region_id}|${m.date}`)
	);
	const day = (from: string, spanDays: number) => {
		const d = new Date(`${from}T00:00:00Z`);
		d.setUTCDate(d.getUTCDate() + Math.floor(rnd() * spanDays));
		return d.toISOString().slice(0, 10);
	};
	const rows: Insertable<MeasurementTable>[] = [];
	// every third indicator, and every `sum` (per-period) and `latest` one
	const chosen = indicators.filter((i, k) => k % 3 === 0 || i.aggregation !== 'weighted_mean');
	for (const ind of chosen)
		for (let k = 0; k < (ind.aggregation === 'weighted_mean' ? 14 : 60); k++) {
			const region = pick(regions);
			// mostly 2024-09 … 2026-12-02; a few in the summers
			const date = k % 7 === 6 ? day(pick(['2025-07-01', '2026-07-01']), 62) : day('2024-09-01', 822);
			const key = `${ind.id}|${region.id}|${date}`;
			if (taken.has(key)) continue;
			taken.add(key);
			const value = ind.unit === 'percent' ? Math.round(rnd() * 1000) / 10 : Math.floor(rnd() * 60);
			rows.push({
				indicator_id: ind.id,
				region_id: region.id,
				date,
				value,
				n: rnd() < 0.3 ? null : 5 + Math.floor(rnd() * 300),
				source: 'Testpeiling',
				status: rnd() < 0.1 ? 'submitted' : 'approved',
				demo: rnd() < 0.5 ? 1 : 0
			});
		}
	for (let i = 0; i < rows.length; i += 200)
		await db
			.insertInto('measurements')
			.values(rows.slice(i, i + 200))
			.execute();

	const steps = await db
		.selectFrom('next_steps')
		.select(['id'])
		.where('programme_id', '=', p.id)
		.orderBy('id')
		.execute();
	const solutions = await db
		.selectFrom('solutions')
		.select(['id', 'next_step_id'])
		.where('programme_id', '=', p.id)
		.execute();
	const action = (date: string, deleted = false) => {
		const step = pick(steps);
		const solution = solutions.find((s) => s.next_step_id === step.id && rnd() < 0.7) ?? null;
		return {
			programme_id: p.id,
			date,
			next_step_id: step.id,
			solution_id: solution?.id ?? null,
			kind: pick(['les', 'sessie', 'bijeenkomst', 'gesprek'] as const),
			region_id: pick(regions).id,
			reached_jongeren: Math.floor(rnd() * 30),
			reached_ouders: Math.floor(rnd() * 5),
			reached_professionals: Math.floor(rnd() * 3),
			description: 'Zomeractie (test)',
			quote: null,
			quote_public: 0,
			demo: 0,
			deleted_at: deleted ? '2026-01-01T00:00:00Z' : null
		};
	};
	await db
		.insertInto('actions')
		.values([
			...['2025-07-15', '2025-08-20', '2026-07-15', '2026-08-20', '2026-08-31'].map((d) => action(d)),
			action('2026-09-10', true),
			action('2026-10-10')
		])
		.execute();

	const phases = await db
		.selectFrom('phases')
		.select(['id', 'start_date'])
		.where('programme_id', '=', p.id)
		.where('start_date', '>=', '2025-08-01')
		.orderBy('start_date')
		.execute();
	const evaluation = (stepId: number, phaseId: number, state: 'final' | 'draft', k: number) => ({
		next_step_id: stepId,
		phase_id: phaseId,
		state,
		status: (['op_koers', 'aandacht_nodig', 'bijsturen'] as const)[k % 3],
		decision: (['voortzetten', 'versterken', 'bijstellen', 'stoppen'] as const)[k % 4],
		story: 'Test',
		done: 'Test',
		learnings: '',
		snapshot: null,
		finalised_at: null,
		finalised_by: null,
		created_by: null
	});
	await db
		.insertInto('evaluations')
		.values([
			evaluation(steps[0].id, phases[1].id, 'final', 0),
			evaluation(steps[1].id, phases[1].id, 'final', 1),
			evaluation(steps[0].id, phases[6].id, 'final', 2),
			evaluation(steps[1].id, phases[7].id, 'draft', 3),
			evaluation(steps.at(-1)!.id, phases[2].id, 'final', 5)
		])
		.execute();
}

/** The progress API's answer in the helper's terms: coverage lists in a fixed order. */
function fromApi(body: Record<string, unknown>): Expected {
	const b = body as unknown as Expected & {
		phase: { id: number; name: string } | null;
		themes: (Expected['themes'][number] & Record<string, unknown>)[];
		indicators: (Expected['indicators'][number] & Record<string, unknown>)[];
	};
	const dated = (v: { value: number; date: string; n: number | null; demo: boolean } | null) =>
		v && { value: v.value, date: v.date, n: v.n, demo: v.demo };
	return {
		schoolYear: b.schoolYear,
		phase: b.phase && { id: b.phase.id, name: b.phase.name },
		fresh: b.fresh,
		outsidePhases: b.outsidePhases,
		themes: b.themes.map((t) => ({
			code: t.code,
			progress: t.progress,
			status: t.status,
			decision: t.decision,
			evaluationPhase: t.evaluationPhase,
			actions: t.actions,
			reached: t.reached,
			indicators: t.indicators,
			indicatorsWithoutData: t.indicatorsWithoutData,
			indicatorsFresh: t.indicatorsFresh,
			outsidePhases: t.outsidePhases
		})),
		indicators: b.indicators.map((i) => ({
			code: i.code,
			perPeriod: i.perPeriod,
			value: i.value && {
				...dated(i.value)!,
				own: i.value.own,
				coverage: i.value.coverage,
				phases: i.value.phases
			},
			stale: dated(i.stale),
			outsidePhases: dated(i.outsidePhases),
			progress: i.progress,
			comparable: i.comparable,
			comparability: i.comparability
		}))
	};
}

/** Order-free coverage lists, numbers to 1e-9. */
function normal(e: Expected): Expected {
	return approx({
		...e,
		indicators: e.indicators.map((i) => ({
			...i,
			value: i.value && {
				...i.value,
				coverage: i.value.coverage && {
					...i.value.coverage,
					used: [...i.value.coverage.used].sort(),
					leftOut: [...i.value.coverage.leftOut].sort((a, b) => a.region.localeCompare(b.region))
				}
			}
		}))
	});
}

const percentShown = (p: number | null) => (p === null ? 'geen data' : `${Math.round(p * 100)}%`);
const csvPercent = (p: number | null) => (p === null ? '' : String(Math.round(p * 1000) / 10));
const csvNumber = (v: number | null) => (v === null ? '' : String(Math.round(v * 100) / 100));

describe.each(DIALECTS)('figures recomputed from the rows on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	const rows = new Map<string, RecomputeRows>();
	const titles = new Map<string, string>();
	const get = async (path: string) => {
		const res = await api.request(path, { headers: { cookie } });
		expect(res.status, path).toBe(200);
		return res;
	};
	/** every region and the whole programme × every phase of the two school years and both years */
	const selections = (r: RecomputeRows): Selection[] => {
		const periods = [
			...r.phases
				.filter((ph) => YEARS.includes(r.years.find((y) => y.id === ph.yearId)!.name))
				.map((ph) => String(ph.id)),
			...YEARS
		];
		expect(periods).toHaveLength(12);
		return [null, ...r.regions.map((x) => x.slug)].flatMap((region) => periods.map((period) => ({ region, period })));
	};
	const query = (s: Selection) =>
		new URLSearchParams([...(s.region ? [['region', s.region]] : []), ['phase', s.period]]).toString();

	beforeAll(async () => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'] });
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		await setPlanColumns(db.db);
		await addVariety(db.db, SLUGS[0], 7);
		await addVariety(db.db, SLUGS[1], 11);
		api = createApi(db);
		cookie = await signIn(
			(path, init) => Promise.resolve(api.request(path, init)),
			await createAccount(db.db, 'admin')
		);
		for (const slug of SLUGS) rows.set(slug, await loadRows(db.db, slug));
		for (const t of await db.db.selectFrom('themes').select(['code', 'title']).execute()) titles.set(t.code, t.title);
	}, 120_000);
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should answer the progress API with the recomputed figures for every region × period of both programmes', async () => {
		const all: Expected[] = [];
		for (const slug of SLUGS) {
			const r = rows.get(slug)!;
			for (const s of selections(r)) {
				const res = await get(`/api/v1/programmes/${slug}/progress?${query(s)}`);
				const expected = recompute(r, s);
				expect(normal(fromApi(await res.json())), `${slug} ${JSON.stringify(s)}`).toEqual(normal(expected));
				all.push(expected);
			}
		}
		// the selections exercise every rule, not only empty figures
		const ind = all.flatMap((e) => e.indicators);
		const themes = all.flatMap((e) => e.themes);
		expect(ind.filter((i) => i.value?.own === true && !i.perPeriod).length).toBeGreaterThan(0);
		expect(ind.filter((i) => i.value?.coverage?.leftOut.some((l) => l.reason === 'verouderd')).length).toBeGreaterThan(
			0
		);
		expect(ind.filter((i) => i.value?.coverage?.leftOut.some((l) => l.reason === 'geen-n')).length).toBeGreaterThan(0);
		expect(ind.filter((i) => i.value?.coverage?.unweighted).length).toBeGreaterThan(0);
		expect(ind.filter((i) => i.value?.coverage?.leftOut.some((l) => l.reason === 'ouder')).length).toBeGreaterThan(0);
		expect(ind.filter((i) => i.stale !== null).length).toBeGreaterThan(0);
		expect(ind.filter((i) => i.outsidePhases !== null).length).toBeGreaterThan(0);
		expect(ind.filter((i) => (i.value?.phases?.length ?? 0) > 1).length).toBeGreaterThan(0);
		expect(ind.filter((i) => !i.comparable && i.progress !== null).length).toBeGreaterThan(0);
		expect(
			ind.filter((i) => i.comparable && i.progress !== null && i.progress > 0 && i.progress < 1).length
		).toBeGreaterThan(0);
		expect(themes.filter((t) => t.progress !== null).length).toBeGreaterThan(0);
		expect(themes.filter((t) => t.progress === null).length).toBeGreaterThan(0);
		expect(themes.filter((t) => t.indicatorsFresh > 0 && t.indicatorsWithoutData > 0).length).toBeGreaterThan(0);
		expect(themes.filter((t) => t.status !== null).length).toBeGreaterThan(0);
		expect(themes.filter((t) => t.outsidePhases.actions > 0).length).toBeGreaterThan(0);
		expect(
			all.filter((e) => e.outsidePhases.actions > 0 && e.outsidePhases.indicators.length > 0).length
		).toBeGreaterThan(0);
	});

	it('should give the recomputed figures in the report CSV and XLSX for every region at one phase and the whole programme at every phase', async () => {
		let compared = 0;
		for (const slug of SLUGS) {
			const r = rows.get(slug)!;
			const december = r.phases.find((ph) => ph.start === '2026-12-01')!;
			const sample = [
				...r.regions.map((x) => ({ region: x.slug, period: String(december.id) })),
				...selections(r).filter((s) => s.region === null)
			];
			for (const s of sample) {
				const expected = recompute(r, s);
				const where = `${slug} ${JSON.stringify(s)}`;
				const csv = async (tabel: string) =>
					parseCsv(await (await get(`/api/v1/programmes/${slug}/report.csv?tabel=${tabel}&${query(s)}`)).text(), {
						columns: true
					}) as Record<string, string>[];
				const themeRows = await csv('themas');
				expect(
					themeRows.map((t) => [
						t.thema,
						t['voortgang (%)'],
						t.acties,
						t['bereikt: totaal'],
						t['indicatoren zonder data'],
						t.indicatoren
					]),
					where
				).toEqual(
					expected.themes.map((t) => [
						titles.get(t.code),
						csvPercent(t.progress),
						String(t.actions),
						String(t.reached.total),
						String(t.indicatorsWithoutData),
						String(t.indicators)
					])
				);
				const byCode = new Map(expected.indicators.map((i) => [i.code, i]));
				const indicatorRows = await csv('indicatoren');
				expect(indicatorRows.length).toBe(expected.indicators.length);
				for (const row of indicatorRows) {
					const e = byCode.get(row.code)!;
					expect([row.waarde, row['datum waarde'], row['voortgang (%)']], `${where} ${row.code}`).toEqual([
						csvNumber(e.value?.value ?? null),
						e.value?.date ?? '',
						csvPercent(e.progress)
					]);
				}

				const workbook = new ExcelJS.Workbook();
				await workbook.xlsx.load(await (await get(`/api/v1/programmes/${slug}/report.xlsx?${query(s)}`)).arrayBuffer());
				const sheetRows = (name: string) => {
					const sheet = workbook.getWorksheet(name)!;
					const header = Array.from(sheet.getRow(1).values as unknown[], (h) => String(h));
					const out: Record<string, unknown>[] = [];
					sheet.eachRow((row, k) => {
						if (k > 1) {
							const values = Array.from(row.values as unknown[]);
							out.push(Object.fromEntries(header.map((h, c) => [h, values[c] ?? null])));
						}
					});
					return out;
				};
				expect(approx(sheetRows("Thema's").map((t) => [t.thema, t.voortgang])), where).toEqual(
					approx(expected.themes.map((t) => [titles.get(t.code), t.progress]))
				);
				const xlsxIndicators = sheetRows('Indicatoren');
				expect(xlsxIndicators.length).toBe(expected.indicators.length);
				for (const row of xlsxIndicators) {
					const e = byCode.get(row.code as string)!;
					const date = row['datum waarde'] as Date | null;
					expect(
						approx([row.waarde, date ? date.toISOString().slice(0, 10) : null, row.voortgang]),
						`${where} ${String(row.code)} xlsx`
					).toEqual(approx([e.value?.value ?? null, e.value?.date ?? null, e.progress]));
				}
				compared++;
			}
		}
		expect(compared).toBeGreaterThan(20);
	});

	describe('on the built server', () => {
		let server: RunningServer;
		let serverCookie: string;
		beforeAll(async () => {
			server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' }, { now: NOW });
			serverCookie = await signIn((path, init) => fetch(server.url + path, init), await createAccount(db.db, 'admin'));
		}, 120_000);
		afterAll(async () => {
			await server?.stop();
		});

		it('should show the recomputed theme progress on the dashboard and report pages', async () => {
			let seen = 0;
			for (const slug of SLUGS) {
				const r = rows.get(slug)!;
				const december = r.phases.find((ph) => ph.start === '2026-12-01')!;
				const october = r.phases.find((ph) => ph.start === '2025-10-01')!;
				const sample: Selection[] = [
					{ region: null, period: String(december.id) },
					{ region: r.regions[1].slug, period: String(october.id) },
					{ region: r.regions.at(-1)!.slug, period: '2025-2026' }
				];
				for (const s of sample) {
					const expected = recompute(r, s);
					const pageQuery = new URLSearchParams([...(s.region ? [['regio', s.region]] : []), ['fase', s.period]]);
					for (const page of ['dashboard', 'rapport']) {
						const res = await fetch(`${server.url}/p/${slug}/${page}?${pageQuery}`, {
							headers: { cookie: serverCookie }
						});
						expect(res.status).toBe(200);
						const html = await res.text();
						for (const t of expected.themes) {
							const shown = new RegExp(`data-theme="${t.code}"[\\s\\S]*?data-progress[^>]*>([^<]*)<`).exec(html)?.[1];
							expect(shown, `${page} ${slug} ${JSON.stringify(s)} ${t.code}`).toBe(percentShown(t.progress));
							if (t.progress !== null) seen++;
						}
					}
				}
			}
			expect(seen).toBeGreaterThan(0);
		});
	});
});
