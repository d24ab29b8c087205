import type { RequestContext } from '../request-context.ts';
import {
	actionsPerMonth,
	chartIndicator,
	evaluationGrid,
	indicatorSeries,
	regionComparison
} from '../../domain/dashboard.ts';
import type { PeriodSchoolYear } from '../../domain/period.ts';
import { canSeeUnsharedStories } from '../../domain/permissions.ts';
import { childrenOf } from '../../domain/rollup.ts';
import { describeIndicator, describeTheme, noFreshDataText, outsidePhasesText } from '../../domain/coverage-text.ts';
import { phaseOf, schoolYearOf } from '../../domain/phase-calendar.ts';
import { loadProgress, type ProgressContext } from './progress.service.ts';
import { curveOf, keyIndicators, recentSince } from '../../domain/curve.ts';
import { keyIndicatorRow, summaryRows } from '../../domain/summary-band.ts';
import { DECISION_LABEL } from '../../domain/evaluation.ts';
import { ok, type Result } from '../../domain/result.ts';
import { systemMapOf } from './system-map.service.ts';
import { categoryHeading, categoryNote, categoryParam } from '../../domain/category-progress.ts';

export interface DashboardQuery {
	region?: string | null;
	phase?: string | null;
	/** code of the indicator the charts show */
	indicator?: string | null;
	/** one category, `geslacht:meisje` (progress.service categoryFilter); null = the totals */
	category?: string | null;
}

/** The region tree in display order, each with its depth (for an indented choice list). */
export function regionOptions(ctx: Pick<ProgressContext, 'regions'>) {
	const children = childrenOf(ctx.regions);
	const out: { slug: string; name: string; depth: number }[] = [];
	const visit = (parent: number | null, depth: number) => {
		for (const id of children.get(parent) ?? []) {
			const r = ctx.regions.find((x) => x.id === id)!;
			out.push({ slug: r.slug, name: r.name, depth });
			visit(id, depth + 1);
		}
	};
	visit(null, 0);
	return out;
}

export const periodOptions = (years: readonly PeriodSchoolYear[]) =>
	years.map((y) => ({
		name: y.name,
		phases: y.phases.map((p) => ({ id: p.id, name: p.name, start: p.start, end: p.end }))
	}));

/** The "Uitsplitsing" choice: per dimension its values, `geslacht:meisje` with "Geslacht: meisje". */
export const categoryOptions = (ctx: Pick<ProgressContext, 'dimensions'>) =>
	ctx.dimensions.map((d) => ({
		name: d.name,
		values: d.values.map((v) => ({
			key: `${d.key}:${v.key}`,
			label: `${d.name}: ${v.name.toLowerCase()}`,
			archived: v.archived ?? false
		}))
	}));

/** The selection as shown and as it goes back into a URL. */
export function selectionOf(ctx: ProgressContext) {
	const { period } = ctx.progress;
	const c = ctx.category;
	return {
		region: ctx.region ? { slug: ctx.region.slug, name: ctx.region.name } : null,
		/** the category every figure is of: its key, the URL parameter and the heading ("Alleen meisje (geslacht)") */
		category: c && {
			key: c.key,
			param: categoryParam(c),
			heading: categoryHeading(c),
			dimension: c.dimension.name,
			minGroupSize: c.minGroupSize
		},
		categories: categoryOptions(ctx),
		phase: period.param,
		schoolYear: period.schoolYear?.name ?? null,
		phaseName: period.phase?.name ?? null,
		window: period.window,
		actionSpan: period.actions
	};
}

/**
 * The words beside every figure (coverage-text.ts, the one wording) and the freshness of the period: per
 * indicator code its figure's facts, per theme id its coverage sentences, the programme's summer bucket, and
 * when nothing fresh counts in the period the one sentence that says so, with the last period that has data.
 */
