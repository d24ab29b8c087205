import { describe, expect, it } from 'vitest';
import {
	combine,
	isPerPeriod,
	rollUpRegion,
	rollUpTime,
	subtree,
	type Observation,
	type Rolled
} from '../../src/lib/domain/rollup.ts';

const at = (date: string, value: number, n: number | null = null, regionId = 1): Observation => ({
	regionId,
	date,
	value,
	n
});
const rolled = (value: number, n: number | null = null, date = '2024-10-31'): Rolled => ({
	value,
	n,
	date,
	source: null,
	demo: false
});
const YEAR = { start: '2024-09-01', end: '2024-11-30' };

describe(isPerPeriod.name, () => {
	it('should treat per-phase sums and derived indicators as per-period', () => {
		expect(isPerPeriod({ aggregation: 'sum', frequency: 'per_phase' })).toBe(true);
		expect(isPerPeriod({ aggregation: 'weighted_mean', frequency: 'per_phase', derived: { measure: 'actions' } })).toBe(
			true
		);
	});

	it('should treat percentages, yearly counts and population figures as cumulative', () => {
		expect(isPerPeriod({ aggregation: 'weighted_mean', frequency: 'per_phase' })).toBe(false);
		expect(isPerPeriod({ aggregation: 'sum', frequency: 'yearly' })).toBe(false);
		expect(isPerPeriod({ aggregation: 'latest', frequency: 'every_4_years', derived: null })).toBe(false);
	});
});

describe(rollUpTime.name, () => {
	const obs = [at('2023-06-30', 5), at('2024-09-30', 10, 20), at('2024-10-31', 15, 30), at('2024-12-31', 99)];

	it('should take the latest value up to the end of the window for a cumulative indicator', () => {
		expect(rollUpTime(obs, false, YEAR)).toMatchObject({ value: 15, n: 30, date: '2024-10-31' });
	});

	it('should fall back to a value from before the school year for a cumulative indicator', () => {
		expect(rollUpTime([at('2023-06-30', 5)], false, YEAR)).toMatchObject({ value: 5, date: '2023-06-30' });
	});

	it('should sum the school year up to the end of the window for a per-period indicator', () => {
		expect(rollUpTime(obs, true, YEAR)).toMatchObject({ value: 25, n: 50, date: '2024-10-31' });
	});

	it('should give null, not 0, when nothing falls in the window', () => {
		expect(rollUpTime([at('2024-12-31', 3)], false, YEAR)).toBeNull();
		expect(rollUpTime([at('2023-06-30', 3)], true, YEAR)).toBeNull();
		expect(rollUpTime([], true, YEAR)).toBeNull();
	});

	it('should carry the demo mark of any value behind a sum', () => {
		expect(rollUpTime([{ ...at('2024-09-30', 1), demo: true }, at('2024-10-31', 2)], true, YEAR)?.demo).toBe(true);
	});
});

describe(combine.name, () => {
	it('should add up for sum', () => {
		expect(combine('sum', [rolled(10), rolled(5)])?.value).toBe(15);
	});

	it('should take the plain mean for mean', () => {
		expect(combine('mean', [rolled(10, 100), rolled(20, 1)])?.value).toBe(15);
	});

	it('should weight by n for weighted_mean', () => {
		const r = combine('weighted_mean', [rolled(10, 30), rolled(20, 10)]);
		expect(r?.value).toBeCloseTo(12.5);
		expect(r?.n).toBe(40);
	});

	it('should leave children without n out of a weighted mean, and use a plain mean when none has n', () => {
		expect(combine('weighted_mean', [rolled(10, 30), rolled(50, null)])?.value).toBe(10);
		expect(combine('weighted_mean', [rolled(10), rolled(20)])?.value).toBe(15);
	});

	it('should take the most recent value for latest', () => {
		expect(
			combine('latest', [rolled(1, null, '2024-09-30'), rolled(2, null, '2024-11-30'), rolled(3, null, '2024-10-31')])
				?.value
		).toBe(2);
	});

	it('should give null when no child has a value', () => {
		expect(combine('sum', [])).toBeNull();
	});
});

describe(rollUpRegion.name, () => {
	// 1 city > 2 district > 3, 4 schools; 5 another district without data
	const regions = [
		{ id: 1, parentId: null },
		{ id: 2, parentId: 1 },
		{ id: 3, parentId: 2 },
		{ id: 4, parentId: 2 },
		{ id: 5, parentId: 1 }
	];

	it('should roll children up by the rule when a region has no value of its own', () => {
		const own = new Map([
			[3, rolled(40, 100)],
			[4, rolled(80, 300)]
		]);
		expect(rollUpRegion('weighted_mean', regions, own, 1)?.value).toBeCloseTo(70);
		expect(rollUpRegion('mean', regions, own, 2)?.value).toBeCloseTo(60);
		expect(rollUpRegion('sum', regions, own, 1)?.value).toBe(120);
	});

	it('should let a region own value win over its children (no double counting)', () => {
		const own = new Map([
			[2, rolled(100)],
			[3, rolled(40)],
			[4, rolled(80)]
		]);
		expect(rollUpRegion('sum', regions, own, 1)?.value).toBe(100);
	});

	it('should give null for a region without data in its subtree', () => {
		expect(rollUpRegion('sum', regions, new Map([[3, rolled(1)]]), 5)).toBeNull();
	});

	it('should combine the top regions for the whole programme', () => {
		const twoRoots = [
			{ id: 1, parentId: null },
			{ id: 2, parentId: null }
		];
		expect(
			rollUpRegion(
				'sum',
				twoRoots,
				new Map([
					[1, rolled(3)],
					[2, rolled(4)]
				]),
				null
			)?.value
		).toBe(7);
	});
});

describe(subtree.name, () => {
	it('should list a region and everything below it', () => {
		const regions = [
			{ id: 1, parentId: null },
			{ id: 2, parentId: 1 },
			{ id: 3, parentId: 2 },
			{ id: 4, parentId: null }
		];
		expect(subtree(regions, 2).sort()).toEqual([2, 3]);
		expect(subtree(regions, null).sort()).toEqual([1, 2, 3, 4]);
	});
});
