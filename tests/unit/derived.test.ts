import { describe, expect, it } from 'vitest';
import {
	actionMatches,
	contribution,
	derivedInRegion,
	derivedPoints,
	reachSplit,
	withReachSplit,
	type ActionFact,
	type DerivedComputation
} from '../../src/lib/domain/derived.ts';
import { derivedObservations, type ActionGroup } from '../../src/lib/domain/action-figures.ts';
import { throughCategory, type Dimension } from '../../src/lib/domain/breakdown.ts';
import type { DerivedRule } from '../../src/lib/domain/plan.schema.ts';

const phases = [
	{ id: 1, name: 'September', start: '2024-09-01', end: '2024-09-30' },
	{ id: 2, name: 'Oktober', start: '2024-10-01', end: '2024-10-31' }
];

const action = (over: Partial<ActionFact> = {}): ActionFact => ({
	date: '2024-09-10',
	themeId: 1,
	nextStepId: 10,
	solutionId: 100,
	kind: 'bijeenkomst',
	region: 'obs-haarzicht',
	reached: { jongeren: 2, ouders: 40, professionals: 3 },
	...over
});

describe(actionMatches.name, () => {
	const rule = { measure: 'actions' as const };

	it('should take a solution’s own actions only', () => {
		expect(actionMatches(action(), rule, { level: 'solution', id: 100 })).toBe(true);
		expect(actionMatches(action({ solutionId: 101 }), rule, { level: 'solution', id: 100 })).toBe(false);
		expect(actionMatches(action({ solutionId: null }), rule, { level: 'solution', id: 100 })).toBe(false);
	});

	it('should take a next step’s actions including those of its solutions', () => {
		expect(actionMatches(action({ solutionId: null }), rule, { level: 'nextStep', id: 10 })).toBe(true);
		expect(actionMatches(action({ solutionId: 101 }), rule, { level: 'nextStep', id: 10 })).toBe(true);
		expect(actionMatches(action({ nextStepId: 11 }), rule, { level: 'nextStep', id: 10 })).toBe(false);
	});

	it('should take a theme’s actions, and every action for an ambition or outcome', () => {
		expect(actionMatches(action(), rule, { level: 'theme', id: 1 })).toBe(true);
		expect(actionMatches(action({ themeId: 2 }), rule, { level: 'theme', id: 1 })).toBe(false);
		expect(actionMatches(action({ themeId: 2 }), rule, { level: 'ambition', id: 7 })).toBe(true);
		expect(actionMatches(action({ themeId: 2 }), rule, { level: 'outcome', id: 7 })).toBe(true);
	});

	it('should filter by kind when the rule names kinds', () => {
		const node = { level: 'solution' as const, id: 100 };
		expect(actionMatches(action({ kind: 'les' }), { measure: 'actions', kinds: ['bijeenkomst'] }, node)).toBe(false);
		expect(actionMatches(action({ kind: 'les' }), { measure: 'actions', kinds: ['bijeenkomst', 'les'] }, node)).toBe(
			true
		);
		expect(actionMatches(action({ kind: 'les' }), { measure: 'actions', kinds: [] }, node)).toBe(true);
	});
});

describe(contribution.name, () => {
	it('should count one per action, or the reach of the target group', () => {
		expect(contribution(action(), { measure: 'actions' })).toBe(1);
		expect(contribution(action(), { measure: 'reached', targetGroup: 'ouders' })).toBe(40);
		expect(contribution(action(), { measure: 'reached', targetGroup: 'professionals' })).toBe(3);
	});

	it('should sum all target groups when the rule names none', () => {
		expect(contribution(action(), { measure: 'reached' })).toBe(45);
	});
});

