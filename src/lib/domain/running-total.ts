import { phaseOf } from './phase-calendar.ts';
import type { PeriodSchoolYear } from './period.ts';
import { indicatorFigure, type IndicatorRule } from './rollup.ts';

/** One value of a per-period indicator in one region. */
export interface PeriodValue {
	date: string;
	value: number;
	demo: boolean;
}

/** The sum of a school year's phase figures up to and including one value's date. */
export interface RunningTotal {
	/** e.g. "2024-2025"; null for a value dated in no phase (counted nowhere: "buiten de fasen") */
	schoolYear: string | null;
	value: number | null;
	/** any demo value among those summed */
	demo: boolean;
}

/**
 * The running total of a per-period indicator in one region at each of its values (in date order): the
 * figure rules of rollup.ts for a period from the school year's first phase to the value's date — the
 * same start the dashboard, report and API use, so the line ends each phase on the figure they show.
 */
export function schoolYearRunningTotals(
	rule: IndicatorRule,
	values: readonly PeriodValue[],
	schoolYears: readonly PeriodSchoolYear[]
): RunningTotal[] {
	const allPhases = schoolYears.flatMap((y) => y.phases);
	const observations = values.map((v) => ({ regionId: 0, date: v.date, value: v.value, n: null, demo: v.demo }));
	return values.map((v) => {
		const year = schoolYears.find((y) => phaseOf(v.date, y.phases) !== null);
		if (!year) return { schoolYear: null, value: null, demo: false };
		const { figure } = indicatorFigure(rule, [{ id: 0, parentId: null }], observations, 0, {
			window: { start: year.phases[0].start, end: v.date },
			phases: year.phases.filter((p) => p.start <= v.date),
			allPhases,
			outside: null
		});
		return { schoolYear: year.name, value: figure?.value ?? null, demo: figure?.demo ?? false };
	});
}

/** The last running total of each school year (of values in date order): the school year's sum so far. */
export function schoolYearTotals(running: readonly RunningTotal[]): RunningTotal[] {
	return [...new Map(running.filter((r) => r.schoolYear !== null).map((r) => [r.schoolYear, r])).values()];
}
