import { expectedPath, forecast, type Forecast, type PathPoint } from './on-track.ts';
import { schoolYearOf } from './phase-calendar.ts';
import {
	categoryHidden,
	valueFromObservations,
	valueIn,
	type ProgressIndicator,
	type ProgressInput
} from './programme-progress.ts';
import { isPerPeriod, type FigurePeriod, type Observation } from './rollup.ts';

/**
 * An indicator's "curve" (Clear Impact's turn-the-curve chart) in the chosen region: its figure as it stood
 * at the end of every phase up to today and at the period's end (the dashboard's figure), each dated by the newest value
 * behind it; the baseline and target; the expected path (on-track.ts); the forecast. The same figures as
 * everywhere (rollup.ts through valueFromObservations), drawn by the curve chart, the dashboard's
 * sparklines and the report's static charts.
 */

export interface CurvePoint extends PathPoint {
	/** verouderd on the day it is shown for: drawn hollow, never counted */
	stale: boolean;
	demo: boolean;
	/** the rolled-up n behind it (rollup.ts), null when its values have none: a breakdown's group size */
	n?: number | null;
}

export interface Curve {
	points: CurvePoint[];
	baseline: PathPoint | null;
	target: PathPoint | null;
	/** baseline → period targets → target; for a per-period indicator the chosen school year's line */
	expected: PathPoint[] | null;
	forecast: Forecast | null;
}

/** The indicators shown first to funders: those the plan marks `key`, else the outcome-level ones. */
export function keyIndicators<T extends Pick<ProgressIndicator, 'key' | 'node' | 'unit'>>(
	indicators: readonly T[]
): T[] {
	const numeric = indicators.filter((i) => i.unit !== 'text');
	const marked = numeric.filter((i) => i.key);
	return marked.length > 0 ? marked : numeric.filter((i) => i.node.level === 'outcome');
}

const yearStart = (date: string) => `${schoolYearOf(date).slice(0, 4)}-08-01`;

/** School years a short curve covers (a sparkline, a report chart): the period's and the one before. */
export const RECENT_YEARS = 2;

/**
 * The first day of a short curve ending at `end`: 1 August of the school year `RECENT_YEARS − 1` before
 * its own. A curve's work grows with every phase it shows (a figure per phase end), so short curves are bounded.
 */
export const recentSince = (end: string) => `${Number(schoolYearOf(end).slice(0, 4)) - (RECENT_YEARS - 1)}-08-01`;

/** `since` (YYYY-MM-DD): only the figures at phase ends from that day on (a sparkline's recent history). */
export function curveOf(
	ind: ProgressIndicator,
	input: ProgressInput,
	observations: readonly Observation[],
	today: string,
	since = '0000-01-01'
): Curve {
	// the last moment is the period's end, as on the dashboard (validity judged there, a derived value dated on
	// its phase's end included); earlier phase ends are drawn up to today
	const end = input.period.window.end;
	const perPeriod = isPerPeriod(ind);
	// a derived indicator's action log is loaded for the chosen school year only
	const loadedFrom = input.period.schoolYear?.phases[0]?.start ?? end;
	const from = ind.derived ? (loadedFrom > since ? loadedFrom : since) : since;
	const moments = [
		...new Set([...input.phases.map((p) => p.end).filter((d) => d >= from && d < end && d <= today), end])
	].sort();
	const byDate = new Map<string, CurvePoint>();
	for (const at of moments) {
		const start = perPeriod ? yearStart(at) : null;
		const period: FigurePeriod = {
			window: { start, end: at },
			phases: input.phases.filter((p) => (start === null || p.start >= start) && p.start <= at),
			allPhases: input.phases,
			outside: null
		};
		const { figure, stale } = ind.derived
			? valueIn(ind, input, input.regionId, period)
			: valueFromObservations(ind, input.regions, observations, input.regionId, period);
		const shown = figure ?? stale;
		// the newest moment decides whether a value shown at several moments is stale
		if (shown && !categoryHidden(ind, input, shown))
			byDate.set(shown.date, {
				date: shown.date,
				value: shown.value,
				stale: figure === null,
				demo: shown.demo,
				n: shown.n
			});
	}
	const points = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
	const plan = { direction: ind.direction, baseline: ind.baseline, target: ind.target, targets: ind.targets };
	const phases = input.period.schoolYear?.phases ?? [];
	const year =
		perPeriod && phases.length > 0 ? { start: phases[0].start, end: phases[phases.length - 1].end } : undefined;
	const fresh = points.filter((p) => !p.stale && (!year || p.date >= year.start));
	const until = year?.end ?? ind.target?.date ?? end;
	return {
		points,
		baseline: ind.baseline && { date: ind.baseline.date ?? input.programmeStart, value: ind.baseline.value },
		target: ind.target?.date ? { date: ind.target.date, value: ind.target.value } : null,
		expected: expectedPath(plan, input.programmeStart, year),
		forecast: forecast(fresh, {
			rule: { frequency: ind.frequency, validMonths: ind.validMonths, targetDate: ind.target?.date ?? null },
			phases: input.phases,
			today: end,
			until
		})
	};
}
