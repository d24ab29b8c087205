import {
	categoryHidden,
	figurePeriodOf,
	valueFromObservations,
	valueIn,
	type ProgressIndicator,
	type ProgressInput
} from './programme-progress.ts';
import type { FigureResult } from './rollup.ts';
import { childrenOf, type Observation } from './rollup.ts';
import { gridCell, type GridCell } from './evaluation-grid.ts';

/**
 * What the dashboard draws besides the theme cards, from the same loaded rows and the same roll-up rules:
 * one indicator over the phases of the school year, the same indicator across the child regions, actions
 * per month per theme, and the evaluation grid themes × phases.
 */

export interface SeriesPoint {
	phaseId: number;
	phase: string;
	/** the phase's last day: the value is as it stood then */
	date: string;
	value: number | null;
	demo: boolean;
	/** a verouderd value (drawn hollow): the newest there is, not counted */
	stale: boolean;
	/** the date of the newest value behind it */
	measured: string | null;
	/** under a category: a group too small to show (value null) */
	suppressed?: boolean;
}

export interface RegionBar {
	slug: string;
	name: string;
	value: number | null;
	demo: boolean;
	stale: boolean;
	measured: string | null;
	/** under a category: a group too small to show (value null) */
	suppressed?: boolean;
}

/**
 * A figure as a chart point: the counting value, else the verouderd one marked as such; under a category
 * nothing of an indicator not split by it, and no value of a group too small to show.
 */
const shown = ({ figure, stale }: FigureResult, ind: ProgressIndicator, input: Pick<ProgressInput, 'category'>) => {
	const v = figure ?? stale;
	const hidden = v && categoryHidden(ind, input, v);
	if (hidden)
		return {
			value: null,
			demo: false,
			stale: false,
			measured: null,
			...(hidden === 'small' ? { suppressed: true } : {})
		};
	return {
		value: v?.value ?? null,
		demo: v?.demo ?? false,
		stale: figure === null && stale !== null,
		measured: v?.date ?? null
	};
};

export interface MonthRow {
	month: string;
	/** actions per theme id */
	perTheme: Record<number, number>;
}

/** A phase of a theme on the dashboard's grid: each next step's evaluation as the evaluation grid words it. */
export interface ThemePhaseCell {
	phaseId: number;
	steps: { nextStepId: number; code: string; cell: GridCell; decision: string | null }[];
}

/**
 * The indicator's value at the end of each phase of the chosen school year (per-period values counted from
 * its start). A phase that has not begun by `today` has no value yet: the last known one is not carried into it.
 */
export function indicatorSeries(
	ind: ProgressIndicator,
	input: ProgressInput,
	observations: readonly Observation[],
	today: string
): SeriesPoint[] {
	const phases = input.period.schoolYear?.phases ?? [];
	const start = phases[0]?.start ?? null;
	return phases.map((p, i) => {
		const point = { phaseId: p.id, phase: p.name, date: p.end };
		if (p.start > today) return { ...point, value: null, demo: false, stale: false, measured: null };
		const period = {
			window: { start, end: p.end },
			phases: phases.slice(0, i + 1),
			allPhases: input.phases,
			outside: null
		};
		return {
			...point,
			...shown(
				ind.derived
					? valueIn(ind, input, input.regionId, period)
					: valueFromObservations(ind, input.regions, observations, input.regionId, period),
				ind,
				input
			)
		};
	});
}

/**
 * The indicator in each child of the chosen region (the top regions for the whole programme); a level with
 * a single region is skipped, since comparing one region with itself says nothing.
 */
export function regionComparison(
	ind: ProgressIndicator,
	input: ProgressInput
): { parent: string | null; bars: RegionBar[] } {
	const children = childrenOf(input.regions);
	let parent = input.regionId;
	let ids = children.get(parent) ?? [];
	while (ids.length === 1 && (children.get(ids[0]) ?? []).length > 0) [parent, ids] = [ids[0], children.get(ids[0])!];
	const period = figurePeriodOf(input);
	const bars = input.regions
		.filter((r) => ids.includes(r.id))
		.map((r) => ({ slug: r.slug, name: r.name, ...shown(valueIn(ind, input, r.id, period), ind, input) }));
	return { parent: input.regions.find((r) => r.id === parent)?.name ?? null, bars };
}

/** Every month of the school year with the number of actions per theme (months without actions included). */
export function actionsPerMonth(input: ProgressInput): MonthRow[] {
	const phases = input.period.schoolYear?.phases ?? [];
	const first = phases[0]?.start ?? input.actionGroups.map((g) => g.date).sort()[0];
	const last =
		phases.at(-1)?.end ??
		input.actionGroups
			.map((g) => g.date)
			.sort()
			.at(-1);
	if (!first || !last) return [];
	const themeOf = new Map(input.nextSteps.map((s) => [s.id, s.parentId ?? -1]));
	const rows = new Map<string, MonthRow>();
	let [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
	const end = last.slice(0, 7);
	for (;;) {
		const key = `${y}-${String(m).padStart(2, '0')}`;
		if (key > end) break;
		rows.set(key, { month: key, perTheme: Object.fromEntries(input.themes.map((t) => [t.id, 0])) });
		[y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
	}
	for (const g of input.actionGroups) {
		const row = rows.get(g.date.slice(0, 7));
		const theme = themeOf.get(g.nextStepId);
		if (row && theme !== undefined && theme in row.perTheme) row.perTheme[theme] += g.actions;
	}
	return [...rows.values()];
}

/**
 * Per theme, per phase of the school year: each next step's evaluation in the words of the evaluation grid
 * (`gridCell`); what is open is for the lead's own grid, so here an unevaluated phase is past or to come.
 */
export function evaluationGrid(input: ProgressInput, today: string): { themeId: number; cells: ThemePhaseCell[] }[] {
	const phases = input.period.schoolYear?.phases ?? [];
	return input.themes.map((t) => {
		const steps = input.nextSteps.filter((s) => s.parentId === t.id);
		return {
			themeId: t.id,
			cells: phases.map((p) => ({
				phaseId: p.id,
				steps: steps.map((s) => {
					const e = input.evaluations.find((x) => x.nextStepId === s.id && x.phaseId === p.id);
					const evaluation = e ? { state: e.state, status: e.status } : null;
					return {
						nextStepId: s.id,
						code: s.code,
						cell: gridCell({ evaluation, open: null, phase: p, today }),
						decision: e?.state === 'final' ? e.decision : null
					};
				})
			}))
		};
	});
}

/** The indicator the charts show: the asked one if numeric, else the first numeric indicator of the Uitvoering. */
export function chartIndicator(indicators: readonly ProgressIndicator[], asked: string | null): string | null {
	const numeric = indicators.filter((i) => i.unit !== 'text');
	if (asked && numeric.some((i) => i.code === asked)) return asked;
	const uitvoering = numeric.filter((i) => i.node.level !== 'ambition' && i.node.level !== 'outcome');
	return (uitvoering[0] ?? numeric[0])?.code ?? null;
}
