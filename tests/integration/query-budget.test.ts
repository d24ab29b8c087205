import { schoolYearOf } from '../../src/lib/domain/phase-calendar.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { dashboard } from '../../src/lib/server/services/dashboard.service.ts';
import { ensureCurrentSchoolYear } from '../../src/lib/server/services/phase.service.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { report } from '../../src/lib/server/services/report.service.ts';
import { MID_SIZE, syntheticSlug, syntheticTables } from '../bench/synthetic-data.ts';
import { writeWithKysely } from '../bench/write-synthetic.ts';
import { createAccount, funderOf, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { serverClient } from '../helpers/client.ts';
import { storeDimensions, storeIndicatorDimensions } from '../../src/lib/domain/breakdown.ts';

/**
 * The dashboard's query budget: at most 10 SQL queries per request whatever the size (sign-in, layout and
 * page guard included), so nothing may be queried per theme, indicator, region or phase. Counted with
 * Kysely's log on a small database (the two plans) and a mid-sized synthetic one.
 */
/** A fixed today for this process (only Date is faked, and it runs on) and the built server (its clock starts there). */
const NOW = '2026-11-15T10:00:00Z';

/** A funder's request context: a dashboard that shows shareable stories only. */
const asFunder = (db: TestDb, programme: Programme) => {
	return { db: db.db, programme, actor: funderOf(programme.id) };
};

describe.each(DIALECTS)('query budget on %s', (dialect) => {
	let queries = 0;
	const count = () => queries++;
	let small: TestDb;
	let mid: TestDb;
	let server: RunningServer;

	/** the demo seed gives every programme the school years up to today; take today's away again */
	async function withoutCurrentSchoolYear(db: TestDb, slug: string) {
		const { id } = await programme(db, slug);
		const year = await db.db
			.selectFrom('school_years')
			.select('id')
			.where('programme_id', '=', id)
			.where('name', '=', schoolYearOf(NOW.slice(0, 10)))
			.executeTakeFirstOrThrow();
		await db.db.deleteFrom('phases').where('school_year_id', '=', year.id).execute();
		await db.db.deleteFrom('school_years').where('id', '=', year.id).execute();
	}

	beforeAll(async () => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'], shouldAdvanceTime: true });
		small = await migratedDb(dialect, { onQuery: count });
		await loadBothPlans(small, { demo: true });
		await withoutCurrentSchoolYear(small, 'zkl-onder-druk');
		await addActivity(small.db, 'vleuten-versterkt');
		// as the server's start-up does (the mid-sized database gets it from the server started below); ZKL is left without
		await ensureCurrentSchoolYear(small.db, await programme(small, 'vleuten-versterkt'), NOW.slice(0, 10));
		mid = await migratedDb(dialect, { onQuery: count });
		await writeWithKysely(mid.db, syntheticTables(MID_SIZE));
		server = await startServer({ DATABASE_URL: mid.url, SEED_ON_EMPTY: 'false', QUERY_STATS: 'true' }, { now: NOW });
	}, 180_000);
	afterAll(async () => {
		vi.useRealTimers();
		await server?.stop();
		await small?.drop();
		await mid?.drop();
	});

	async function counted(fn: () => Promise<unknown>): Promise<number> {
		queries = 0;
		const r = await fn();
		expect(r).not.toHaveProperty('problem');
		return queries;
	}

	const programme = (db: TestDb, slug: string) =>
		db.db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

	it('should run the same few queries for every selection on a small and a mid-sized database', async () => {
		const cases: [TestDb, Programme, { region?: string; phase?: string }[]][] = [
			[
				small,
				await programme(small, 'vleuten-versterkt'),
				[{}, { region: 'vleuten-de-meern' }, { phase: '2024-2025' }, { region: 'obs-haarzicht', phase: '2024-2025' }]
			],
			[
				mid,
				await programme(mid, syntheticSlug(1)),
				[{}, { region: 'wijk-1' }, { phase: '2024-2025' }, { region: 'school-3', phase: '2023-2024' }]
			]
		];
		const seen = { dashboard: new Set<number>(), report: new Set<number>(), progress: new Set<number>() };
		for (const [db, p, selections] of cases)
			for (const s of selections) {
				seen.dashboard.add(await counted(() => dashboard(asFunder(db, p), { ...s, indicator: null })));
				seen.report.add(await counted(() => report({ db: db.db, programme: p }, s)));
				seen.progress.add(await counted(() => loadProgress({ db: db.db, programme: p }, s)));
			}
		expect([...seen.dashboard]).toEqual([5]);
		// the report's one more: the told evaluations with their follow-ups
		expect([...seen.report]).toEqual([6]);
		expect([...seen.progress]).toEqual([4]);
	});

	it('should create today’s school year once, on the first read that misses it, and then cost nothing extra', async () => {
		const zkl = await programme(small, 'zkl-onder-druk');
		expect(await counted(() => loadProgress({ db: small.db, programme: zkl }))).toBeGreaterThan(4);
		expect(await counted(() => loadProgress({ db: small.db, programme: zkl }))).toBe(4);
		expect(await counted(() => dashboard(asFunder(small, zkl), { indicator: null }))).toBe(5);
	});

	it('should answer a dashboard request of the mid-sized database in at most 10 queries, sign-in included', async () => {
		const admin = await createAccount(mid.db, 'admin');
		const cookie = await signIn((path, init) => fetch(server.url + path, init), admin);
		const counts: number[] = [];
		for (let p = 0; p < MID_SIZE.programmes; p++)
			for (const s of [{}, { region: 'wijk-2' }, { phase: '2024-2025' }, { region: 'school-1', phase: '2023-2024' }]) {
				const page = new URLSearchParams([
					...(s.region ? [['regio', s.region]] : []),
					...(s.phase ? [['fase', s.phase]] : [])
				]).toString();
				const q = page ? `?${page}` : '';
				for (const path of [`/p/${syntheticSlug(p)}/dashboard${q}`, `/p/${syntheticSlug(p)}/rapport${q}`]) {
					const res = await fetch(server.url + path, { headers: { cookie } });
					expect(res.status, path).toBe(200);
					await res.arrayBuffer();
					counts.push(Number(res.headers.get('x-query-count')));
				}
				const api = await serverClient(server.url, () => ({ cookie })).api.v1.programmes[':slug'].progress.$get({
					param: { slug: syntheticSlug(p) },
					query: s
				});
				expect(api.status).toBe(200);
				counts.push(Number(api.headers.get('x-query-count')));
			}
		expect(Math.min(...counts)).toBeGreaterThan(0);
		expect(Math.max(...counts)).toBeLessThanOrEqual(10);
	});

	it('should run the same queries with a breakdown filter, and stay within 10 per dashboard request', async () => {
		const dimensions = storeDimensions([
			{
				key: 'geslacht',
				name: 'Geslacht',
				values: [
					{ key: 'meisje', name: 'Meisje' },
					{ key: 'jongen', name: 'Jongen' }
				]
			}
		]);
		for (const db of [small, mid]) {
			await db.db.updateTable('programmes').set({ dimensions }).execute();
			// every fifth indicator split by gender, as the bench's share of breakdowns
			const ids = await db.db.selectFrom('indicators').select('id').orderBy('id').execute();
			const split = ids.filter((_, k) => k % 5 === 0).map((i) => i.id);
			await db.db
				.updateTable('indicators')
				.set({ dimensions: storeIndicatorDimensions(['geslacht']) })
				.where('id', 'in', split)
				.execute();
		}
		const vv = await programme(small, 'vleuten-versterkt');
		for (const s of [{}, { region: 'vleuten-de-meern', phase: '2024-2025' }]) {
			const q = { ...s, category: 'geslacht:meisje' };
			expect(await counted(() => dashboard(asFunder(small, vv), { ...q, indicator: null }))).toBe(5);
			expect(await counted(() => report({ db: small.db, programme: vv }, q))).toBe(6);
			expect(await counted(() => loadProgress({ db: small.db, programme: vv }, q))).toBe(4);
		}
		// the totals' report reads the split indicators' categories for their gaps in the same query
		const synthetic = await programme(mid, syntheticSlug(0));
		for (const p of [vv, synthetic])
			expect(await counted(() => report({ db: p === vv ? small.db : mid.db, programme: p }, {}))).toBe(6);
		const admin = await createAccount(mid.db, 'admin');
		const cookie = await signIn((path, init) => fetch(server.url + path, init), admin);
		for (const q of ['?geslacht=meisje', '?regio=wijk-2&geslacht=jongen']) {
			const res = await fetch(`${server.url}/p/${syntheticSlug(0)}/dashboard${q}`, { headers: { cookie } });
			expect(res.status, q).toBe(200);
			expect(await res.text()).toContain('Alleen');
			expect(Number(res.headers.get('x-query-count'))).toBeGreaterThan(0);
			expect(Number(res.headers.get('x-query-count'))).toBeLessThanOrEqual(10);
		}
	});
});