describe(derivedPoints.name, () => {
	const node = { level: 'solution' as const, id: 100 };
	const rule: DerivedRule = { measure: 'reached', targetGroup: 'ouders', kinds: ['bijeenkomst'] };

	it('should give one value per phase and region, with phase boundaries inclusive', () => {
		const points = derivedPoints(
			rule,
			node,
			[
				action({ date: '2024-09-01', reached: { jongeren: 0, ouders: 10, professionals: 0 } }),
				action({ date: '2024-09-30', reached: { jongeren: 0, ouders: 5, professionals: 0 } }),
				action({ date: '2024-10-01', reached: { jongeren: 0, ouders: 7, professionals: 0 } }),
				action({ date: '2024-09-15', region: 'amadeus-lyceum', reached: { jongeren: 0, ouders: 3, professionals: 0 } })
			],
			phases
		);
		expect(points.map((p) => [p.phase.id, p.region, p.value, p.actions])).toEqual([
			[1, 'amadeus-lyceum', 3, 1],
			[1, 'obs-haarzicht', 15, 2],
			[2, 'obs-haarzicht', 7, 1]
		]);
	});

	it('should leave out actions outside every phase, of other nodes and of other kinds', () => {
		const points = derivedPoints(
			rule,
			node,
			[
				action({ date: '2024-08-31' }),
				action({ date: '2024-11-01' }),
				action({ solutionId: 101 }),
				action({ kind: 'les' })
			],
			phases
		);
		expect(points).toEqual([]);
	});

	it('should mark a value as demo when any action behind it is demo', () => {
		const [point] = derivedPoints(rule, node, [action(), action({ demo: true })], phases);
		expect(point).toMatchObject({ value: 80, actions: 2, demo: true });
	});
});

describe(derivedInRegion.name, () => {
	const regions = [
		{ id: 1, slug: 'utrecht', parent_id: null },
		{ id: 2, slug: 'vleuten-de-meern', parent_id: 1 },
		{ id: 3, slug: 'obs-haarzicht', parent_id: 2 },
		{ id: 4, slug: 'amadeus-lyceum', parent_id: 2 },
		{ id: 5, slug: 'elders', parent_id: null }
	];
	const point = (region: string, phaseId: number, value: number, demo = false) => ({
		region,
		phaseId,
		date: ['2024-09-30', '2024-10-31'][phaseId - 1],
		value,
		actions: 1,
		demo
	});
	const points = [
		point('obs-haarzicht', 1, 40),
		point('amadeus-lyceum', 1, 10, true),
		point('vleuten-de-meern', 2, 5),
		point('elders', 1, 99)
	];

	it('should sum a region and everything below it, per phase', () => {
		expect(derivedInRegion(points, regions, 'utrecht').map((p) => [p.phaseId, p.value, p.actions, p.demo])).toEqual([
			[1, 50, 2, true],
			[2, 5, 1, false]
		]);
		expect(derivedInRegion(points, regions, 'obs-haarzicht').map((p) => p.value)).toEqual([40]);
	});

	it('should give nothing for an unknown region or one without actions', () => {
		expect(derivedInRegion(points, regions, 'nergens')).toEqual([]);
		expect(derivedInRegion(points.slice(0, 1), regions, 'amadeus-lyceum')).toEqual([]);
	});
});

describe(reachSplit.name, () => {
	const doelgroep: Dimension = {
		key: 'doelgroep',
		name: 'Doelgroep',
		values: [
			{ key: 'jongeren', name: 'Jongeren' },
			{ key: 'ouders', name: 'Ouders', archived: true }
		]
	};
	const geslacht: Dimension = {
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' }
		]
	};

	it('should split reach by the dimension whose values are target groups, archived ones included', () => {
		expect(reachSplit({ measure: 'reached' }, ['geslacht', 'doelgroep'], [geslacht, doelgroep])).toEqual({
			dimension: 'doelgroep',
			groups: ['jongeren', 'ouders']
		});
	});

	it('should not split a count of actions, an unsplit indicator or one split by another dimension', () => {
		expect(reachSplit({ measure: 'actions' }, ['doelgroep'], [doelgroep])).toBeNull();
		expect(reachSplit({ measure: 'reached', targetGroup: 'ouders' }, [], [doelgroep])).toBeNull();
		expect(reachSplit({ measure: 'reached' }, ['geslacht'], [geslacht, doelgroep])).toBeNull();
		expect(withReachSplit(null, ['doelgroep'], [doelgroep])).toBeNull();
		expect(withReachSplit({ measure: 'reached', targetGroup: 'ouders' }, [], [doelgroep])).toEqual({
			measure: 'reached',
			targetGroup: 'ouders'
		});
	});
});

