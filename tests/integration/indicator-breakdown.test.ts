import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { indicatorPage } from '../../src/lib/server/services/indicator-page.service.ts';
import {
	storeCategories,
	storeCategoryTargets,
	storeDimensions,
	storeIndicatorDimensions,
	type CategoryValue,
	type Dimension
} from '../../src/lib/domain/breakdown.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const SLUG = 'vleuten-versterkt';
/** A fixed today, in phase November of school year 2026-2027. */
const TODAY = '2026-11-15';
const STRESS = 'VV-AMB-1-STRESS';
/** an indicator without dimensions */
const PLAIN = 'VV-T1-AANDACHT';
const PARENT = 'vleuten-de-meern';
const [A, B, C] = ['amadeus-lyceum', 'limus-college', 'volt-toekomstmakers'];

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend' }
	]
};
const cat = (category: string, value: number, n: number): CategoryValue => ({
	dimension: 'geslacht',
	category,
	value,
	n
});

/**
 * Stress split by gender in two schools of Vleuten-De Meern, measured yearly (valid 15 months): both on 1
 * October 2025 and 1 October 2026, the second school's newest with a group of 5 (too small); a third school's
 * old value (February 2025) is verouderd by the autumn of 2026 and left out there.
 */
const MEASUREMENTS: [string, string, number, number, CategoryValue[]][] = [
	[C, '2025-02-01', 80, 40, [cat('meisje', 90, 20), cat('jongen', 70, 20)]],
	[A, '2025-10-01', 40, 100, [cat('meisje', 50, 50), cat('jongen', 30, 50)]],
	[B, '2025-10-01', 35, 60, [cat('meisje', 44, 30), cat('jongen', 26, 30)]],
	[A, '2026-10-01', 38, 100, [cat('meisje', 46, 45), cat('jongen', 30, 49), cat('anders-onbekend', 38, 6)]],
	[B, '2026-10-01', 36, 60, [cat('meisje', 42, 30), cat('jongen', 27.7, 25), cat('anders-onbekend', 40.3, 5)]]
];

