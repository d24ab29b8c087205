import { describe, expect, it } from 'vitest';
import { schoolYearRunningTotals, schoolYearTotals, type PeriodValue } from '../../src/lib/domain/running-total.ts';
import { rollUpTime } from '../../src/lib/domain/rollup.ts';

const at = (date: string, value: number, demo = false): PeriodValue => ({ date, value, demo });
// two school years of phase values, dated on each phase's end as derived values are
const VALUES = [
	at('2024-09-30', 22),
	at('2024-10-31', 32),
	at('2024-11-30', 15, true),
	at('2024-12-31', 30),
	at('2025-06-30', 39),
	at('2025-09-30', 7),
	at('2025-10-31', 5)
];

describe(schoolYearRunningTotals.name, () => {
	it('should add up the values within each school year and start again on 1 August', () => {
		expect(schoolYearRunningTotals(VALUES).map((r) => [r.schoolYear, r.value])).toEqual([
			['2024-2025', 22],
			['2024-2025', 54],
			['2024-2025', 69],
			['2024-2025', 99],
			['2024-2025', 138],
			['2025-2026', 7],
			['2025-2026', 12]
		]);
	});

	it('should count a value dated 31 July in the school year ending then, and one dated 1 August in the next', () => {
		expect(
			schoolYearRunningTotals([at('2025-07-31', 4), at('2025-08-01', 6)]).map((r) => [r.schoolYear, r.value])
		).toEqual([
			['2024-2025', 4],
			['2025-2026', 6]
		]);
	});

	it('should mark a total as demo from the first demo value summed until the school year ends', () => {
		expect(schoolYearRunningTotals(VALUES).map((r) => r.demo)).toEqual([false, false, true, true, true, false, false]);
	});

	it('should agree with the roll-up progress uses for a window from the school year start to each date', () => {
		const observations = VALUES.map((v) => ({ ...v, regionId: 1, n: null }));
		schoolYearRunningTotals(VALUES).forEach((r, i) => {
			const start = `${r.schoolYear.slice(0, 4)}-08-01`;
			expect(rollUpTime(observations, true, { start, end: VALUES[i].date })).toMatchObject({
				value: r.value,
				demo: r.demo
			});
		});
	});

	it('should count two values on one date together at both', () => {
		expect(schoolYearRunningTotals([at('2024-09-30', 2), at('2024-09-30', 3)]).map((r) => r.value)).toEqual([5, 5]);
	});

	it('should give nothing for no values', () => {
		expect(schoolYearRunningTotals([])).toEqual([]);
	});
});

describe(schoolYearTotals.name, () => {
	it('should give each school year its total so far, oldest first', () => {
		expect(schoolYearTotals(schoolYearRunningTotals(VALUES))).toEqual([
			{ schoolYear: '2024-2025', value: 138, demo: true },
			{ schoolYear: '2025-2026', value: 12, demo: false }
		]);
	});
});
