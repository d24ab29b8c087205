import { describe, expect, it } from 'vitest';
import { schoolYearRunningTotals, schoolYearTotals, type PeriodValue } from '../../src/lib/domain/running-total.ts';
import { indicatorFigure, type IndicatorRule } from '../../src/lib/domain/rollup.ts';
import { choosePeriod, figurePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';

const at = (date: string, value: number, demo = false): PeriodValue => ({ date, value, demo });
const phase = (id: number, start: string, end: string) => ({ id, name: `Fase ${id}`, start, end, evaluationDate: end });
const YEARS: PeriodSchoolYear[] = [
	{
		id: 1,
		name: '2024-2025',
		phases: [
			phase(11, '2024-09-01', '2024-10-31'),
			phase(12, '2024-11-01', '2024-12-31'),
			phase(13, '2025-01-01', '2025-06-30')
		]
	},
	{
		id: 2,
		name: '2025-2026',
		phases: [phase(21, '2025-09-01', '2025-10-31'), phase(22, '2025-11-01', '2025-12-31')]
	}
];
const RULE: IndicatorRule = { aggregation: 'sum', frequency: 'per_phase' };
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
	it('should add up the values within each school year from its first phase, and start again the next', () => {
		expect(schoolYearRunningTotals(RULE, VALUES, YEARS).map((r) => [r.schoolYear, r.value])).toEqual([
			['2024-2025', 22],
			['2024-2025', 54],
			['2024-2025', 69],
			['2024-2025', 99],
			['2024-2025', 138],
			['2025-2026', 7],
			['2025-2026', 12]
		]);
	});

	it('should count a value between phases (the summer) in no school year, and leave the totals as they are', () => {
		const r = schoolYearRunningTotals(RULE, [at('2025-06-30', 4), at('2025-07-15', 9), at('2025-09-02', 6)], YEARS);
		expect(r.map((x) => [x.schoolYear, x.value])).toEqual([
			['2024-2025', 4],
			[null, null],
			['2025-2026', 6]
		]);
	});

	it('should mark a total as demo from the first demo value summed until the school year ends', () => {
		expect(schoolYearRunningTotals(RULE, VALUES, YEARS).map((r) => r.demo)).toEqual([
			false,
			false,
			true,
			true,
			true,
			false,
			false
		]);
	});

	it('should end each phase on the figure the dashboard shows for that phase', () => {
		const observations = VALUES.map((v) => ({ ...v, regionId: 1, n: null }));
		const running = schoolYearRunningTotals(RULE, VALUES, YEARS);
		for (const p of YEARS.flatMap((y) => y.phases)) {
			const period = choosePeriod(YEARS, String(p.id), p.end);
			if (!period) throw new Error(`no period for phase ${p.id}`);
			const dashboard = indicatorFigure(
				RULE,
				[{ id: 1, parentId: null }],
				observations,
				1,
				figurePeriod(
					period,
					YEARS.flatMap((y) => y.phases)
				)
			);
			const lastInPhase = VALUES.map((v, i) => ({ v, i }))
				.filter(({ v }) => v.date <= p.end)
				.at(-1);
			if (!lastInPhase || running[lastInPhase.i].schoolYear !== period.schoolYear?.name) continue;
			expect(dashboard.figure?.value).toBe(running[lastInPhase.i].value);
		}
		expect.assertions(5);
	});

	it('should count two values on one date together at both, and give nothing for no values', () => {
		expect(
			schoolYearRunningTotals(RULE, [at('2024-09-30', 2), at('2024-09-30', 3)], YEARS).map((r) => r.value)
		).toEqual([5, 5]);
		expect(schoolYearRunningTotals(RULE, [], YEARS)).toEqual([]);
	});
});

describe(schoolYearTotals.name, () => {
	it('should give each school year its total so far, oldest first', () => {
		expect(schoolYearTotals(schoolYearRunningTotals(RULE, VALUES, YEARS))).toEqual([
			{ schoolYear: '2024-2025', value: 138, demo: true },
			{ schoolYear: '2025-2026', value: 12, demo: false }
		]);
	});
});
