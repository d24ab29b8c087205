import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import type { Plan } from '../../src/lib/domain/plan.schema.ts';
import { parseDimensions, storeCategories, type CategoryValue } from '../../src/lib/domain/breakdown.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { ZKL } from './plans.ts';

/**
 * The ZKL seed plan with more breakdowns (issue 17), as a test fixture: a minimum group size of 15, the seed's
 * dimensions with one gender value archived, and the pressure indicator split by gender with a baseline and
 * target for girls and a target for boys. The seed files stay as they are.
 */
export function zklWithDimensions(): ReturnType<typeof readPlanFile> {
	const { plan, library } = readPlanFile(ZKL);
	plan.programme.minGroupSize = 15;
	// the seed's dimensions (geslacht, leeftijd, doelgroep), with the gender value anders/onbekend archived
	plan.dimensions = (plan.dimensions ?? []).map((d) =>
		d.key === 'geslacht'
			? { ...d, values: d.values.map((v) => (v.key === 'anders-onbekend' ? { ...v, archived: true } : v)) }
			: d
	);
	const druk = indicator(plan, 'ZKL-MR-1-DRUK');
	druk.dimensions = ['geslacht'];
	druk.categoryTargets = [
		{
			dimension: 'geslacht',
			category: 'meisje',
			baseline: { value: 41.5, date: '2023-10-01', source: 'Gezondheidsmonitor Jeugd 2023', demo: true },
			target: { value: 35, date: '2027-07-31', demo: true }
		},
		{ dimension: 'geslacht', category: 'jongen', target: { value: 25, date: '2027-07-31' } }
	];
	return { plan, library };
}

/** The indicator with this code, wherever it hangs in the plan. */
export function indicator(plan: Plan, code: string) {
	const all = [
		...plan.ambitions.flatMap((a) => a.indicators),
		...plan.outcomes.flatMap((o) => o.indicators),
		...plan.themes.flatMap((t) => [
			...t.indicators,
			...t.nextSteps.flatMap((s) => [...s.indicators, ...s.solutions.flatMap((o) => o.indicators)])
		])
	];
	return all.find((i) => i.code === code)!;
}

/** A measurement of the indicator (by code) in a region (by slug) carrying these categories, stored as the app stores them. */
export async function measurementWith(
	db: Kysely<Database>,
	{ slug, code, region, categories }: { slug: string; code: string; region: string; categories: CategoryValue[] }
) {
	const p = await db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
	const i = await db
		.selectFrom('indicators')
		.select('id')
		.where('programme_id', '=', p.id)
		.where('code', '=', code)
		.executeTakeFirstOrThrow();
	const r = await db
		.selectFrom('regions')
		.select('id')
		.where('programme_id', '=', p.id)
		.where('slug', '=', region)
		.executeTakeFirstOrThrow();
	await db
		.insertInto('measurements')
		.values({
			indicator_id: i.id,
			region_id: r.id,
			date: '2025-03-01',
			value: 40,
			n: 200,
			source: 'Peiling',
			status: 'approved',
			categories: storeCategories(categories, parseDimensions(p.dimensions)),
			demo: 0
		})
		.execute();
}
