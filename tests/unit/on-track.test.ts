import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	balanceOf,
	expectedPath,
	expectedProgress,
	forecast,
	leastSquares,
	pathValue,
	statusOf,
	statusText,
	trendOf,
	trendText,
	type PlanLine
} from '../../src/lib/domain/on-track.ts';
import { indicatorProgress } from '../../src/lib/domain/progress.ts';

const plan: PlanLine = {
	direction: 'higher_is_better',
	baseline: { value: 20, date: '2024-09-01' },
	target: { value: 40, date: '2026-09-01' }
};

describe(expectedPath.name, () => {
	it('should run from the baseline through the period targets in between to the target', () => {
		const path = expectedPath(
			{
				...plan,
				targets: [
					{ date: '2030-01-01', value: 99 },
					{ date: '2025-07-31', value: 30 },
					{ date: '2024-01-01', value: 1 }
				]
			},
			'2024-08-01'
		);
		expect(path).toEqual([
			{ date: '2024-09-01', value: 20 },
			{ date: '2025-07-31', value: 30 },
			{ date: '2026-09-01', value: 40 }
		]);
	});

	it('should date an undated baseline on the given start and need a target date', () => {
		expect(expectedPath({ ...plan, baseline: { value: 20, date: null } }, '2024-08-01')?.[0]).toEqual({
			date: '2024-08-01',
			value: 20
		});
		expect(expectedPath({ ...plan, target: { value: 40, date: null } }, '2024-08-01')).toBeNull();
		expect(expectedPath({ ...plan, baseline: null }, '2024-08-01')).toBeNull();
	});

	it('should run a per-period indicator over the school year, to the period target dated in it', () => {
		const year = { start: '2025-09-01', end: '2026-06-30' };
		expect(expectedPath({ ...plan, targets: [{ date: '2026-06-30', value: 35 }] }, '2024-08-01', year)).toEqual([
			{ date: '2025-09-01', value: 20 },
			{ date: '2026-06-30', value: 35 }
		]);
		expect(expectedPath(plan, '2024-08-01', year)?.[1]).toEqual({ date: '2026-06-30', value: 40 });
	});
});

describe(expectedProgress.name, () => {
	it('should be linear from 0 at the baseline date to 1 at the target date, flat outside', () => {
		expect(expectedProgress(plan, '2023-01-01', '2024-08-01')).toBe(0);
		expect(expectedProgress(plan, '2024-09-01', '2024-08-01')).toBe(0);
		expect(expectedProgress(plan, '2025-09-01', '2024-08-01')).toBeCloseTo(365 / 730, 6);
		expect(expectedProgress(plan, '2026-09-01', '2024-08-01')).toBe(1);
		expect(expectedProgress(plan, '2030-01-01', '2024-08-01')).toBe(1);
	});

	it('should follow a period target: half the way by its date when it asks for half', () => {
		const withTarget = { ...plan, targets: [{ date: '2025-03-01', value: 30 }] };
		expect(expectedProgress(withTarget, '2025-03-01', '2024-08-01')).toBeCloseTo(0.5, 9);
	});

	it('should be direction-aware', () => {
		const lower: PlanLine = {
			direction: 'lower_is_better',
			baseline: { value: 50, date: '2024-01-01' },
			target: { value: 40, date: '2026-01-01' }
		};
		expect(expectedProgress(lower, '2025-01-01', '2024-01-01')).toBeCloseTo(366 / 731, 6);
	});

	it('should be null without a path or a direction', () => {
		expect(expectedProgress({ ...plan, target: null }, '2025-01-01', '2024-01-01')).toBeNull();
		expect(expectedProgress({ ...plan, direction: 'none' }, '2025-01-01', '2024-01-01')).toBeNull();
	});

	it('should stay within [0, 1] and never fall as time passes (property)', () => {
		const day = fc
			.integer({ min: 0, max: 3000 })
			.map((d) => new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10));
		fc.assert(
			fc.property(day, day, fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 50 }), (a, b, base, gap) => {
				const p: PlanLine = {
					direction: 'higher_is_better',
					baseline: { value: base, date: '2023-01-01' },
					target: { value: base + gap, date: '2028-01-01' }
				};
				const [early, late] = a <= b ? [a, b] : [b, a];
				const e1 = expectedProgress(p, early, '2023-01-01')!;
				const e2 = expectedProgress(p, late, '2023-01-01')!;
				expect(e1).toBeGreaterThanOrEqual(0);
				expect(e2).toBeLessThanOrEqual(1);
				expect(e2).toBeGreaterThanOrEqual(e1 - 1e-12);
			})
		);
	});
});

describe(pathValue.name, () => {
	it('should interpolate by days between two points', () => {
		const path = [
			{ date: '2025-01-01', value: 0 },
			{ date: '2025-01-11', value: 10 }
		];
		expect(pathValue(path, '2025-01-04')).toBeCloseTo(3, 9);
	});
});

