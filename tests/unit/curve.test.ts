import { describe, expect, it } from 'vitest';
import { curveOf, keyIndicators } from '../../src/lib/domain/curve.ts';
import { choosePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';
import type { ProgressIndicator, ProgressInput } from '../../src/lib/domain/programme-progress.ts';

const years: PeriodSchoolYear[] = [2023, 2024, 2025].map((y, i) => ({
	id: i + 1,
	name: `${y}-${y + 1}`,
	phases: [
		{ id: 10 * i + 1, name: 'Fase 1', start: `${y}-09-01`, end: `${y}-12-31`, evaluationDate: `${y + 1}-01-15` },
		{ id: 10 * i + 2, name: 'Fase 2', start: `${y + 1}-01-01`, end: `${y + 1}-06-30`, evaluationDate: `${y + 1}-07-10` }
	]
}));
const phases = years.flatMap((y) => y.phases);

const ind: ProgressIndicator = {
	id: 1,
	code: 'I1',
	name: 'Stress',
	kind: 'population',
	unit: 'percent',
	direction: 'lower_is_better',
	frequency: 'yearly',
	aggregation: 'weighted_mean',
	source: 'test',
	node: { level: 'outcome', id: 1 },
	baseline: { value: 50, date: '2023-06-30', source: 'test', demo: false, region: null },
	target: { value: 40, date: '2027-06-30', demo: true },
	derived: null,
	validMonths: null,
	comparable: true,
	targets: [{ date: '2025-06-30', value: 46 }]
};

const input = (today: string): ProgressInput => ({
	programmeStart: '2023-08-01',
	regions: [
		{ id: 1, parentId: null, slug: 'stad', name: 'Stad', kind: 'gemeente' },
		{ id: 2, parentId: 1, slug: 'a', name: 'A', kind: 'wijk' },
		{ id: 3, parentId: 1, slug: 'b', name: 'B', kind: 'wijk' }
	],
	phases,
	themes: [],
	nextSteps: [],
	solutions: [],
	ambitions: [],
	outcomes: [],
	indicators: [ind],
	evaluations: [],
	values: new Map(),
	actionGroups: [],
	regionId: null,
	period: choosePeriod(years, null, today)!
});

const obs = (regionId: number, date: string, value: number) => ({
	regionId,
	date,
	value,
	n: 100,
	source: null,
	demo: false
});

describe(curveOf.name, () => {
	it('should give the rolled-up figure at every phase end, dated by its newest value, with path and forecast', () => {
		const observations = [
			obs(2, '2023-11-01', 50),
			obs(3, '2023-11-01', 48),
			obs(2, '2024-05-01', 48),
			obs(3, '2024-11-01', 46),
			obs(2, '2025-05-01', 45)
		];
		const c = curveOf(ind, input('2025-10-01'), observations, '2025-10-01');
		expect(c.points.map((p) => [p.date, p.value, p.stale])).toEqual([
			['2023-11-01', 49, false],
			['2024-05-01', 48, false],
			['2024-11-01', 47, false],
			['2025-05-01', 45.5, false]
		]);
		expect(c.expected).toEqual([
			{ date: '2023-06-30', value: 50 },
			{ date: '2025-06-30', value: 46 },
			{ date: '2027-06-30', value: 40 }
		]);
		expect(c.baseline).toEqual({ date: '2023-06-30', value: 50 });
		expect(c.target).toEqual({ date: '2027-06-30', value: 40 });
		expect(c.forecast?.to.date).toBe('2027-06-30');
		expect(c.forecast?.perYear).toBeLessThan(0);
	});

	it('should mark a figure verouderd when it is shown after its validity, and then forecast nothing', () => {
		const c = curveOf(
			ind,
			input('2027-03-01'),
			[obs(2, '2023-11-01', 50), obs(2, '2024-05-01', 48), obs(2, '2025-01-01', 47)],
			'2027-03-01'
		);
		expect(c.points.at(-1)).toMatchObject({ date: '2025-01-01', stale: true });
		expect(c.forecast).toBeNull();
	});

	it('should not forecast from fewer than three values', () => {
		const c = curveOf(ind, input('2025-10-01'), [obs(2, '2024-05-01', 48), obs(3, '2025-05-01', 45)], '2025-10-01');
		expect(c.points).toHaveLength(2);
		expect(c.forecast).toBeNull();
	});
});

describe(keyIndicators.name, () => {
	it('should take the indicators marked key, else the outcome-level ones, never text ones', () => {
		const a = { key: true, node: { level: 'theme' as const, id: 1 }, unit: 'percent' as const };
		const b = { key: false, node: { level: 'outcome' as const, id: 1 }, unit: 'percent' as const };
		const t = { key: true, node: { level: 'theme' as const, id: 1 }, unit: 'text' as const };
		expect(keyIndicators([a, b, t])).toEqual([a]);
		expect(keyIndicators([b, t])).toEqual([b]);
	});
});
