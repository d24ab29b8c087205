import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';
import { categoryGaps } from '../../src/lib/domain/category-gaps.ts';
import { choosePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';
import type { ProgressIndicator } from '../../src/lib/domain/programme-progress.ts';
import type { Observation } from '../../src/lib/domain/rollup.ts';

const YEAR: PeriodSchoolYear = {
	id: 1,
	name: '2024-2025',
	phases: [
		{ id: 11, name: 'September', start: '2024-09-01', end: '2024-09-30', evaluationDate: '2024-09-30' },
		{ id: 12, name: 'Oktober', start: '2024-10-01', end: '2024-10-31', evaluationDate: '2024-10-31' }
	]
};
const where = {
	regions: [
		{ id: 1, parentId: null },
		{ id: 2, parentId: 1 },
		{ id: 3, parentId: 1 }
	],
	regionId: null,
	period: choosePeriod([YEAR], '12', '2024-10-15')!,
	phases: YEAR.phases
};
const gender = (withOther: boolean): Dimension[] => [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' },
			...(withOther ? [{ key: 'anders', name: 'Anders' }] : [])
		]
	}
];
const indicator: ProgressIndicator = {
	id: 1,
	code: 'I1',
	name: 'Stress',
	kind: 'population',
	unit: 'percent',
	direction: 'lower_is_better',
	frequency: 'per_phase',
	aggregation: 'weighted_mean',
	source: 'test',
	node: { level: 'theme', id: 10 },
	baseline: null,
	target: null,
	derived: null,
	validMonths: null,
	comparable: true,
	splitBy: ['geslacht']
};
/** one measurement of a region with its categories: [category, value, n] */
const m = (regionId: number, date: string, ...cats: [string, number, number][]): Observation => ({
	regionId,
	date,
	value: 50,
	n: 100,
	categories: cats.map(([category, value, n]) => ({ dimension: 'geslacht', category, value, n }))
});

describe(categoryGaps.name, () => {
	it('should give each category’s rolled-up figure and the gap between them, now and before the newest', () => {
		const observations = [
			m(2, '2024-10-05', ['meisje', 60, 20], ['jongen', 39, 20]),
			m(2, '2024-10-20', ['meisje', 58, 20], ['jongen', 41, 20]),
			m(3, '2024-10-02', ['meisje', 58, 20], ['jongen', 41, 20])
		];
		const [line] = categoryGaps(indicator, where, observations, gender(false), 10);
		// before 20 October: (60 + 58) / 2 against (39 + 41) / 2
		expect(line).toMatchObject({ dimension: 'Geslacht', gap: 17, previousGap: 19 });
		expect(line.text).toBe('Geslacht: meisje 58%, jongen 41% — verschil 17 procentpunt, was 19');
	});

	it('should hide a small group and, since the total stands beside them, the smallest other; no gap from fewer than two', () => {
		const observations = [m(2, '2024-10-20', ['meisje', 58, 40], ['jongen', 41, 30], ['anders', 70, 3])];
		const [line] = categoryGaps(indicator, where, observations, gender(true), 10);
		expect(line.gap).toBeNull();
		expect(line.text).toBe(
			'Geslacht: meisje 58%, jongen verborgen: zou een kleine groep verraden, anders te weinig respondenten'
		);
		expect(line.text).not.toContain('70');
		expect(line.text).not.toContain('41');
	});

	it('should say nothing of an indicator that is not split or has no category figures', () => {
		expect(
			categoryGaps({ ...indicator, splitBy: [] }, where, [m(2, '2024-10-20', ['meisje', 58, 40])], gender(false), 10)
		).toEqual([]);
		expect(
			categoryGaps(indicator, where, [{ regionId: 2, date: '2024-10-20', value: 50, n: 100 }], gender(false), 10)
		).toEqual([]);
	});
});