describe(statusOf.name, () => {
	it('should be op koers up to 0.10 behind the expected progress and achter below', () => {
		expect(statusOf({ fresh: true, progress: 0.4, expected: 0.5 })).toBe('op_koers');
		expect(statusOf({ fresh: true, progress: 0.39, expected: 0.5 })).toBe('achter');
		expect(statusOf({ fresh: true, progress: 0.9, expected: 0.5 })).toBe('op_koers');
	});

	it('should say geen recente gegevens without a fresh value, whatever the numbers', () => {
		expect(statusOf({ fresh: false, progress: null, expected: 0.5 })).toBe('geen_gegevens');
	});

	it('should leave it undetermined when a fresh value has no progress or no expected path', () => {
		expect(statusOf({ fresh: true, progress: null, expected: 0.5 })).toBeNull();
		expect(statusOf({ fresh: true, progress: 0.5, expected: null })).toBeNull();
		expect(statusText(null)).toBe('niet te bepalen');
		expect(statusText('achter')).toBe('! achter');
	});

	it('should agree with progress made by a value on the expected path (property: on the path is op koers)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 730 }), fc.integer({ min: -3, max: 3 }), (d, offset) => {
				const at = new Date(Date.UTC(2024, 8, 1 + d)).toISOString().slice(0, 10);
				const path = expectedPath(plan, '2024-08-01')!;
				const expected = expectedProgress(plan, at, '2024-08-01');
				const progress = indicatorProgress({
					direction: 'higher_is_better',
					baseline: 20,
					target: 40,
					latest: pathValue(path, at) + offset
				});
				const status = statusOf({ fresh: true, progress, expected });
				// 0.10 of a 20-point gap is 2 points: within 2 below the path is still op koers
				if (offset >= -2) expect(status).toBe('op_koers');
				else if (expected! > 0.15) expect(status).toBe('achter');
			})
		);
	});
});

describe(trendOf.name, () => {
	it('should compare the latest value with the previous one by direction', () => {
		expect(trendOf(plan, 30, 25)).toBe('beter');
		expect(trendOf(plan, 25, 30)).toBe('slechter');
		expect(trendOf({ ...plan, direction: 'lower_is_better' }, 25, 30)).toBe('beter');
		expect(trendOf({ ...plan, direction: 'lower_is_better' }, 30, 25)).toBe('slechter');
	});

	it('should call a change below 1% of the distance from baseline to target gelijk', () => {
		expect(trendOf(plan, 30.1, 30)).toBe('gelijk');
		expect(trendOf(plan, 30.3, 30)).toBe('beter');
		expect(trendOf({ ...plan, baseline: null }, 30.1, 30)).toBe('beter');
		expect(trendOf(plan, 30, 30)).toBe('gelijk');
	});

	it('should give no trend without a previous value or without a direction', () => {
		expect(trendOf(plan, 30, null)).toBeNull();
		expect(trendOf({ ...plan, direction: 'none' }, 30, 20)).toBeNull();
		expect(trendText(null)).toBe('geen trend');
		expect(trendText('beter')).toBe('↗ beter');
	});

	it('should be antisymmetric: swapping latest and previous turns beter into slechter (property)', () => {
		const opposite = { beter: 'slechter', slechter: 'beter', gelijk: 'gelijk' } as const;
		fc.assert(
			fc.property(
				fc.double({ min: -1e6, max: 1e6, noNaN: true }),
				fc.double({ min: -1e6, max: 1e6, noNaN: true }),
				(a, b) => {
					const t = trendOf(plan, a, b)!;
					expect(trendOf(plan, b, a)).toBe(opposite[t]);
				}
			)
		);
	});
});

describe(balanceOf.name, () => {
	it('should weigh beter against slechter', () => {
		expect(balanceOf(['beter', 'beter', 'slechter', null])).toEqual({
			trend: 'beter',
			counts: { beter: 2, gelijk: 0, slechter: 1 }
		});
		expect(balanceOf(['beter', 'slechter']).trend).toBe('gelijk');
		expect(balanceOf(['slechter', 'gelijk']).trend).toBe('slechter');
		expect(balanceOf([null, null]).trend).toBeNull();
	});
});

describe(forecast.name, () => {
	const rule = { frequency: 'yearly' as const, validMonths: null, targetDate: null };
	const points = [
		{ date: '2022-06-01', value: 10 },
		{ date: '2023-06-01', value: 12 },
		{ date: '2024-06-01', value: 14 },
		{ date: '2025-06-01', value: 16 }
	];

	it('should extend a straight line through the values to the given date', () => {
		const f = forecast(points, { rule, phases: [], today: '2025-09-01', until: '2027-06-01' })!;
		expect(f.used).toBe(4);
		expect(f.from).toEqual({ date: '2022-06-01', value: expect.closeTo(10, 1) });
		expect(f.to.date).toBe('2027-06-01');
		expect(f.to.value).toBeCloseTo(20, 1);
		expect(f.perYear).toBeCloseTo(2, 1);
	});

	it('should need three values in a run without gaps beyond validity, the newest still valid today', () => {
		expect(forecast(points.slice(0, 2), { rule, phases: [], today: '2023-09-01', until: '2027-06-01' })).toBeNull();
		// the newest is verouderd by 2027-01 (yearly: valid 15 months)
		expect(forecast(points, { rule, phases: [], today: '2027-01-01', until: '2027-06-01' })).toBeNull();
		// a gap of three years breaks the run: only the last two count
		const gap = [{ date: '2019-01-01', value: 0 }, ...points.slice(2)];
		expect(forecast(gap, { rule, phases: [], today: '2025-09-01', until: '2027-06-01' })).toBeNull();
	});

	it('should ignore values dated after today', () => {
		const f = forecast([...points, { date: '2026-06-01', value: 100 }], {
			rule,
			phases: [],
			today: '2025-09-01',
			until: '2027-06-01'
		})!;
		expect(f.to.value).toBeCloseTo(20, 1);
	});

	it('should fit exactly any straight line (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -50, max: 50 }), (a, b) => {
				const xs = [0, 100, 250, 400];
				const fit = leastSquares(
					xs,
					xs.map((x) => a + b * x)
				);
				expect(fit.slope).toBeCloseTo(b, 9);
				expect(fit.at(1000)).toBeCloseTo(a + b * 1000, 6);
			})
		);
	});
});
