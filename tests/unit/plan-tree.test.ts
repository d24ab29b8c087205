import { describe, expect, it } from 'vitest';
import {
	liveTree,
	liveTreeOfRows,
	NODE_COLUMNS,
	nodeOfIndicator,
	type LiveRows
} from '../../src/lib/domain/plan-tree.ts';

const ind = (
	id: number,
	refs: Partial<Record<'ambition_id' | 'outcome_id' | 'theme_id' | 'next_step_id' | 'solution_id', number>>
) => ({
	id,
	ambition_id: null,
	outcome_id: null,
	theme_id: null,
	next_step_id: null,
	solution_id: null,
	...refs
});

/** ambition 1, outcome 2, theme 10 > step 100 > solution 1000, theme 20 > step 200 > solution 2000; one indicator on each */
const rows = (): LiveRows => ({
	ambitions: [{ id: 1 }],
	outcomes: [{ id: 2 }],
	themes: [{ id: 10 }, { id: 20 }],
	nextSteps: [
		{ id: 100, theme_id: 10 },
		{ id: 200, theme_id: 20 }
	],
	solutions: [
		{ id: 1000, next_step_id: 100 },
		{ id: 2000, next_step_id: 200 }
	],
	indicators: [
		ind(1, { ambition_id: 1 }),
		ind(2, { outcome_id: 2 }),
		ind(3, { theme_id: 10 }),
		ind(4, { next_step_id: 100 }),
		ind(5, { solution_id: 1000 }),
		ind(6, { theme_id: 20 }),
		ind(7, { solution_id: 2000 })
	]
});
const ids = (r: LiveRows) => liveTree(r).indicators.map((i) => i.id);

describe(liveTree.name, () => {
	it('should keep every indicator of a plan without archived nodes, each with its theme', () => {
		const tree = liveTree(rows());
		expect(tree.indicators.map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect([...tree.themeOf]).toEqual([
			[3, 10],
			[4, 10],
			[5, 10],
			[6, 20],
			[7, 20]
		]);
		expect([...tree.nextStepIds]).toEqual([100, 200]);
		expect([...tree.solutionIds]).toEqual([1000, 2000]);
	});

	it('should take what hangs below an archived theme out with it: its steps, solutions and their indicators', () => {
		const r = rows();
		r.themes = r.themes.filter((t) => t.id !== 10);
		const tree = liveTree(r);
		expect(tree.indicators.map((i) => i.id)).toEqual([1, 2, 6, 7]);
		expect([...tree.nextStepIds]).toEqual([200]);
		expect([...tree.solutionIds]).toEqual([2000]);
	});

	it('should take an archived next step’s solutions and indicators out, leaving its theme', () => {
		const r = rows();
		r.nextSteps = r.nextSteps.filter((s) => s.id !== 100);
		expect(ids(r)).toEqual([1, 2, 3, 6, 7]);
	});

	it('should take the indicators of an archived ambition or outcome out', () => {
		const r = rows();
		r.ambitions = [];
		expect(ids(r)).toEqual([2, 3, 4, 5, 6, 7]);
		r.outcomes = [];
		expect(ids(r)).toEqual([3, 4, 5, 6, 7]);
	});
});

describe(liveTreeOfRows.name, () => {
	/** the rows of rows() as one query reads them: each indicator with the live nodes it hangs from (null = archived or absent) */
	const joined = (archived: { themes?: number[]; nextSteps?: number[]; ambitions?: number[] } = {}) => {
		const r = rows();
		const live = <T extends { id: number }>(xs: T[], gone: number[] = []) =>
			new Map(xs.filter((x) => !gone.includes(x.id)).map((x) => [x.id, x]));
		const [ambitions, outcomes, themes, steps, solutions] = [
			live(r.ambitions, archived.ambitions),
			live(r.outcomes),
			live(r.themes, archived.themes),
			live(r.nextSteps, archived.nextSteps),
			live(r.solutions)
		];
		return r.indicators.map((i) => {
			const solution = i.solution_id === null ? undefined : solutions.get(i.solution_id);
			const step = steps.get(i.next_step_id ?? solution?.next_step_id ?? -1);
			return {
				...i,
				live_ambition: ambitions.get(i.ambition_id ?? -1)?.id ?? null,
				live_outcome: outcomes.get(i.outcome_id ?? -1)?.id ?? null,
				live_theme: themes.get(i.theme_id ?? step?.theme_id ?? -1)?.id ?? null,
				live_next_step: step?.id ?? null,
				live_next_step_theme: step?.theme_id ?? null,
				live_solution: solution?.id ?? null,
				live_solution_step: solution?.next_step_id ?? null
			};
		});
	};
	const liveIds = (archived: Parameters<typeof joined>[0]) =>
		liveTreeOfRows(joined(archived)).indicators.map((i) => i.id);

	it('should answer as liveTree over the whole levels', () => {
		expect(liveIds({})).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect([...liveTreeOfRows(joined()).themeOf]).toEqual([
			[3, 10],
			[4, 10],
			[5, 10],
			[6, 20],
			[7, 20]
		]);
	});

	it('should take the indicators below an archived theme, next step or ambition out', () => {
		expect(liveIds({ themes: [10] })).toEqual([1, 2, 6, 7]);
		expect(liveIds({ nextSteps: [100] })).toEqual([1, 2, 3, 6, 7]);
		expect(liveIds({ ambitions: [1] })).toEqual([2, 3, 4, 5, 6, 7]);
	});
});

describe(nodeOfIndicator.name, () => {
	const none = { ambition_id: null, outcome_id: null, theme_id: null, next_step_id: null, solution_id: null };
	it('should name the level and id of the one node an indicator hangs on', () => {
		expect(nodeOfIndicator({ ...none, theme_id: 4 })).toEqual({ level: 'theme', id: 4 });
		expect(nodeOfIndicator({ ...none, next_step_id: 9 })).toEqual({ level: 'nextStep', id: 9 });
		expect(nodeOfIndicator({ ...none, ambition_id: 1 })).toEqual({ level: 'ambition', id: 1 });
		expect(NODE_COLUMNS[nodeOfIndicator({ ...none, solution_id: 2 }).level]).toBe('solution_id');
	});
	it('should refuse an indicator on no node (a broken row, never user input)', () => {
		expect(() => nodeOfIndicator(none)).toThrow();
	});
});
