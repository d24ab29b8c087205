import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { programmeOverview } from '../../src/lib/server/services/overview.service.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { syntheticTables, type SyntheticSize } from '../bench/synthetic-data.ts';
import { writeWithKysely } from '../bench/write-synthetic.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';

/**
 * The overview of all programmes reads them together: the same number of queries for 2 programmes as for 5
 * (at most 10), and for each programme the same figures as its own progress read.
 */
/** inside the synthetic school year 2024-2025, which has data (and today's school year exists, so nothing is created) */
const NOW = '2025-03-15T10:00:00Z';
const size = (programmes: number): SyntheticSize => ({
	programmes,
	regions: 8 * programmes,
	indicators: 12 * programmes,
	measurements: 1_500 * programmes,
	actions: 300 * programmes,
	schoolYears: 2
});
const admin: Actor = { userId: 1, name: 'beheer', email: 'beheer@test.nl', isAdmin: true, roles: {}, via: 'session' };

describe.each(DIALECTS)('the overview of all programmes on %s', (dialect) => {
	let queries = 0;
	const dbs: TestDb[] = [];
	beforeAll(() => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'], shouldAdvanceTime: true });
	});
	afterAll(async () => {
		vi.useRealTimers();
		for (const db of dbs) await db.drop();
	});

	async function overviewOf(programmes: number) {
		const db = await migratedDb(dialect, { onQuery: () => queries++ });
		dbs.push(db);
		await writeWithKysely(db.db, syntheticTables(size(programmes)));
		queries = 0;
		const rows = await programmeOverview({ db: db.db, actor: admin });
		return { db, rows, queries };
	}

	it('should cost the same few queries for 2 programmes as for 5, with each programme’s own figures', async () => {
		const two = await overviewOf(2);
		const five = await overviewOf(5);
		expect(two.rows).toHaveLength(2);
		expect(five.rows).toHaveLength(5);
		expect(five.queries).toBe(two.queries);
		expect(five.queries).toBeLessThanOrEqual(10);

		// the same numbers as reading each programme alone
		const programmes = await five.db.db.selectFrom('programmes').selectAll().orderBy('id').execute();
		for (const [k, programme] of programmes.entries()) {
			const alone = await loadProgress({ db: five.db.db, programme });
			if (!alone.ok) throw new Error(alone.refusal.message);
			const row = five.rows.find((r) => r.slug === programme.slug)!;
			expect(row.themes.map((t) => t.progress)).toEqual(alone.value.progress.themes.map((t) => t.progress));
			expect(row.period).toBe(`${alone.value.progress.period.phase?.name} 2024-2025`);
			if (k === 0) expect(row.themes.some((t) => t.progress !== null)).toBe(true);
			expect(row.completeness.withData).toBe(
				alone.value.progress.indicators.filter((i) => i.unit !== 'text' && i.latest !== null).length
			);
		}
		expect(five.rows.every((r) => r.completeness.withData > 0)).toBe(true);
	}, 180_000);

	it('should recompute only the programme another server changed, and serve the others from its cache', async () => {
		const { db, rows: first } = await overviewOf(3);
		queries = 0;
		const again = await programmeOverview({ db: db.db, actor: admin });
		expect(again).toEqual(first);
		expect(queries).toBe(2); // the list and the versions

		// another server (its own connection) removes one programme's measurements
		const other = createDb(db.url);
		const changed = await other.db
			.selectFrom('programmes')
			.select(['id', 'slug'])
			.orderBy('id')
			.executeTakeFirstOrThrow();
		await other.db
			.deleteFrom('measurements')
			.where('indicator_id', 'in', (q) =>
				q.selectFrom('indicators').select('id').where('programme_id', '=', changed.id)
			)
			.execute();
		await other.close();

		queries = 0;
		const after = await programmeOverview({ db: db.db, actor: admin });
		expect(queries).toBeGreaterThan(2);
		expect(queries).toBeLessThanOrEqual(10);
		const before = first.find((r) => r.slug === changed.slug)!;
		const now = after.find((r) => r.slug === changed.slug)!;
		expect(before.completeness.withData).toBeGreaterThan(0);
		expect(now.completeness.withData).toBeLessThan(before.completeness.withData);
		// the unchanged programmes are the very rows computed before
		const unchanged = after.filter((r) => r.slug !== changed.slug);
		expect(unchanged).toHaveLength(2);
		for (const row of unchanged) expect(row).toBe(again.find((r) => r.slug === row.slug));
	}, 180_000);
});
