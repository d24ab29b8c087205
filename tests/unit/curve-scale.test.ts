import { describe, expect, it } from 'vitest';
import { curveScale, dateTicks, valueTicks } from '../../src/lib/domain/curve-scale.ts';
import { curveText } from '../../src/lib/domain/coverage-text.ts';
import type { Curve } from '../../src/lib/domain/curve.ts';

const curve: Curve = {
	points: [
		{ date: '2024-10-31', value: 22, stale: true, demo: false },
		{ date: '2025-03-31', value: 30, stale: false, demo: false },
		{ date: '2025-06-30', value: 34, stale: false, demo: false }
	],
	baseline: { date: '2024-09-01', value: 20 },
	target: { date: '2026-07-31', value: 40 },
	expected: [
		{ date: '2024-09-01', value: 20 },
		{ date: '2026-07-31', value: 40 }
	],
	forecast: { from: { date: '2024-10-31', value: 23 }, to: { date: '2026-07-31', value: 47.5 }, used: 3, perYear: 12 }
};

describe(dateTicks.name, () => {
	it('should tick the first of every other month within a school year, in Dutch', () => {
		expect(dateTicks('2025-09-01', '2026-07-31')).toEqual([
			{ date: '2025-09-01', label: 'sep 2025' },
			{ date: '2025-11-01', label: 'nov 2025' },
			{ date: '2026-01-01', label: 'jan 2026' },
			{ date: '2026-03-01', label: 'mrt 2026' },
			{ date: '2026-05-01', label: 'mei 2026' },
			{ date: '2026-07-01', label: 'jul 2026' }
		]);
	});

	it('should tick whole years over a span of years', () => {
		expect(dateTicks('2022-09-30', '2025-06-30').map((t) => t.label)).toEqual(['2023', '2024', '2025']);
	});
});

describe(valueTicks.name, () => {
	it('should round the range out to steps of 1, 2, 2.5 or 5 times a power of ten', () => {
		expect(valueTicks(12.3, 48.1)).toEqual({ min: 10, max: 50, ticks: [10, 20, 30, 40, 50] });
		expect(valueTicks(0, 1234).ticks).toEqual([0, 500, 1000, 1500]);
	});

	it('should give a flat line room above and below', () => {
		const { min, max } = valueTicks(5, 5);
		expect(min).toBeLessThan(5);
		expect(max).toBeGreaterThan(5);
	});
});

describe(curveScale.name, () => {
	it('should place the earliest date left, the latest right and higher values higher', () => {
		const s = curveScale(curve, { left: 50, right: 450, top: 10, bottom: 190 });
		expect(s.x('2024-09-01')).toBe(50);
		expect(s.x('2026-07-31')).toBe(450);
		expect(s.y(40)).toBeLessThan(s.y(20));
		expect(s.valueTicks[0]).toBeLessThanOrEqual(20);
		expect(s.valueTicks.at(-1)).toBeGreaterThanOrEqual(47.5);
	});
});

describe(curveText.name, () => {
	it('should tell the chart in words: baseline, values with the stale ones, latest, target, expected path and forecast', () => {
		expect(curveText(curve, 'percent')).toBe(
			'nulmeting 20% (1 sep 2024); 3 waarden van 31 okt 2024 tot 30 jun 2025, laatste 34% (30 jun 2025); 1 verouderd (open punt); streefwaarde 40% (31 jul 2026); verwachte lijn van nulmeting naar streefwaarde; prognose bij gelijkblijvende trend: 47,5% (31 jul 2026)'
		);
	});

	it('should say when there are no values yet', () => {
		expect(curveText({ ...curve, points: [], forecast: null }, 'count')).toBe(
			'nulmeting 20 (1 sep 2024); nog geen waarden; streefwaarde 40 (31 jul 2026); verwachte lijn van nulmeting naar streefwaarde'
		);
	});
});
