import type { RequestContext } from '../request-context.ts';
import { curveOf } from '../../domain/curve.ts';
import { parsePeriodTargets } from '../../domain/plan.schema.ts';
import { curveStoryScope } from '../../domain/curve-story.ts';
import { loadProgress } from './progress.service.ts';
import { curveStory } from './story.service.ts';
import { comparability, NATIONAL, type Comparability } from '../../domain/comparability.ts';
import { planningWarning } from '../../domain/progress.ts';
import { validUntil, type ValidityRule } from '../../domain/validity.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { findIndicatorRow, toIndicatorView } from './kompas.service.ts';
import { indicatorDetail } from './measurement.service.ts';
import { listSchoolYears } from './phase.service.ts';
import { indicatorBreakdowns } from './indicator-breakdown.service.ts';

/**
 * What the indicator page shows: the indicator, its values in the chosen region, each marked verouderd once
 * its validity (validity.ts) has ended on `today`, the baseline's area and whether the region's values compare
 * with it (comparability.ts), a planning warning when the target lies on the wrong side of the baseline; its
 * curve in the region (curve.ts, through the same progress as the dashboard: rolled up over the region's
 * subtree) with status, trend and expected progress; its breakdown per dimension (indicator-breakdown.service.ts,
 * small groups suppressed); and the story behind the curve.
 */
export async function indicatorPage(
	ctx: RequestContext,
	code: string,
	regionSlug: string | null,
	{ includeUnapproved, today }: { includeUnapproved: boolean; today: string }
) {
	const row = await findIndicatorRow(ctx, code);
	if (!row) return null;
	const indicator = toIndicatorView(row);
	const [schoolYears, regions, detail] = await Promise.all([
		listSchoolYears(ctx, today),
		listProgrammeRegions(ctx.db, ctx.programme.id),
		indicatorDetail(ctx, indicator.id, regionSlug, { includeUnapproved })
	]);
	const phases = schoolYears.flatMap((y) => y.phases);
	const rule: ValidityRule = { frequency: row.frequency, validMonths: row.valid_months, targetDate: row.target_date };
	const measurements = detail.measurements.map((m) => {
		const until = validUntil(m.date, rule, phases);
		return { ...m, validUntil: until, stale: until < today };
	});
	const scoped = regions.map((r) => ({ id: r.id, parentId: r.parent_id, slug: r.slug, name: r.name }));
	const scope = row.baseline_value === null ? null : row.baseline_region;
	const shown = scoped.find((r) => r.slug === detail.region?.slug) ?? null;
	const baseline: { area: string | null; comparability: Comparability } = {
		area:
			scope === null
				? null
				: scope === NATIONAL
					? 'Nederland (landelijk)'
					: (scoped.find((r) => r.slug === scope)?.name ?? scope),
		comparability: comparability({ comparable: row.comparable === 1, baselineScope: scope }, scoped, shown?.id ?? null)
	};
	const { curve, story, breakdowns } = await curveAndStory(ctx, row, detail.region?.slug ?? null, today);
	return {
		indicator,
		periodTargets: parsePeriodTargets(row.targets),
		curve,
		breakdowns,
		story,
		schoolYears,
		today,
		...detail,
		measurements,
		baseline,
		planningWarning: planningWarning({
			direction: indicator.direction,
			baseline: indicator.baseline?.value ?? null,
			target: indicator.target?.value ?? null
		})
	};
}

/**
 * The indicator's curve and figure in the region as the dashboard computes them, its breakdown, and the story
 * behind it.
 */
async function curveAndStory(
	ctx: RequestContext,
	row: { id: number; dimensions: string | null; category_targets: string | null },
	region: string | null,
	today: string
) {
	const indicatorId = row.id;
	const loaded = await loadProgress(
		ctx,
		{ region, today },
		{ histories: (inds) => inds.filter((i) => i.id === indicatorId) }
	);
	const ind = loaded.ok ? loaded.value.input.indicators.find((i) => i.id === indicatorId) : undefined;
	// an archived indicator is out of the progress: its page keeps the table, without a curve
	if (!loaded.ok || !ind) return { curve: null, story: null, breakdowns: [] };
	const { input, histories, progress } = loaded.value;
	const figure = progress.indicators.find((i) => i.id === indicatorId)!;
	const scope = curveStoryScope(ind.node, input.nextSteps, input.solutions);
	const curve = curveOf(ind, input, ind.derived ? [] : (histories.get(ind.id) ?? []), today);
	const [breakdowns, story] = await Promise.all([
		indicatorBreakdowns(ctx, row, loaded.value, ind, today),
		scope.stories || scope.nextStepIds.length ? curveStory(ctx, scope) : null
	]);
	return {
		breakdowns,
		curve: {
			...curve,
			period: progress.period,
			perPeriod: figure.perPeriod,
			progress: figure.progress,
			expectedProgress: figure.expected,
			status: figure.status,
			trend: figure.trend,
			trendBasis: figure.trendBasis,
			comparable: figure.comparability.comparable
		},
		story
	};
}