describe.each(DIALECTS)('indicator page breakdown on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	const funder = () => ({
		userId: 0,
		name: 'funder',
		email: 'funder@test.nl',
		isAdmin: false,
		roles: { [programme.id]: 'funder' as const },
		via: 'session' as const
	});
	const page = async (region: string, code = STRESS) => {
		const p = await indicatorPage({ db: db.db, programme, actor: funder() }, code, region, {
			includeUnapproved: false,
			today: TODAY
		});
		if (!p) throw new Error(`${code} not found`);
		return p;
	};
	/** a breakdown's rows as [date, [value, n, suppressed] per category] */
	const table = (b: Awaited<ReturnType<typeof page>>['breakdowns'][number]) =>
		b.rows.map((r) => [r.date, r.cells.map((c) => c && [round(c.value), c.n, c.suppressed])]);
	const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		await db.db
			.updateTable('programmes')
			.set({ dimensions: storeDimensions([GESLACHT]) })
			.where('slug', '=', SLUG)
			.execute();
		programme = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
		const indicator = await db.db
			.updateTable('indicators')
			.set({
				frequency: 'yearly',
				valid_months: null,
				dimensions: storeIndicatorDimensions(['geslacht']),
				category_targets: storeCategoryTargets([
					{
						dimension: 'geslacht',
						category: 'meisje',
						baseline: { value: 52, date: '2024-09-01', source: 'Testpeiling' },
						target: { value: 40, date: '2027-12-31', demo: true }
					}
				])
			})
			.where('code', '=', STRESS)
			.where('programme_id', '=', programme.id)
			.returning('id')
			.executeTakeFirstOrThrow();
		const regions = await db.db.selectFrom('regions').selectAll().where('programme_id', '=', programme.id).execute();
		const regionId = (slug: string) => regions.find((r) => r.slug === slug)!.id;
		await db.db
			.insertInto('measurements')
			.values(
				MEASUREMENTS.map(([region, date, value, n, categories]) => ({
					indicator_id: indicator.id,
					region_id: regionId(region),
					date,
					value,
					n,
					source: 'Testpeiling',
					status: 'approved' as const,
					categories: storeCategories(categories, [GESLACHT]),
					demo: 0
				}))
			)
			.execute();
		// a submitted one does not count, however small
		await db.db
			.insertInto('measurements')
			.values({
				indicator_id: indicator.id,
				region_id: regionId(A),
				date: '2026-11-01',
				value: 10,
				n: 100,
				source: 'Ingediend',
				status: 'submitted',
				categories: storeCategories([cat('meisje', 12.3, 50), cat('jongen', 8, 50)], [GESLACHT]),
				demo: 0
			})
			.execute();
	});
	afterAll(async () => db?.drop());

	it('should roll each category up over the region tree: weighted by n, newest per school, verouderd left out', async () => {
		const { breakdowns } = await page(PARENT);
		expect(breakdowns.map((b) => b.dimension)).toEqual([{ key: 'geslacht', name: 'Geslacht' }]);
		const [b] = breakdowns;
		expect(b.categories.map((c) => c.name)).toEqual(['Meisje', 'Jongen', 'Anders/onbekend']);
		expect(table(b)).toEqual([
			// the old school alone, while its value was valid (the school year 2024-2025)
			['2025-02-01', [[90, 20, null], [70, 20, null], null]],
			// both schools' 2025 values (80 respondents each); the old school's value is verouderd, left out
			['2025-10-01', [[47.75, 80, null], [28.5, 80, null], null]],
			// each school's newest: (46·45 + 42·30)/75, (30·49 + 27,7·25)/74, (38·6 + 40,3·5)/11
			[
				'2026-10-01',
				[
					[44.4, 75, null],
					[29.22, 74, null],
					[39.05, 11, null]
				]
			]
		]);
		expect(b.minGroupSize).toBe(10);
		expect(b.gap).toBe('Verschil meisje–jongen: 15,2 procentpunt (was 20 in februari 2025)');
	});

	it("should give a category its own baseline and target, and none where it has none (never the total's)", async () => {
		const [b] = (await page(PARENT)).breakdowns;
		expect(b.categories.map((c) => [c.key, c.baseline, c.target])).toEqual([
			['meisje', { value: 52, date: '2024-09-01', demo: false }, { value: 40, date: '2027-12-31', demo: true }],
			['jongen', null, null],
			['anders-onbekend', null, null]
		]);
	});

	it('should suppress a small group and the figure that would give it away, and leave neither number in the data', async () => {
		const p = await page(B);
		const [b] = p.breakdowns;
		expect(table(b)).toEqual([
			['2025-10-01', [[44, 30, null], [26, 30, null], null]],
			// 5 respondents: too few; jongen (25) is the smallest other: with the total it would reveal them
			[
				'2026-10-01',
				[
					[42, 30, null],
					[null, null, 'derivable'],
					[null, null, 'small']
				]
			]
		]);
		expect(b.gap).toBe('Verschil meisje–jongen: 18 procentpunt');
		const data = JSON.stringify(p);
		for (const hidden of ['27.7', '27,7', '40.3', '40,3']) expect(data).not.toContain(hidden);
		expect(data).not.toMatch(/"n":(5|25)[,}]/);
		// the total is not suppressed (unchanged behaviour)
		expect(p.curve!.points.at(-1)).toMatchObject({ date: '2026-10-01', value: 36, n: 60 });
	});

	it("should take the threshold from the programme's setting", async () => {
		const strict = { ...programme, min_group_size: 12 };
		const p = await indicatorPage({ db: db.db, programme: strict, actor: funder() }, STRESS, PARENT, {
			includeUnapproved: false,
			today: TODAY
		});
		const last = p!.breakdowns[0].rows.at(-1)!;
		expect(last.cells.map((c) => c?.suppressed)).toEqual([null, 'derivable', 'small']);
		expect(JSON.stringify(p)).not.toContain('39.04');
	});

	it('should leave an indicator without dimensions as it was: no breakdown', async () => {
		const p = await page(PARENT, PLAIN);
		expect(p.breakdowns).toEqual([]);
		expect(p.curve).not.toBeNull();
	});
});
