import type { Insertable } from 'kysely';
import type { ActionTable } from '../db/schema.ts';
import { demoActions, demoMeasurements, type DemoAction } from '../../domain/demo-data.ts';
import { listProgrammes } from '../repositories/kompas.repository.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import * as repo from '../repositories/demo.repository.ts';
import { listDerivedIndicators } from '../repositories/derived.repository.ts';
import { transact, type Conn } from '../db/types.ts';
import type { ActionKind } from '../../domain/action.ts';
import { parseDerivedRule } from '../../domain/plan.schema.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { ensureCurrentSchoolYear } from './phase.service.ts';
import type { Programme } from '../db/schema.ts';
import { dimensionsOf, parseDimensions, parseIndicatorDimensions, storeCategories } from '../../domain/breakdown.ts';

export const DEMO_SOURCE = 'Demo: synthetische waarden, geen echte meting';

/** The programme's solutions, each with the kinds of action its derived indicators count. */
async function demoSolutions(db: Conn, programmeId: number) {
	const kinds = new Map<number, ActionKind[]>();
	for (const i of await listDerivedIndicators(db, programmeId)) {
		if (i.solution_id === null) continue;
		const rule = parseDerivedRule(i.derived);
		kinds.set(i.solution_id, [...(kinds.get(i.solution_id) ?? []), ...(rule?.kinds ?? [])]);
	}
	return (await repo.listSolutions(db, programmeId)).map((x) => ({
		id: x.id,
		nextStepId: x.next_step_id,
		kinds: kinds.get(x.id)
	}));
}

/** A demo action as a stored row: flagged demo, logged by nobody. */
const actionRow = (programmeId: number, a: DemoAction): Insertable<ActionTable> => ({
	programme_id: programmeId,
	date: a.date,
	next_step_id: a.nextStepId,
	solution_id: a.solutionId,
	kind: a.kind,
	organisation_id: a.organisationId,
	region_id: a.regionId,
	reached_jongeren: a.reached.jongeren,
	reached_ouders: a.reached.ouders,
	reached_professionals: a.reached.professionals,
	description: a.description,
	quote: a.quote,
	quote_public: a.quotePublic ? 1 : 0,
	author_id: null,
	demo: 1
});

export interface DemoSeed {
	measurements: number;
	actions: number;
}

/**
 * The phases demo data covers: every school year from the programme's first full one up to today's
 * (created from the template where the plan has none), from the programme's start up to the phase that
 * contains today — cut off at today, since demo figures are never dated in the future.
 */
async function demoPhases(tx: Conn, programme: Programme, today: string) {
	const first = Number(programme.start_date.slice(0, 4)) + (programme.start_date.slice(5) > '09-01' ? 1 : 0);
	for (let year = first; `${year}-09-01` <= today; year++)
		await ensureCurrentSchoolYear(tx, programme, `${year}-10-01`);
	return (await repo.listPhases(tx, programme.id))
		.filter((p) => p.start_date >= programme.start_date && p.start_date <= today)
		.map((p) => ({ start: p.start_date, end: p.end_date < today ? p.end_date : today }));
}

/**
 * Synthetic measurements for each programme's phases up to today, at the neighbourhood level (the first
 * child of the top region), and synthetic actions spread over the regions below it, all flagged demo, so
 * a fresh install's default view shows current, plausible data. Idempotent: existing measurements are
 * never touched, and a programme with any action gets none.
 */
export async function seedDemo(db: Conn, { today = todayIso() } = {}): Promise<DemoSeed> {
	return transact(db, async (tx) => {
		const added: DemoSeed = { measurements: 0, actions: 0 };
		for (const programme of await listProgrammes(tx)) {
			const regions = await listProgrammeRegions(tx, programme.id);
			const root = regions.find((r) => r.parent_id === null);
			const region = regions.find((r) => r.parent_id === root?.id) ?? root;
			if (!region) continue;
			const phases = await demoPhases(tx, programme, today);
			const dimensions = parseDimensions(programme.dimensions);
			const indicators = (await repo.listIndicators(tx, programme.id)).map((i) => ({
				id: i.id,
				code: i.code,
				unit: i.unit,
				kind: i.kind,
				derived: i.derived,
				baseline: i.baseline_value,
				target: i.target_value,
				direction: i.direction,
				dimensions: dimensionsOf(dimensions, parseIndicatorDimensions(i.dimensions))
			}));
			const dimensionsOfIndicator = new Map(indicators.map((i) => [i.id, i.dimensions]));
			const rows = demoMeasurements(
				indicators,
				phases.map((p) => p.end)
			).map((m) => ({
				indicator_id: m.indicatorId,
				region_id: region.id,
				date: m.date,
				value: m.value,
				n: m.n,
				categories: storeCategories(m.categories, dimensionsOfIndicator.get(m.indicatorId) ?? []),
				source: DEMO_SOURCE,
				status: 'approved' as const,
				demo: 1
			}));
			await repo.insertMissingMeasurements(tx, rows);
			added.measurements += rows.length;
			if (!(await repo.hasActions(tx, programme.id))) {
				const below = regions.filter((r) => r.parent_id === region.id);
				const actions = demoActions({
					solutions: await demoSolutions(tx, programme.id),
					phases,
					regionIds: (below.length ? below : [region]).map((r) => r.id),
					organisations: (await repo.listOrganisations(tx, programme.id)).map((o) => ({
						id: o.id,
						regionId: o.region_id
					}))
				});
				await repo.insertActions(
					tx,
					actions.map((a) => actionRow(programme.id, a))
				);
				added.actions += actions.length;
			}
		}
		return added;
	});
}