export function figureTexts(ctx: ProgressContext) {
	const { progress, input } = ctx;
	const opts = {
		regions: ctx.regions,
		regionName: ctx.region?.name ?? null,
		phaseNames: new Map(input.phases.map((p) => [p.id, p.name])),
		...(ctx.category ? { dimensionName: ctx.category.dimension.name } : {})
	};
	const yearOf = new Map(ctx.schoolYears.flatMap((y) => y.phases.map((p) => [p.id, y.name] as const)));
	const actions = progress.themes.reduce((s, t) => s + t.actions, 0);
	const empty = progress.fresh.indicators === 0 && actions === 0;
	const last = ctx.lastData;
	const lastPhase = last ? phaseOf(last, input.phases) : null;
	const lastYear = last ? ctx.schoolYears.find((y) => y.name === schoolYearOf(last)) : undefined;
	return {
		indicators: Object.fromEntries(progress.indicators.map((i) => [i.code, describeIndicator(i, opts)])),
		themes: Object.fromEntries(progress.themes.map((t) => [t.id, describeTheme(t, progress.indicators, yearOf)])),
		outsidePhases: outsidePhasesText(progress.outsidePhases, progress.outsidePhases.indicators.length),
		/** under a breakdown: what its figures are, and what is left out */
		category: ctx.category ? categoryNote(ctx.category) : null,
		noFreshData: empty
			? {
					sentence: noFreshDataText(progress.period, last),
					/** the `fase` URL value of the last period with data: its phase, else its school year */
					lastPeriod: lastPhase ? String(lastPhase.id) : (lastYear?.name ?? null)
				}
			: null
	};
}

/** The "Op koers?" band: per theme status, trend, progress against expected, coverage, evaluation and actions. */
export function summaryOf(ctx: ProgressContext) {
	const { period } = ctx.progress;
	return summaryRows(ctx.progress.themes, {
		schoolYearOfPhase: new Map(ctx.schoolYears.flatMap((y) => y.phases.map((p) => [p.id, y.name] as const))),
		decisionLabel: DECISION_LABEL,
		actionSpan: period.phase ? 'in deze fase' : 'in dit schooljaar'
	});
}

/**
 * Everything the programme dashboard shows, in a fixed number of queries (see progress.service). Stories
 * not marked shareable are shown only to those who may see them (never to funders).
 */
export async function dashboard(
	{ db, programme, actor }: RequestContext,
	q: DashboardQuery
): Promise<Result<ReturnType<typeof present>>> {
	const publicOnly = !canSeeUnsharedStories(actor, programme.id);
	const ctx = await loadProgress(
		{ db, programme },
		{ region: q.region, phase: q.phase, category: q.category },
		{
			series: (indicators) => chartIndicator(indicators, q.indicator ?? null),
			histories: keyIndicators,
			historySince: (period) => recentSince(period.window.end),
			stories: { publicOnly, perStep: 1 }
		}
	);
	return ctx.ok ? ok(present(ctx.value)) : ctx;
}

function present(ctx: ProgressContext) {
	const { progress, input } = ctx;
	const newestStory = (stepIds: number[]) => {
		const s = ctx.stories.find((x) => stepIds.includes(x.nextStepId));
		return s ? { date: s.date, quote: s.quote, demo: s.demo } : null;
	};
	const chart = ctx.series && {
		indicator: progress.indicators.find((i) => i.id === ctx.series!.indicator.id)!,
		series: indicatorSeries(ctx.series.indicator, input, ctx.series.observations, ctx.today),
		comparison: regionComparison(ctx.series.indicator, input)
	};
	// a sparkline shows the figures since the start of the previous school year (recentSince): a curve over
	// every phase of ten school years made the dashboard too slow at national scale (npm run bench)
	const since = recentSince(progress.period.window.end);
	const keys = keyIndicators(input.indicators).map((ind) =>
		keyIndicatorRow(
			progress.indicators.find((i) => i.id === ind.id)!,
			curveOf(ind, input, ctx.histories.get(ind.id) ?? [], ctx.today, since).points
		)
	);
	return {
		selection: selectionOf(ctx),
		summary: summaryOf(ctx),
		keyIndicators: keys,
		regions: regionOptions(ctx),
		schoolYears: periodOptions(ctx.schoolYears),
		themes: progress.themes.map((t) => ({ ...t, story: newestStory(t.nextSteps.map((s) => s.id)) })),
		beleid: progress.beleid,
		indicators: progress.indicators,
		chart,
		months: actionsPerMonth(input),
		grid: evaluationGrid(input, ctx.today),
		gridPhases: (progress.period.schoolYear?.phases ?? []).map((p) => ({ id: p.id, name: p.name })),
		texts: figureTexts(ctx),
		systemMap: systemMapOf(ctx)
	};
}

export type DashboardView = ReturnType<typeof present>;
