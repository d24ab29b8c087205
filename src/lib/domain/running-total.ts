import { schoolYearOf, schoolYearSpan } from './phase-calendar.ts';
import { rollUpTime, type Observation } from './rollup.ts';

/** One value of a per-period indicator: what was reached in the phase ending on `date`. */
export interface PeriodValue {
	date: string;
	value: number;
	demo: boolean;
}

/** The sum of a school year's values up to and including one date. */
export interface RunningTotal {
	/** e.g. "2024-2025" */
	schoolYear: string;
	value: number;
	/** any demo value among those summed */
	demo: boolean;
}

/**
 * The running total of a per-period indicator within each school year (1 August–31 July), at each value,
 * in the order given (by date). It is `rollUpTime` with the window from the school year's start to the value's date,
 * so the chart line shows what progress counts for a period ending there.
 */
export function schoolYearRunningTotals(values: readonly PeriodValue[]): RunningTotal[] {
	const observations: Observation[] = values.map((v) => ({
		regionId: 0,
		date: v.date,
		value: v.value,
		n: null,
		demo: v.demo
	}));
	return values.map((v) => {
		const schoolYear = schoolYearOf(v.date);
		const rolled = rollUpTime(observations, true, { start: schoolYearSpan(schoolYear)!.start, end: v.date })!;
		return { schoolYear, value: rolled.value, demo: rolled.demo };
	});
}

/** The last running total of each school year (of values in date order): the school year's sum so far. */
export function schoolYearTotals(running: readonly RunningTotal[]): RunningTotal[] {
	return [...new Map(running.map((r) => [r.schoolYear, r])).values()];
}
