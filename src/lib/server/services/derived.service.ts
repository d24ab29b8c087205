import type { ProgrammeContext } from '../request-context.ts';
import {
	derivedInRegion,
	derivedPoints,
	withReachSplit,
	type ActionFact,
	type RegionNode
} from '../../domain/derived.ts';
import { parseDimensions, parseIndicatorDimensions, type CategoryValue } from '../../domain/breakdown.ts';
import type { MeasurementView } from '../../domain/measurement.ts';
import { plural } from '../../domain/dutch-format.ts';
import { liveTreeOfRows, nodeOfIndicator } from '../../domain/plan-tree.ts';
import * as repo from '../repositories/derived.repository.ts';
import { parseDerivedRule } from '../../domain/plan.schema.ts';

/** A derived value, shaped like an approved measurement so charts and progress can use it as one. */
export interface DerivedMeasurement {
	indicatorId: number;
	/** indicator code */
	indicator: string;
	/** region slug where the actions were logged */
	region: string;
	/** the phase's end date */
	date: string;
	value: number;
	derived: true;
	phaseId: number;
	phase: string;
	/** number of actions behind the value */
	actions: number;
	/** true when any action behind the value is demo data */
	demo: boolean;
	/** a reach indicator split by target group: the reach per group (`dimension` = its target-group dimension) */
	categories?: CategoryValue[];
}

/**
 * The values of a programme's derived indicators (or of the given ones), per phase and per region
 * where actions were logged. Computed on each call from the action log, never stored. Three queries. An
 * indicator below an archived node has none (liveTree, as in the kompas).
 */
export async function derivedMeasurements(
	{ db, programme }: ProgrammeContext,
	indicatorIds?: readonly number[]
): Promise<DerivedMeasurement[]> {
	const programmeId = programme.id;
	const indicators = liveTreeOfRows(await repo.listDerivedIndicators(db, programmeId, indicatorIds)).indicators;
	if (indicators.length === 0) return [];
	const [rows, phases] = await Promise.all([
		repo.listActionFacts(db, programmeId),
		repo.listPhaseSpans(db, programmeId)
	]);
	const actions: ActionFact[] = rows.map((r) => ({
		date: r.date,
		// an action on an archived next step counts for no theme, as in the progress (its step is not in the live tree)
		themeId: r.next_step_archived_at === null ? r.theme_id : -1,
		nextStepId: r.next_step_id,
		solutionId: r.solution_id,
		kind: r.kind,
		region: r.region,
		reached: { jongeren: r.reached_jongeren, ouders: r.reached_ouders, professionals: r.reached_professionals },
		demo: r.demo === 1
	}));
	const dimensions = parseDimensions(programme.dimensions);
	return indicators.flatMap((ind) => {
		const rule = withReachSplit(parseDerivedRule(ind.derived), parseIndicatorDimensions(ind.dimensions), dimensions)!;
		return derivedPoints(rule, nodeOfIndicator(ind), actions, phases).map((p) => ({
			indicatorId: ind.id,
			indicator: ind.code,
			region: p.region,
			date: p.phase.end,
			value: p.value,
			derived: true as const,
			phaseId: p.phase.id,
			phase: p.phase.name,
			actions: p.actions,
			demo: p.demo,
			...(p.categories ? { categories: p.categories } : {})
		}));
	});
}

type DerivedValue = Pick<DerivedMeasurement, 'date' | 'value' | 'actions' | 'demo'>;

/** A derived value as a measurement row: approved by definition, marked `derived`, with a negative id so it never collides with a stored one. */
const asRow = (code: string, region: string, v: DerivedValue, i: number): MeasurementView => ({
	id: -(i + 1),
	indicator: code,
	region,
	date: v.date,
	value: v.value,
	text: null,
	n: null,
	source: `Actielogboek: ${plural(v.actions, 'actie', 'acties')}`,
	note: null,
	status: 'approved',
	demo: v.demo,
	derived: true
});

/** Derived values of one indicator as measurement rows for a region, summed over the regions below it. */
export function derivedRows(
	values: readonly DerivedMeasurement[],
	regions: readonly RegionNode[],
	regionSlug: string
): MeasurementView[] {
	const code = values[0]?.indicator ?? '';
	return derivedInRegion(values, regions, regionSlug).map((v, i) => asRow(code, regionSlug, v, i));
}

/** Derived values of one indicator as measurement rows, one per phase and region where the actions were logged. */
export function derivedRowsPerRegion(values: readonly DerivedMeasurement[]): MeasurementView[] {
	return values.map((v, i) => asRow(v.indicator, v.region, v, i));
}
