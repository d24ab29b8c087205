import { describe, expect, it } from 'vitest';
import { demoActions, demoMeasurements, SMALL_DEMO_CATEGORY } from '../../src/lib/domain/demo-data.ts';
import { categoryFlags, categoryIssues, type Dimension } from '../../src/lib/domain/breakdown.ts';
import { suppressed } from '../../src/lib/domain/small-groups.ts';
import { phaseOf } from '../../src/lib/domain/phase-calendar.ts';
import { expectEvery } from '../helpers/expect-every.ts';

const input = {
	solutions: [
		{ id: 1, nextStepId: 10 },
		{ id: 2, nextStepId: 10 },
		{ id: 3, nextStepId: 11 }
	],
	phases: [
		{ start: '2024-09-01', end: '2024-09-30' },
		{ start: '2024-10-01', end: '2024-10-31' },
		{ start: '2025-01-01', end: '2025-06-30' }
	],
	regionIds: [5, 6],
	organisations: [{ id: 7, regionId: null }]
};

describe('demo actions', () => {
	it('should give every solution two or three actions in each phase, dated inside it', () => {
		const actions = demoActions(input);
		for (const [i, phase] of input.phases.entries())
			for (const s of input.solutions) {
				const here = actions.filter((a) => a.solutionId === s.id && a.date >= phase.start && a.date <= phase.end);
				expect(here.length, `solution ${s.id} in phase ${i}`).toBeGreaterThanOrEqual(2);
				expect(here.length).toBeLessThanOrEqual(3);
				expectEvery(here, (a) => a.nextStepId === s.nextStepId);
			}
		const phases = input.phases.map((p, i) => ({ id: i, name: String(i), start: p.start, end: p.end }));
		expectEvery(actions, (a) => phaseOf(a.date, phases) !== null);
	});

	it('should say in every text that it is invented, and use only the given regions and organisations', () => {
		const actions = demoActions(input);
		expectEvery(actions, (a) => a.description.startsWith('Demo-actie'));
		expectEvery(
			actions.filter((a) => a.quote !== null),
			(a) => a.quote!.startsWith('Demo-verhaal')
		);
		expectEvery(actions, (a) => input.regionIds.includes(a.regionId) && a.organisationId === 7);
		expectEvery(actions, (a) => Object.values(a.reached).every((n) => Number.isInteger(n) && n >= 0));
		expectEvery(
			actions.filter((a) => a.quotePublic),
			(a) => a.quote !== null
		);
	});

	it('should place an organisation’s actions in its own region when it has one', () => {
		const actions = demoActions({ ...input, organisations: [{ id: 8, regionId: 6 }] });
		expectEvery(actions, (a) => a.organisationId === 8 && a.regionId === 6);
		const elsewhere = demoActions({ ...input, organisations: [{ id: 9, regionId: 99 }] });
		expect(new Set(elsewhere.map((a) => a.regionId))).toEqual(new Set([5, 6]));
	});

	it('should be the same on every run, and empty without regions', () => {
		expect(demoActions(input)).toEqual(demoActions(input));
		expect(demoActions({ ...input, regionIds: [] })).toEqual([]);
	});

	it('should log a solution’s actions as the kinds its derived indicators count', () => {
		const actions = demoActions({
			...input,
			solutions: [
				{ id: 1, nextStepId: 10, kinds: ['bijeenkomst', 'sessie'] },
				{ id: 2, nextStepId: 10 }
			]
		});
		expectEvery(
			actions.filter((a) => a.solutionId === 1),
			(a) => a.kind === 'bijeenkomst' || a.kind === 'sessie'
		);
		expect(new Set(actions.filter((a) => a.solutionId === 2).map((a) => a.kind)).size).toBeGreaterThan(2);
	});
});

describe('demo measurements with a breakdown', () => {
	const geslacht: Dimension = {
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' },
			{ key: SMALL_DEMO_CATEGORY, name: 'Anders/onbekend' }
		]
	};
	const leeftijd: Dimension = {
		key: 'leeftijd',
		name: 'Leeftijd',
		values: [
			{ key: '10-12', name: '10–12 jaar' },
			{ key: '13-14', name: '13–14 jaar' }
		]
	};
	const ends = ['2024-09-30', '2024-10-31', '2024-11-30', '2024-12-31', '2025-06-30', '2025-09-30'];
	const indicator = (over: object) => ({
		id: 1,
		code: 'X-STRESS',
		unit: 'percent' as const,
		kind: 'programme',
		derived: null,
		baseline: 40,
		target: 32,
		direction: 'lower_is_better' as const,
		dimensions: [geslacht, leeftijd],
		...over
	});
	const context = (m: { value: number; n: number }, ind: ReturnType<typeof indicator>) => ({
		unit: ind.unit,
		dimensions: ind.dimensions,
		total: { value: m.value, n: m.n }
	});

	it.each(['percent', 'score', 'count'] as const)('should give %s categories that agree with the total', (unit) => {
		const ind = indicator({ unit, baseline: unit === 'score' ? 6 : 40, target: unit === 'score' ? 7 : 32 });
		const list = demoMeasurements([ind], ends);
		expect(list).toHaveLength(ends.length);
		for (const m of list) {
			expect(m.categories).toHaveLength(5);
			expect(categoryIssues(m.categories!, context(m, ind))).toEqual([]);
			expect(categoryFlags(m.categories!, context(m, ind))).toEqual([]);
		}
	});

	it('should show girls under more stress than boys, the gap narrowing, and a group too small to show', () => {
		const ind = indicator({});
		const list = demoMeasurements([ind], ends);
		let secondary = 0;
		const gap = list.map((m) => {
			const of = (k: string) => m.categories!.find((c) => c.category === k)!;
			expect(of('meisje').value).toBeGreaterThan(of('jongen').value);
			expect(of(SMALL_DEMO_CATEGORY).n).toBeLessThan(10);
			// the small group is hidden, and so is one of the others: total and the other would give it away
			const marks = suppressed(
				m.categories!.filter((c) => c.dimension === 'geslacht'),
				'percent',
				10
			);
			expect(marks[2]).toBe('small');
			if (of('meisje').n! >= 10 && of('jongen').n! >= 10) {
				expect(marks.filter((x) => x === 'derivable')).toHaveLength(1);
				secondary++;
			}
			return of('meisje').value - of('jongen').value;
		});
		expect(gap[gap.length - 1]).toBeLessThan(gap[0]);
		expect(secondary).toBeGreaterThan(0);
		// where higher is better, the girls' figure is the lower one
		const [first] = demoMeasurements([indicator({ direction: 'higher_is_better', baseline: 45, target: 60 })], ends);
		const of = (k: string) => first.categories!.find((c) => c.category === k)!.value;
		expect(of('meisje')).toBeLessThan(of('jongen'));
	});

	it('should leave the totals as they were without a breakdown', () => {
		const split = demoMeasurements([indicator({})], ends);
		const plain = demoMeasurements([indicator({ dimensions: undefined })], ends);
		expect(split.map((m) => [m.date, m.value, m.n])).toEqual(plain.map((m) => [m.date, m.value, m.n]));
		expect(plain[0].categories).toBeUndefined();
	});
});
