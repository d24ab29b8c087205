import type { Insertable, Kysely } from 'kysely';
import type { ActionTable, Database, EvaluationTable, MeasurementTable } from '../../src/lib/server/db/schema.ts';

/**
 * Activity for a loaded plan, written straight into the tables: actions in every phase (some with a
 * quote, some shareable), approved measurements at school level (plus one submitted one that must not
 * count), and final and draft evaluations. Deterministic, so tests can compare numbers.
 */
export async function addActivity(db: Kysely<Database>, slug: string) {
	const programme = await db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
	const regions = await db
		.selectFrom('regions')
		.selectAll()
		.where('programme_id', '=', programme.id)
		.orderBy('id')
		.execute();
	// the plans' own school year (the demo seed adds the school years around it up to today)
	const phases = await db
		.selectFrom('phases')
		.selectAll('phases')
		.innerJoin('school_years', 'school_years.id', 'phases.school_year_id')
		.where('phases.programme_id', '=', programme.id)
		.where('school_years.name', '=', '2024-2025')
		.orderBy('phases.start_date')
		.execute();
	const steps = await db
		.selectFrom('next_steps')
		.selectAll()
		.where('programme_id', '=', programme.id)
		.orderBy('id')
		.execute();
	const solutions = await db
		.selectFrom('solutions')
		.selectAll()
		.where('programme_id', '=', programme.id)
		.orderBy('id')
		.execute();
	const leaves = regions.filter((r) => !regions.some((c) => c.parent_id === r.id));
	const kinds = ['les', 'sessie', 'bijeenkomst', 'gesprek'] as const;

	const actions: Insertable<ActionTable>[] = phases.flatMap((phase, p) =>
		steps.flatMap((step, s) =>
			[0, 1, 2].map((k) => {
				const solution = solutions.filter((o) => o.next_step_id === step.id)[k % 2] ?? null;
				const region = leaves[(p + s + k) % leaves.length];
				const quoted = k === 0;
				return {
					programme_id: programme.id,
					date: `${phase.start_date.slice(0, 8)}${String(10 + k).padStart(2, '0')}`,
					next_step_id: step.id,
					solution_id: solution?.id ?? null,
					kind: kinds[(p + k) % kinds.length],
					region_id: region.id,
					reached_jongeren: 10 + p * 3 + s + k,
					reached_ouders: k === 1 ? 5 + p : 0,
					reached_professionals: k === 2 ? 2 : 0,
					description: `Testactie ${p}-${s}-${k}`,
					quote: quoted ? `Verhaal fase ${phase.name} stap ${step.code}${s % 2 ? ' (intern)' : ''}` : null,
					quote_public: quoted && s % 2 === 0 ? 1 : 0,
					demo: 0
				};
			})
		)
	);
	for (let i = 0; i < actions.length; i += 100)
		await db
			.insertInto('actions')
			.values(actions.slice(i, i + 100))
			.execute();

	// a weighted-mean indicator measured per school: the programme value must weight by n
	const indicator = await db
		.selectFrom('indicators')
		.selectAll()
		.where('programme_id', '=', programme.id)
		.where('aggregation', '=', 'weighted_mean')
		.where('derived', 'is', null)
		.where('theme_id', 'is not', null)
		.orderBy('id')
		.executeTakeFirstOrThrow();
	const schools = leaves.slice(0, 2);
	const measurements: Insertable<MeasurementTable>[] = phases.slice(0, 3).flatMap((phase, p) =>
		schools.map((school, k) => ({
			indicator_id: indicator.id,
			region_id: school.id,
			date: phase.end_date,
			value: 30 + p * 10 + k * 20,
			n: 20 + k * 60,
			source: 'Testpeiling',
			status: 'approved',
			demo: 0
		}))
	);
	measurements.push({
		indicator_id: indicator.id,
		region_id: schools[0].id,
		date: phases[3].end_date,
		value: 99,
		n: 1000,
		source: 'Ingediend, niet goedgekeurd',
		status: 'submitted',
		demo: 0
	});
	await db.insertInto('measurements').values(measurements).execute();

	const evaluations: Insertable<EvaluationTable>[] = steps.slice(0, 3).flatMap((step, s) => [
		{
			next_step_id: step.id,
			phase_id: phases[0].id,
			state: 'final',
			status: s === 1 ? 'aandacht_nodig' : 'op_koers',
			decision: 'voortzetten',
			story: 'Goed gestart',
			done: 'Lessen gegeven',
			learnings: '',
			snapshot: null,
			finalised_at: null,
			finalised_by: null,
			created_by: null
		},
		{
			next_step_id: step.id,
			phase_id: phases[1].id,
			state: s === 0 ? 'final' : 'draft',
			status: 'bijsturen',
			decision: 'bijstellen',
			story: '',
			done: '',
			learnings: '',
			snapshot: null,
			finalised_at: null,
			finalised_by: null,
			created_by: null
		}
	]);
	await db.insertInto('evaluations').values(evaluations).execute();
	return { programme, regions, phases, steps, indicator, schools };
}

/**
 * Four approved values of Vleuten's key indicator VV-AMB-1-STRESS in Utrecht (lower is better: 49 → 48 →
 * 47 → 44), for a trend, a status and a sparkline of a key indicator; returns the values written.
 */
export async function addStressHistory(db: Kysely<Database>) {
	const stress = await db
		.selectFrom('indicators')
		.select('id')
		.where('code', '=', 'VV-AMB-1-STRESS')
		.executeTakeFirstOrThrow();
	const utrecht = await db.selectFrom('regions').select('id').where('slug', '=', 'utrecht').executeTakeFirstOrThrow();
	const values = [
		['2024-06-30', 49],
		['2025-06-30', 48],
		['2025-10-15', 47],
		['2026-11-30', 44]
	] as const;
	await db
		.insertInto('measurements')
		.values(
			values.map(([date, value]) => ({
				indicator_id: stress.id,
				region_id: utrecht.id,
				date,
				value,
				n: 800,
				source: 'Peiling Utrecht',
				status: 'approved' as const,
				demo: 0
			}))
		)
		.execute();
	return values;
}
