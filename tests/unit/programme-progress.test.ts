import { describe, expect, it } from 'vitest';
import type { ActionGroup } from '../../src/lib/domain/action-figures.ts';
import { choosePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';
import {
	computeProgress,
	type ProgressEvaluation,
	type ProgressIndicator,
	type ProgressInput
} from '../../src/lib/domain/programme-progress.ts';
import { indicatorSeries } from '../../src/lib/domain/dashboard.ts';
import type { Observation } from '../../src/lib/domain/rollup.ts';

const YEAR: PeriodSchoolYear = {
	id: 1,
	name: '2024-2025',
	phases: [
		{ id: 11, name: 'September', start: '2024-09-01', end: '2024-09-30', evaluationDate: '2024-09-30' },
		{ id: 12, name: 'Oktober', start: '2024-10-01', end: '2024-10-31', evaluationDate: '2024-10-31' },
		{ id: 13, name: 'November', start: '2024-11-01', end: '2024-11-30', evaluationDate: '2024-11-30' }
	]
};

describe(choosePeriod.name, () => {
	it('should choose the phase today falls in when nothing is asked', () => {
		expect(choosePeriod([YEAR], null, '2024-10-15')?.phase?.id).toBe(12);
	});

	it('should choose the latest started phase after the last one, and the first before the first', () => {
		expect(choosePeriod([YEAR], null, '2025-03-01')?.phase?.id).toBe(13);
		expect(choosePeriod([YEAR], null, '2024-01-01')?.phase?.id).toBe(11);
	});

	it('should count per-period values from the school year start and actions in the phase only', () => {
		const p = choosePeriod([YEAR], '12', '2024-10-15')!;
		expect(p.window).toEqual({ start: '2024-09-01', end: '2024-10-31' });
		expect(p.actions).toEqual({ start: '2024-10-01', end: '2024-10-31' });
	});

	it('should select a whole school year by its name', () => {
		const p = choosePeriod([YEAR], '2024-2025', '2024-10-15')!;
		expect(p.phase).toBeNull();
		expect(p.window).toEqual({ start: '2024-09-01', end: '2024-11-30' });
	});

	it('should refuse an unknown phase or school year', () => {
		expect(choosePeriod([YEAR], '99', '2024-10-15')).toBeUndefined();
		expect(choosePeriod([YEAR], '2030-2031', '2024-10-15')).toBeUndefined();
	});
});

const indicator = (over: Partial<ProgressIndicator> & Pick<ProgressIndicator, 'id' | 'node'>): ProgressIndicator => ({
	code: `I${over.id}`,
	name: `Indicator ${over.id}`,
	kind: 'programme',
	unit: 'percent',
	direction: 'higher_is_better',
	frequency: 'per_phase',
	aggregation: 'weighted_mean',
	source: 'test',
	baseline: { value: 20, date: '2024-09-01', source: 'test', demo: false, region: null },
	target: { value: 60, date: '2025-06-30', demo: false },
	derived: null,
	validMonths: null,
	comparable: false,
	...over
});

/** approved values per indicator id: [indicator, region, value, n, date] */
const values = (...rows: [number, number, number, number | null, string][]): Map<number, Observation[]> => {
	const map = new Map<number, Observation[]>();
	for (const [ind, regionId, value, n, date] of rows)
		map.set(ind, [...(map.get(ind) ?? []), { regionId, value, n, date, source: null, demo: false }]);
	return map;
};
const group = (over: Partial<ActionGroup>): ActionGroup => ({
	date: '2024-10-10',
	nextStepId: 100,
	solutionId: 1000,
	kind: 'les',
	regionId: 3,
	actions: 1,
	jongeren: 0,
	ouders: 0,
	professionals: 0,
	demo: false,
	...over
});

function input(over: Partial<ProgressInput> = {}): ProgressInput {
	return {
		programmeStart: '2024-01-01',
		// 1 city > 2 district > 3, 4 schools
		regions: [
			{ id: 1, parentId: null, slug: 'stad', name: 'Stad', kind: 'gemeente' },
			{ id: 2, parentId: 1, slug: 'wijk', name: 'Wijk', kind: 'wijk' },
			{ id: 3, parentId: 2, slug: 'school-a', name: 'School A', kind: 'school' },
			{ id: 4, parentId: 2, slug: 'school-b', name: 'School B', kind: 'school' }
		],
		phases: YEAR.phases,
		themes: [
			{ id: 10, code: 'T1', title: 'Thema 1', parentId: null, number: 1 },
			{ id: 20, code: 'T2', title: 'Thema 2', parentId: null, number: 2 }
		],
		nextSteps: [
			{ id: 100, code: 'T1-VS1', title: 'Stap 1', parentId: 10 },
			{ id: 200, code: 'T2-VS1', title: 'Stap 2', parentId: 20 }
		],
		solutions: [{ id: 1000, code: 'T1-S1', title: 'Oplossing', parentId: 100 }],
		ambitions: [{ id: 1, code: 'AMB', title: 'Ambitie', parentId: null }],
		outcomes: [],
		indicators: [],
		evaluations: [],
		values: new Map(),
		actionGroups: [],
		regionId: null,
		period: choosePeriod([YEAR], '12', '2024-10-15')!,
		...over
	};
}

describe(computeProgress.name, () => {
	it('should weight school values by n when rolling up to the city, then apply the one progress definition', () => {
		const ind = indicator({ id: 1, node: { level: 'theme', id: 10 } });
		const latest = values([1, 3, 30, 100, '2024-10-31'], [1, 4, 60, 300, '2024-10-31']);
		const r = computeProgress(input({ indicators: [ind], values: latest }));
		// (30·100 + 60·300) / 400 = 52.5 → (52.5 − 20) / (60 − 20)
		expect(r.indicators[0].latest?.value).toBeCloseTo(52.5);
		expect(r.themes[0].progress).toBeCloseTo(0.8125);
	});

	it('should give a region without data null progress and count its indicators as without data', () => {
		const ind = indicator({ id: 1, node: { level: 'theme', id: 10 } });
		const latest = values([1, 3, 30, 100, '2024-10-31']);
		const r = computeProgress(input({ indicators: [ind], values: latest, regionId: 4 }));
		expect(r.themes[0].progress).toBeNull();
		expect(r.themes[0].indicatorsWithoutData).toBe(1);
	});

	it('should count "zonder data" over the numeric indicators only, in the number and in the total alike', () => {
		const measured = indicator({ id: 1, node: { level: 'theme', id: 10 } });
		const empty = indicator({ id: 2, node: { level: 'nextStep', id: 100 } });
		const story = indicator({
			id: 3,
			node: { level: 'solution', id: 1000 },
			unit: 'text',
			direction: 'none',
			baseline: null,
			target: null
		});
		const latest = values([1, 3, 30, 100, '2024-10-31']);
		const [theme] = computeProgress(input({ indicators: [measured, empty, story], values: latest })).themes;
		expect(theme.indicatorsWithoutData).toBe(1);
		expect(theme.indicatorCount).toBe(2);
		expect(theme.indicators).toEqual(['I1', 'I2', 'I3']);
	});

	it('should respect direction and clamp when rolled up', () => {
		const down = indicator({
			id: 1,
			node: { level: 'theme', id: 10 },
			direction: 'lower_is_better',
			baseline: { value: 30, date: null, source: null, demo: false, region: null },
			target: { value: 20, date: null, demo: false }
		});
		const latest = values([1, 2, 10, null, '2024-10-31']);
		expect(computeProgress(input({ indicators: [down], values: latest })).indicators[0].progress).toBe(1);
	});

	it('should sum a per-period count over the school year so far, and use the latest value of a cumulative one', () => {
		const flow = indicator({
			id: 1,
			node: { level: 'theme', id: 10 },
			unit: 'count',
			aggregation: 'sum',
			baseline: { value: 0, date: null, source: null, demo: false, region: null },
			target: { value: 100, date: null, demo: false }
		});
		const stock = indicator({
			id: 2,
			node: { level: 'theme', id: 10 },
			unit: 'count',
			aggregation: 'sum',
			frequency: 'yearly',
			baseline: { value: 0, date: null, source: null, demo: false, region: null },
			target: { value: 100, date: null, demo: false }
		});
		const both = values([1, 3, 15, null, '2024-09-30'], [1, 3, 25, null, '2024-10-31'], [2, 3, 25, null, '2024-06-30']);
		const r = computeProgress(input({ indicators: [flow, stock], values: both }));
		expect(r.indicators.map((i) => i.latest?.value)).toEqual([40, 25]);
		expect(r.themes[0].progress).toBeCloseTo((0.4 + 0.25) / 2);
	});

	it('should derive reach from the actions in the subtree up to the chosen phase, counting actions per group', () => {
		const reach = indicator({
			id: 1,
			node: { level: 'solution', id: 1000 },
			unit: 'count',
			aggregation: 'sum',
			derived: { measure: 'reached', targetGroup: 'jongeren', kinds: ['les'] },
			baseline: { value: 0, date: null, source: null, demo: false, region: null },
			target: { value: 100, date: null, demo: false }
		});
		const count = { ...reach, id: 2, code: 'I2', derived: { measure: 'actions' as const } };
		const actionGroups = [
			group({ date: '2024-09-10', jongeren: 20, actions: 2 }),
			group({ date: '2024-10-10', jongeren: 30, regionId: 4 }),
			group({ date: '2024-10-12', jongeren: 500, kind: 'sessie' }), // another kind
			group({ date: '2024-11-10', jongeren: 40 }) // after the chosen phase
		];
		const r = computeProgress(input({ indicators: [reach, count], actionGroups }));
		expect(r.indicators[0].latest?.value).toBe(50);
		expect(r.indicators[1].latest?.value).toBe(4);
		// the card counts the actions of the phase itself: October
		expect(r.themes[0].actions).toBe(2);
		expect(r.themes[0].reached.jongeren).toBe(530);
		const inSchoolB = computeProgress(input({ indicators: [reach], actionGroups, regionId: 4 }));
		expect(inSchoolB.indicators[0].latest?.value).toBe(30);
	});

	it('should show the latest final evaluation up to the chosen phase, never a draft', () => {
		const evaluations: ProgressEvaluation[] = [
			{ nextStepId: 100, phaseId: 11, state: 'final', status: 'op_koers', decision: 'voortzetten' },
			{ nextStepId: 100, phaseId: 12, state: 'draft', status: 'bijsturen', decision: 'stoppen' },
			{ nextStepId: 100, phaseId: 13, state: 'final', status: 'bijsturen', decision: 'bijstellen' }
		];
		const r = computeProgress(input({ evaluations }));
		expect(r.themes[0].evaluation).toMatchObject({ phaseId: 11, status: 'op_koers', decision: 'voortzetten' });
		expect(r.themes[1].evaluation).toBeNull();
	});

	it('should show a population figure with a note when it is older than the programme', () => {
		const pop = indicator({
			id: 1,
			node: { level: 'ambition', id: 1 },
			kind: 'population',
			frequency: 'every_4_years',
			baseline: { value: 50, date: '2023-12-31', source: 'GMJ 2023', demo: false, region: null }
		});
		const r = computeProgress(input({ indicators: [pop] }));
		expect(r.beleid[0].shown).toMatchObject({ value: 50, isBaseline: true, source: 'GMJ 2023' });
		expect(r.beleid[0].beforeStart).toBe(true);
		expect(computeProgress(input({ indicators: [pop], programmeStart: '2023-01-01' })).beleid[0].beforeStart).toBe(
			false
		);
	});
});

describe(indicatorSeries.name, () => {
	it('should give each phase the value as it stood at its end, and a phase not yet begun none', () => {
		const ind = indicator({ id: 1, node: { level: 'theme', id: 10 }, aggregation: 'latest' });
		const observations = [
			{ regionId: 3, date: '2024-06-30', value: 25, n: null },
			{ regionId: 3, date: '2024-10-20', value: 40, n: null }
		];
		const points = indicatorSeries(ind, input(), observations, '2024-10-25');
		expect(points.map((p) => [p.phase, p.value])).toEqual([
			['September', 25],
			['Oktober', 40],
			['November', null]
		]);
	});
});

describe('status and trend in computeProgress', () => {
	const ind = indicator({ id: 1, node: { level: 'theme', id: 10 }, validMonths: 12 });
	// baseline 20 on 2024-09-01, target 60 on 2025-06-30: on 2024-10-31 expected (60/302) ≈ 0.199
	it('should compare each region with its value before the latest: the figure as it stood the day before', () => {
		const latest = values([1, 3, 40, 100, '2024-10-31'], [1, 4, 30, 100, '2024-10-01']);
		const previous = values([1, 3, 20, 100, '2024-09-15'], [1, 4, 25, 100, '2024-09-10']);
		const r = computeProgress(input({ indicators: [ind], values: latest, previous }));
		const i = r.indicators[0];
		// now (40 + 30) / 2 = 35; the day before school A's 40: (20 + 30) / 2 = 25
		expect(i.latest?.value).toBeCloseTo(35);
		expect(i.trendBasis).toEqual({
			latest: { value: 35, date: '2024-10-31' },
			previous: expect.objectContaining({ value: 25, date: '2024-10-01' })
		});
		expect(i.trend).toBe('beter');
		expect(i.expected).toBeCloseTo(60 / 302, 6);
		// progress (35 − 20) / 40 = 0.375 ≥ expected − 0.10
		expect(i.status).toBe('op_koers');
		expect(r.themes[0]).toMatchObject({
			status: 'op_koers',
			trend: 'beter',
			trends: { beter: 1, gelijk: 0, slechter: 0 }
		});
	});

	it('should call a figure behind the expected path achter, and a theme without fresh values geen recente gegevens', () => {
		const late = input({
			indicators: [ind],
			values: values([1, 3, 21, 100, '2024-10-31']),
			period: choosePeriod([YEAR], '13', '2024-11-15')!
		});
		const r = computeProgress(late);
		expect(r.indicators[0].status).toBe('achter');
		expect(r.indicators[0].trend).toBeNull();
		expect(r.themes[1]).toMatchObject({ status: null, trend: null });
		const none = computeProgress(input({ indicators: [ind], values: new Map() }));
		expect(none.indicators[0].status).toBe('geen_gegevens');
		expect(none.themes[0].status).toBe('geen_gegevens');
	});

	it('should give a per-period indicator the trend of its last two phases that have ended', () => {
		const count = indicator({
			id: 2,
			node: { level: 'theme', id: 10 },
			unit: 'count',
			aggregation: 'sum',
			baseline: { value: 0, date: '2024-09-01', source: 'test', demo: false, region: null },
			target: { value: 90, date: '2025-06-30', demo: false }
		});
		const perDay = values(
			[2, 3, 10, null, '2024-09-10'],
			[2, 3, 6, null, '2024-10-10'],
			[2, 3, 50, null, '2024-11-10']
		);
		const during = computeProgress(
			input({
				indicators: [count],
				values: perDay,
				period: choosePeriod([YEAR], '13', '2024-11-15')!,
				today: '2024-11-15'
			})
		);
		// November has not ended: September (10) against October (6)
		expect(during.indicators[0].trendBasis).toEqual({
			latest: { value: 6, date: '2024-10-31' },
			previous: { value: 10, date: '2024-09-30' }
		});
		expect(during.indicators[0].trend).toBe('slechter');
		// expected over the school year (1 September – 30 November here) on 15 November
		expect(during.indicators[0].expected).toBeCloseTo(75 / 90, 6);
		const after = computeProgress(
			input({
				indicators: [count],
				values: perDay,
				period: choosePeriod([YEAR], '13', '2024-12-15')!,
				today: '2024-12-15'
			})
		);
		expect(after.indicators[0].trend).toBe('beter');
	});
});

describe(`${computeProgress.name} under a category`, () => {
	const split = indicator({ id: 1, node: { level: 'theme', id: 10 } });
	const other = indicator({ id: 2, node: { level: 'nextStep', id: 100 } });
	// values already seen through the category (breakdown.ts throughCategory)
	const category = (minGroupSize: number) => ({ key: 'geslacht:meisje', split: new Set([1]), minGroupSize });

	it('should roll the category up by the same rules and count only split indicators in the theme', () => {
		const latest = values([1, 3, 30, 6, '2024-10-31'], [1, 4, 60, 6, '2024-10-31'], [2, 3, 90, 50, '2024-10-31']);
		const r = computeProgress(input({ indicators: [split, other], values: latest, category: category(10) }));
		expect(r.indicators[0]).toMatchObject({ latest: { value: 45, n: 12 }, category: null });
		expect(r.indicators[1]).toMatchObject({ latest: null, status: null, progress: null, category: 'not_split' });
		expect([r.themes[0].indicatorCount, r.themes[0].indicatorsFresh]).toEqual([1, 1]);
		expect(r.themes[0].progress).toBeCloseTo((45 - 20) / 40);
		expect(r.fresh).toEqual({ indicators: 1, of: 1 });
	});

	it('should show no value, status, progress or trend of a rolled-up group below the minimum, nor count it', () => {
		const latest = values([1, 3, 30, 4, '2024-10-31'], [1, 4, 60, 5, '2024-10-31']);
		const previous = values([1, 3, 20, 4, '2024-10-10']);
		const r = computeProgress(input({ indicators: [split], values: latest, previous, category: category(10) }));
		expect(r.indicators[0]).toMatchObject({
			latest: null,
			status: null,
			progress: null,
			trend: null,
			trendBasis: null,
			category: 'small'
		});
		expect(r.themes[0].progress).toBeNull();
		// one school alone (n 5) is as small; without a category the same values are shown
		expect(computeProgress(input({ indicators: [split], values: latest })).indicators[0].latest?.value).toBeCloseTo(
			(30 * 4 + 60 * 5) / 9
		);
	});
});