describe('a reach indicator split by target group', () => {
	const node = { level: 'solution' as const, id: 100 };
	const split: DerivedComputation = {
		measure: 'reached',
		split: { dimension: 'doelgroep', groups: ['jongeren', 'ouders'] }
	};

	it('should count the split’s groups in its total, and each group in its category', () => {
		expect(contribution(action(), split)).toBe(42);
		const [first, second] = derivedPoints(
			split,
			node,
			[
				action(),
				action({ reached: { jongeren: 5, ouders: 0, professionals: 9 } }),
				action({ date: '2024-10-02', reached: { jongeren: 0, ouders: 1, professionals: 0 } })
			],
			phases
		);
		expect(first).toMatchObject({ value: 47, actions: 2 });
		expect(first.categories).toEqual([
			{ dimension: 'doelgroep', category: 'jongeren', value: 7 },
			{ dimension: 'doelgroep', category: 'ouders', value: 40 }
		]);
		expect(second.categories?.map((c) => c.value)).toEqual([0, 1]);
	});

	it('should give no categories to an unsplit rule', () => {
		const [point] = derivedPoints({ measure: 'reached', targetGroup: 'ouders' }, node, [action()], phases);
		expect(point.value).toBe(40);
		expect(point.categories).toBeUndefined();
	});

	it('should sum categories over a region and the regions below it, as the total', () => {
		const regions = [
			{ id: 1, slug: 'wijk', parent_id: null },
			{ id: 2, slug: 'school', parent_id: 1 }
		];
		const point = (region: string, jongeren: number, ouders: number) => ({
			region,
			phaseId: 1,
			date: '2024-09-30',
			value: jongeren + ouders,
			actions: 1,
			demo: false,
			categories: [
				{ dimension: 'doelgroep', category: 'jongeren', value: jongeren },
				{ dimension: 'doelgroep', category: 'ouders', value: ouders }
			]
		});
		const points = [point('wijk', 1, 2), point('school', 10, 20)];
		const [sum] = derivedInRegion(points, regions, 'wijk');
		expect(sum.value).toBe(33);
		expect(sum.categories?.map((c) => c.value)).toEqual([11, 22]);
		// the input is left as it was
		expect(points[0].categories.map((c) => c.value)).toEqual([1, 2]);
	});

	it('should put the same categories on the dashboard’s observations, seen through one category like a total', () => {
		const group = (regionId: number, jongeren: number, ouders: number): ActionGroup => ({
			date: '2024-09-10',
			nextStepId: 10,
			solutionId: 100,
			kind: 'les',
			regionId,
			actions: 2,
			jongeren,
			ouders,
			professionals: 50,
			demo: false
		});
		const observations = derivedObservations(
			[group(3, 4, 6), group(3, 1, 0), group(4, 2, 2)],
			split,
			node,
			new Map([[10, 1]]),
			phases
		);
		expect(observations.map((o) => [o.regionId, o.value])).toEqual([
			[3, 11],
			[4, 4]
		]);
		expect(throughCategory(observations, 'doelgroep:ouders').map((o) => [o.regionId, o.value, o.n])).toEqual([
			[3, 6, null],
			[4, 2, null]
		]);
		expect(throughCategory(observations, 'doelgroep:professionals')).toEqual([]);
	});
});
