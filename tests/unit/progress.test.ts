import { describe, expect, it } from 'vitest';
import { formatProgress, indicatorProgress, meanProgress } from '../../src/lib/domain/progress.ts';

describe(indicatorProgress.name, () => {
	it('should measure the share of the way from baseline to target when higher is better', () => {
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 40, target: 60, latest: 50 })).toBeCloseTo(0.5);
	});

	it('should be direction-aware when lower is better', () => {
		expect(indicatorProgress({ direction: 'lower_is_better', baseline: 30, target: 20, latest: 27.5 })).toBeCloseTo(
			0.25
		);
	});

	it('should clamp to [0, 1]', () => {
		expect(indicatorProgress({ direction: 'lower_is_better', baseline: 30, target: 20, latest: 35 })).toBe(0);
		expect(indicatorProgress({ direction: 'lower_is_better', baseline: 30, target: 20, latest: 10 })).toBe(1);
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 0, target: 10, latest: 12 })).toBe(1);
	});

	it('should give null, not 0, when baseline, target or measurement is missing', () => {
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: null, target: 10, latest: 5 })).toBeNull();
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 0, target: null, latest: 5 })).toBeNull();
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 0, target: 10, latest: null })).toBeNull();
	});

	it('should give null for an indicator without direction', () => {
		expect(indicatorProgress({ direction: 'none', baseline: 0, target: 10, latest: 5 })).toBeNull();
	});

	it('should give null when the target lies on the wrong side of the baseline for its direction', () => {
		expect(indicatorProgress({ direction: 'lower_is_better', baseline: 20, target: 30, latest: 25 })).toBeNull();
	});

	it('should treat a target equal to the baseline as reached or not', () => {
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 5, target: 5, latest: 5 })).toBe(1);
		expect(indicatorProgress({ direction: 'higher_is_better', baseline: 5, target: 5, latest: 4 })).toBe(0);
		expect(indicatorProgress({ direction: 'lower_is_better', baseline: 5, target: 5, latest: 4 })).toBe(1);
	});
});

describe(meanProgress.name, () => {
	it('should average only the known values', () => {
		expect(meanProgress([0.2, null, 0.6])).toBeCloseTo(0.4);
	});
	it('should give null when nothing is known', () => {
		expect(meanProgress([null, null])).toBeNull();
		expect(meanProgress([])).toBeNull();
	});
});

describe(formatProgress.name, () => {
	it('should show unknown progress as "geen data", never as 0%', () => {
		expect(formatProgress(null)).toBe('geen data');
		expect(formatProgress(0)).toBe('0%');
		expect(formatProgress(0.456)).toBe('46%');
	});
});
