import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { valueOf } from '../helpers/result.ts';

/**
 * The trend's "previous value" comes from the figures query (the approved value before each region's latest)
 * and only approved numeric values count, on both databases: a newer submitted value or a newer approved one
 * without a number changes neither the figure nor its trend.
 */

const TODAY = '2026-12-03';
const CODE = 'VV-AMB-1-STRESS';

describe.each(DIALECTS)('trend from the database (%s)', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	let region: { id: number; slug: string };

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		region = await db.db
			.selectFrom('regions')
			.select(['id', 'slug'])
			.where('programme_id', '=', programme.id)
			.where('parent_id', 'is', null)
			.executeTakeFirstOrThrow();
		const indicator = await db.db
			.selectFrom('indicators')
			.select('id')
			.where('code', '=', CODE)
			.executeTakeFirstOrThrow();
		const row = (date: string, value: number | null, status: 'approved' | 'submitted') => ({
			indicator_id: indicator.id,
			region_id: region.id,
			date,
			value,
			n: 200,
			source: 'Testmonitor',
			status,
			demo: 0
		});
		await db.db
			.insertInto('measurements')
			.values([
				row('2025-06-01', 49, 'approved'),
				row('2025-11-01', 48, 'approved'),
				row('2026-06-01', 46, 'approved'),
				row('2026-09-01', 30, 'submitted'),
				row('2026-10-01', null, 'approved')
			])
			.execute();
	});
	afterAll(() => db?.close());

	it('should compare the latest approved value with the one before it, direction-aware', async () => {
		const ctx = valueOf(await loadProgress({ db: db.db, programme }, { region: region.slug, today: TODAY }));
		const figure = ctx.progress.indicators.find((i) => i.code === CODE)!;
		expect(figure.latest).toMatchObject({ value: 46, date: '2026-06-01' });
		expect(figure.trendBasis).toEqual({
			latest: { value: 46, date: '2026-06-01' },
			previous: expect.objectContaining({ value: 48, date: '2025-11-01' })
		});
		// lower is better: 48 → 46
		expect(figure.trend).toBe('beter');
		expect(figure.status).not.toBeNull();
	});
});
