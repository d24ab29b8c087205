import { describe, expect, it } from 'vitest';
import { outlierReasons } from '../../src/lib/domain/outlier.ts';

const history = (...values: number[]) => values.map((value, i) => ({ date: `202${i}-10-01`, value }));

describe(outlierReasons.name, () => {
	it('should flag a percentage outside 0–100 even without history', () => {
		expect(outlierReasons(120, 'percent', [])).toEqual(['120% ligt buiten 0–100%, terwijl dit een percentage is.']);
		expect(outlierReasons(-1, 'percent', [])).toHaveLength(1);
		expect(outlierReasons(120, 'count', [])).toEqual([]);
	});

	it('should flag a value further outside the earlier range than the largest earlier step', () => {
		// range 30–36, largest step 4 (30 → 34): above 40 or below 26 is odd
		const earlier = history(30, 34, 36);
		expect(outlierReasons(40, 'percent', earlier)).toEqual([]);
		expect(outlierReasons(26, 'percent', earlier)).toEqual([]);
		expect(outlierReasons(40.5, 'percent', earlier)).toEqual([
			'40,5% ligt meer dan de grootste eerdere sprong (4%) boven de eerdere waarden (30% tot 36%).'
		]);
		expect(outlierReasons(25, 'score', earlier)).toEqual([
			'25 ligt meer dan de grootste eerdere sprong (4) onder de eerdere waarden (30 tot 36).'
		]);
	});

	it('should take the history in date order, whatever order it comes in', () => {
		const earlier = [
			{ date: '2024-01-01', value: 10 },
			{ date: '2022-01-01', value: 12 },
			{ date: '2023-01-01', value: 11 }
		];
		// steps 1 and 1 (12 → 11 → 10), not 2 (10 → 12 as given)
		expect(outlierReasons(14.5, 'count', earlier)).toHaveLength(1);
		expect(outlierReasons(13, 'count', earlier)).toEqual([]);
	});

	it('should give both reasons at once, and none without a yardstick', () => {
		expect(outlierReasons(150, 'percent', history(40, 50))).toHaveLength(2);
		expect(outlierReasons(90, 'percent', history(40))).toEqual([]);
		expect(outlierReasons(90, 'percent', history(40, 40))).toEqual([]);
		expect(outlierReasons(null, 'percent', history(40, 50))).toEqual([]);
		expect(outlierReasons(5, 'text', history(40, 50))).toEqual([]);
	});
});
