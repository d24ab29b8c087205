import type { ProgrammeContext } from '../request-context.ts';
import {
	categoryKey,
	dimensionsOf,
	parseCategories,
	parseCategoryTargets,
	parseDimensions,
	parseIndicatorDimensions,
	throughCategory,
	type CategoryTarget
} from '../../domain/breakdown.ts';
import { dimensionBreakdown, type DimensionBreakdown } from '../../domain/breakdown-view.ts';
import { curveOf } from '../../domain/curve.ts';
import type { ProgressIndicator } from '../../domain/programme-progress.ts';
import { subtree, type Observation } from '../../domain/rollup.ts';
import { loadCategoryHistory } from '../repositories/progress.repository.ts';
import type { ProgressContext } from './progress.service.ts';

/**
 * The indicator page's breakdown (issue 17): per dimension the indicator is split by, each category's curve
 * in the chosen region through the same roll-up as the total (`curveOf` over `throughCategory`: freshness,
 * most recent wins, coverage, the region tree), with the category's own baseline and target (none of its
 * own: none), and every figure of a small group suppressed (breakdown-view.ts). One more query, for this
 * indicator only; none at all for an indicator without dimensions. A derived reach split by target group
 * takes its categories from the action log the progress already read (observationsOf seen through the
 * category), so it costs no query.
 */
export async function indicatorBreakdowns(
	{ db, programme }: ProgrammeContext,
	stored: { dimensions: string | null; category_targets: string | null },
	loaded: ProgressContext,
	ind: ProgressIndicator,
	today: string
): Promise<DimensionBreakdown[]> {
	const dimensions = dimensionsOf(parseDimensions(programme.dimensions), parseIndicatorDimensions(stored.dimensions));
	if (dimensions.length === 0 || ind.unit === 'text') return [];
	const { input, region, regions } = loaded;
	const rows = ind.derived
		? []
		: await loadCategoryHistory(db, {
				indicatorId: ind.id,
				regionIds: region ? subtree(regions, region.id) : null,
				start: null,
				end: input.period.schoolYear?.phases.at(-1)?.end ?? input.period.window.end
			});
	const observations: Observation[] = rows.map((r) => ({
		regionId: r.region_id,
		date: r.date,
		value: Number(r.value),
		n: r.n === null ? null : Number(r.n),
		source: r.source,
		demo: Number(r.demo) === 1,
		categories: parseCategories(r.categories)
	}));
	const targets = parseCategoryTargets(stored.category_targets);
	const given = new Set(observations.flatMap((o) => (o.categories ?? []).map(categoryKey)));
	return dimensions.map((d) => {
		// an archived value keeps its column while figures carry it
		const values = d.values.filter((v) => !v.archived || given.has(categoryKey({ dimension: d.key, category: v.key })));
		const curves = values.map((v) => {
			const key = categoryKey({ dimension: d.key, category: v.key });
			const own = targets.find((t) => categoryKey(t) === key);
			const { points } = ind.derived
				? // minimum 0: every point is kept here, so that dimensionBreakdown judges the small ones with the rest
					curveOf(
						ofCategory(ind, own),
						{ ...input, category: { key, split: new Set([ind.id]), minGroupSize: 0 } },
						[],
						today
					)
				: curveOf(ofCategory(ind, own), input, throughCategory(observations, key), today);
			return {
				key: v.key,
				name: v.name,
				points,
				baseline: own?.baseline
					? { value: own.baseline.value, date: own.baseline.date, demo: own.baseline.demo === true }
					: null,
				target: own?.target ? { value: own.target.value, date: own.target.date, demo: own.target.demo === true } : null
			};
		});
		return dimensionBreakdown({ key: d.key, name: d.name }, curves, ind.unit, programme.min_group_size);
	});
}

/** The indicator as one category sees it: the category's own baseline and target, never the total's. */
const ofCategory = (ind: ProgressIndicator, own: CategoryTarget | undefined): ProgressIndicator => ({
	...ind,
	baseline: own?.baseline
		? {
				value: own.baseline.value,
				date: own.baseline.date,
				source: own.baseline.source,
				demo: own.baseline.demo === true,
				region: null
			}
		: null,
	target: own?.target ? { value: own.target.value, date: own.target.date, demo: own.target.demo === true } : null,
	targets: []
});
