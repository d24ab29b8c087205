import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectedProgress, statusOf, statusText, trendText } from '../../src/lib/domain/on-track.ts';
import { curveOf } from '../../src/lib/domain/curve.ts';
import { isPerPeriod } from '../../src/lib/domain/rollup.ts';
import { createApi } from '../../src/lib/server/api/app.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { dashboard } from '../../src/lib/server/services/dashboard.service.ts';
import { report } from '../../src/lib/server/services/report.service.ts';
import { addStressHistory } from '../helpers/progress-fixture.ts';
import { createAccount, funderOf, signIn } from '../helpers/accounts.ts';
import { apiClient, bodyOf } from '../helpers/client.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { valueOf } from '../helpers/result.ts';

/**
 * "Op koers?" through the progress API and the pages' services: per theme its status (`onTrack`), expected
 * progress, trend and the balance of trends; per indicator expected, status, trend with the two values it
 * compares, and whether it is a key indicator — the same words on the dashboard band, the report's summary
 * and the key indicators.
 */
const SLUG = 'vleuten-versterkt';
const NOW = '2026-12-10T10:00:00Z';

describe.each(DIALECTS)('status and trend in the progress API on %s', (dialect) => {
	let db: TestDb;
	let cookie = '';
	let api: ReturnType<typeof createApi>;
	const v1 = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];

	beforeAll(async () => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'], shouldAdvanceTime: true });
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		await addStressHistory(db.db);
		api = createApi(db);
		cookie = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'funder', programme: SLUG })
		);
	}, 120_000);
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should give a key indicator its expected progress, status, trend and the values the trend compares', async () => {
		const body = await bodyOf(await v1().progress.$get({ param: { slug: SLUG }, query: {} }), 200);
		const stress = body.indicators.find((i) => i.code === 'VV-AMB-1-STRESS')!;
		const expected = expectedProgress(
			{
				direction: 'lower_is_better',
				baseline: { value: 50, date: '2023-12-31' },
				target: { value: 45, date: '2027-12-31' }
			},
			'2026-11-30',
			'2000-01-01'
		)!;
		expect(stress).toMatchObject({
			key: true,
			value: { value: 44, date: '2026-11-30' },
			progress: 1,
			status: 'op_koers',
			trend: 'beter',
			trendBasis: { latest: { value: 44, date: '2026-11-30' }, previous: { value: 47, date: '2025-10-15' } }
		});
		expect(stress.expected).toBeCloseTo(expected, 9);
		expect(expected).toBeGreaterThan(0.7);
		// the plan marks five Vleuten indicators key, and only those
		expect(body.indicators.filter((i) => i.key).map((i) => i.code)).toHaveLength(5);
		expect(body.indicators.find((i) => i.code === 'VV-AMB-1-DRUK-ANDEREN')?.key).toBe(false);
	});

	it('should give every theme a status from its progress and expected progress, and a trend balanced from its indicators', async () => {
		const body = await bodyOf(await v1().progress.$get({ param: { slug: SLUG }, query: {} }), 200);
		expect(body.themes).toHaveLength(5);
		for (const t of body.themes) {
			const own = body.indicators.filter((i) => i.theme === t.id);
			const counts = { beter: 0, gelijk: 0, slechter: 0 };
			for (const i of own) if (i.trend) counts[i.trend]++;
			expect(t.trends, t.code).toEqual(counts);
			expect(t.onTrack, t.code).toBe(
				statusOf({ fresh: t.indicatorsFresh > 0, progress: t.progress, expected: t.expected })
			);
		}
		// the demo data gives each theme fresh figures, hence a status and a trend to tell
		expect(body.themes.filter((t) => t.onTrack === 'op_koers' || t.onTrack === 'achter')).toHaveLength(5);
		expect(body.themes.filter((t) => t.trend !== null)).toHaveLength(5);
	});

	it('should tell the same status and trend on the dashboard band, the report summary and the key indicators', async () => {
		const body = await bodyOf(await v1().progress.$get({ param: { slug: SLUG }, query: {} }), 200);
		const programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', SLUG)
			.executeTakeFirstOrThrow();
		const ctx = { db: db.db, programme, actor: funderOf(programme.id) };
		const view = valueOf(await dashboard(ctx, {}));
		const summary = valueOf(await report(ctx, {})).summary;
		const words = body.themes.map((t) => [t.code, statusText(t.onTrack), trendText(t.trend)]);
		expect(view.summary.map((r) => [r.code, r.statusText, r.trendText])).toEqual(words);
		expect(summary.map((r) => [r.code, r.statusText, r.trendText])).toEqual(words);
		expect(view.keyIndicators.map((k) => k.code)).toEqual(body.indicators.filter((i) => i.key).map((i) => i.code));
		expect(view.keyIndicators.find((k) => k.code === 'VV-AMB-1-STRESS')).toMatchObject({
			value: '44%',
			statusText: '✓ op koers',
			trendText: '↗ beter',
			sparkText: 'juni 2025 – november 2026: 48% → 47% → 44%'
		});
	});

	it('should draw the recent curve of a per-period indicator too, from the given day on', async () => {
		const programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', SLUG)
			.executeTakeFirstOrThrow();
		const ctx = valueOf(await loadProgress({ db: db.db, programme }, {}));
		const derived = ctx.input.indicators.filter((i) => i.derived && isPerPeriod(i));
		expect(derived.length).toBeGreaterThan(0);
		const curves = derived.map((i) => curveOf(i, ctx.input, [], ctx.today, '2025-08-01'));
		expect(curves.filter((c) => c.points.length > 0).length).toBeGreaterThan(0);
		for (const c of curves) for (const p of c.points) expect(p.date >= '2025-08-01').toBe(true);
	});
});
