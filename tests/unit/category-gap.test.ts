import { describe, expect, it } from 'vitest';
import { categoryGap } from '../../src/lib/domain/category-gap.ts';
import { dimensionBreakdown } from '../../src/lib/domain/breakdown-view.ts';

const row = (date: string, ...values: (number | null)[]) => ({
	date,
	figures: values.map((value, i) => ({ name: ['Meisje', 'Jongen', 'Anders/onbekend'][i], value }))
});

describe(categoryGap.name, () => {
	it('should say the gap between the highest and lowest category now and at the first date with both', () => {
		const rows = [
			row('2025-06-30', 52, 31, null),
			row('2025-12-31', 50, 33, null),
			row('2026-06-30', 47.5, 30.5, null)
		];
		expect(categoryGap(rows, 'percent')).toBe('Verschil meisje–jongen: 17 procentpunt (was 21 in juni 2025)');
	});

	it('should take the latest date with two shown figures and leave out suppressed ones', () => {
		const rows = [row('2025-06-30', 40, 30, null), row('2026-06-30', 44, null, 20), row('2026-12-31', 45, null, null)];
		expect(categoryGap(rows, 'percent')).toBe('Verschil meisje–anders/onbekend: 24 procentpunt');
	});

	it('should compare the same two categories at the earlier date, even when their order was the other way', () => {
		const rows = [row('2024-06-30', 30, 33, 10), row('2025-06-30', 40, 30.2, 35)];
		expect(categoryGap(rows, 'score')).toBe('Verschil meisje–jongen: 9,8 punten (was -3 in juni 2024)');
	});

	it('should say nothing without a date that shows two categories', () => {
		expect(categoryGap([row('2025-06-30', 40, null, null), row('2026-06-30', null, 30, null)], 'percent')).toBeNull();
		expect(categoryGap([], 'count')).toBeNull();
	});

	it('should give a count gap without a unit word', () => {
		expect(categoryGap([row('2026-06-30', 120, 80, 1500)], 'count')).toBe('Verschil anders/onbekend–jongen: 1.420');
	});
});

describe(dimensionBreakdown.name, () => {
	const point = (date: string, value: number, n: number | null, stale = false) => ({
		date,
		value,
		n,
		stale,
		demo: false
	});
	const curve = (key: string, name: string, points: ReturnType<typeof point>[]) => ({
		key,
		name,
		points,
		baseline: null,
		target: null
	});

	it('should remove a small group and the figure that would give it away, per date, value and n both', () => {
		const b = dimensionBreakdown(
			{ key: 'geslacht', name: 'Geslacht' },
			[
				curve('meisje', 'Meisje', [point('2025-06-30', 48, 60), point('2026-06-30', 46, 70)]),
				curve('jongen', 'Jongen', [point('2025-06-30', 30, 55), point('2026-06-30', 31, 40)]),
				curve('anders', 'Anders', [point('2026-06-30', 61.7, 6)])
			],
			'percent',
			10
		);
		expect(b.rows.map((r) => r.date)).toEqual(['2025-06-30', '2026-06-30']);
		expect(b.rows[0].cells.map((c) => c && [c.value, c.n, c.suppressed])).toEqual([
			[48, 60, null],
			[30, 55, null],
			null
		]);
		expect(b.rows[1].cells.map((c) => c && [c.value, c.n, c.suppressed])).toEqual([
			[46, 70, null],
			[null, null, 'derivable'],
			[null, null, 'small']
		]);
		expect(JSON.stringify(b)).not.toContain('61.7');
		// the gap only from shown figures: the latest date shows one, so the first date's gap is the latest
		expect(b.gap).toBe('Verschil meisje–jongen: 18 procentpunt');
	});

	it('should keep a stale figure marked, and suppress one of unknown size', () => {
		const b = dimensionBreakdown(
			{ key: 'geslacht', name: 'Geslacht' },
			[
				curve('meisje', 'Meisje', [point('2025-06-30', 48, null, true)]),
				curve('jongen', 'Jongen', [point('2025-06-30', 30, 20, true)])
			],
			'percent',
			10
		);
		expect(b.rows[0].cells).toEqual([
			{ value: null, n: null, suppressed: 'small', stale: true, demo: false },
			{ value: null, n: null, suppressed: 'derivable', stale: true, demo: false }
		]);
		expect(b.gap).toBeNull();
	});
});
