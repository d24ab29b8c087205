import type { CurvePoint } from './curve.ts';
import { categoryGap } from './category-gap.ts';
import type { Unit } from './plan.schema.ts';
import { withSuppression, type Suppression } from './small-groups.ts';

/**
 * What the indicator page shows of one dimension of a breakdown (issue 17): each category's curve (curve.ts,
 * through the same roll-up as the total) as rows per date, every figure of a too-small group removed — value
 * and n, not just hidden — before it leaves the server (small-groups.ts, primary and secondary per date over
 * the dimension's categories), and the gap between categories from the figures that are shown.
 */

export interface PlanFigure {
	value: number;
	date: string;
	demo: boolean;
}

/** One category's rolled-up curve in the chosen region, with its own baseline and target (none: null). */
export interface CategoryCurve {
	key: string;
	name: string;
	points: readonly CurvePoint[];
	baseline: PlanFigure | null;
	target: PlanFigure | null;
}

/** A category's figure at a date as it may be shown: value and n null when suppressed, saying why. */
export interface BreakdownCell {
	value: number | null;
	n: number | null;
	suppressed: Suppression | null;
	stale: boolean;
	demo: boolean;
}

export interface BreakdownRow {
	date: string;
	/** one per category, in the dimension's order; null = no figure of that category at this date */
	cells: (BreakdownCell | null)[];
}

export interface DimensionBreakdown {
	dimension: { key: string; name: string };
	categories: { key: string; name: string; baseline: PlanFigure | null; target: PlanFigure | null }[];
	rows: BreakdownRow[];
	/** "Verschil meisje–jongen: 17 procentpunt (was 21 in juni 2025)", from shown figures; null without two */
	gap: string | null;
	/** the programme's threshold, said beside the table */
	minGroupSize: number;
}

/** One dimension's curves as the page shows them: rows per date, suppressed per date, with the gap. */
export function dimensionBreakdown(
	dimension: { key: string; name: string },
	curves: readonly CategoryCurve[],
	unit: Unit,
	minGroupSize: number
): DimensionBreakdown {
	const dates = [...new Set(curves.flatMap((c) => c.points.map((p) => p.date)))].sort();
	const rows = dates.map((date): BreakdownRow => {
		const points = curves.map((c) => c.points.find((p) => p.date === date) ?? null);
		const present = points.flatMap((p) => (p ? [{ dimension: dimension.key, value: p.value, n: p.n ?? null }] : []));
		const marked = withSuppression(present, unit, minGroupSize);
		let k = 0;
		return {
			date,
			cells: points.map((p) => {
				if (!p) return null;
				const m = marked[k++];
				return { value: m.value, n: m.n, suppressed: m.suppressed, stale: p.stale, demo: p.demo };
			})
		};
	});
	const gap = categoryGap(
		rows.map((r) => ({
			date: r.date,
			figures: r.cells.map((c, i) => ({ name: curves[i].name, value: c?.value ?? null }))
		})),
		unit
	);
	return {
		dimension,
		categories: curves.map(({ key, name, baseline, target }) => ({ key, name, baseline, target })),
		rows,
		gap,
		minGroupSize
	};
}
