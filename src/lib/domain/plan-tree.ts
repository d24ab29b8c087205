/**
 * Which plan nodes and indicators are live: not archived themselves and under no archived node. The one
 * rule for "in the kompas" wherever indicators are counted or looked up (progress, dashboard, report,
 * overview, measurement entry, an indicator's page and API). Queries leave out rows archived themselves;
 * what an archived ancestor takes with it is decided here. Works on the rows as stored (node references
 * by id), without I/O.
 */

import type { NodeLevel } from './kompas.ts';
import { LEVELS } from './plan-edit.ts';

interface Node {
	id: number;
}
export interface IndicatorNodeRefs {
	id: number;
	ambition_id: number | null;
	outcome_id: number | null;
	theme_id: number | null;
	next_step_id: number | null;
	solution_id: number | null;
}

/** The non-archived rows of each level (archived rows already left out). */
export interface LiveRows<I extends IndicatorNodeRefs = IndicatorNodeRefs> {
	ambitions: Node[];
	outcomes: Node[];
	themes: Node[];
	nextSteps: (Node & { theme_id: number })[];
	solutions: (Node & { next_step_id: number })[];
	indicators: I[];
}

export interface LiveTree<I extends IndicatorNodeRefs> {
	/** indicators whose node and every ancestor are live */
	indicators: I[];
	/** theme id of each live indicator under a theme (on the theme, its next steps or solutions) */
	themeOf: Map<number, number>;
	/** the live next steps (their theme is live) and solutions (their next step and theme are live) */
	nextStepIds: Set<number>;
	solutionIds: Set<number>;
}

export function liveTree<I extends IndicatorNodeRefs>(rows: LiveRows<I>): LiveTree<I> {
	const themes = new Set(rows.themes.map((t) => t.id));
	const stepTheme = new Map(rows.nextSteps.filter((s) => themes.has(s.theme_id)).map((s) => [s.id, s.theme_id]));
	const solutionTheme = new Map(
		rows.solutions.filter((s) => stepTheme.has(s.next_step_id)).map((s) => [s.id, stepTheme.get(s.next_step_id)!])
	);
	const ambitions = new Set(rows.ambitions.map((a) => a.id));
	const outcomes = new Set(rows.outcomes.map((o) => o.id));
	const themeOf = new Map<number, number>();
	const indicators = rows.indicators.filter((i) => {
		const theme =
			i.theme_id !== null && themes.has(i.theme_id)
				? i.theme_id
				: i.next_step_id !== null
					? stepTheme.get(i.next_step_id)
					: i.solution_id !== null
						? solutionTheme.get(i.solution_id)
						: undefined;
		if (theme !== undefined) themeOf.set(i.id, theme);
		return (
			theme !== undefined ||
			(i.ambition_id !== null && ambitions.has(i.ambition_id)) ||
			(i.outcome_id !== null && outcomes.has(i.outcome_id))
		);
	});
	return { indicators, themeOf, nextStepIds: new Set(stepTheme.keys()), solutionIds: new Set(solutionTheme.keys()) };
}

/**
 * The nodes one query reads beside each indicator (left joins that leave out rows archived themselves): the id
 * of each node it hangs from, null where that node is archived or absent, and the parent a step or solution
 * hangs from.
 */
export interface LiveNodeRefs {
	live_ambition: number | null;
	live_outcome: number | null;
	live_theme: number | null;
	live_next_step: number | null;
	live_next_step_theme: number | null;
	live_solution: number | null;
	live_solution_step: number | null;
}

/** liveTree over indicator rows that carry their own nodes (LiveNodeRefs), so one query answers what is live. */
export function liveTreeOfRows<I extends IndicatorNodeRefs & LiveNodeRefs>(rows: readonly I[]): LiveTree<I> {
	const ids = (pick: (r: I) => number | null) => rows.flatMap((r) => (pick(r) === null ? [] : [{ id: pick(r)! }]));
	return liveTree({
		ambitions: ids((r) => r.live_ambition),
		outcomes: ids((r) => r.live_outcome),
		themes: ids((r) => r.live_theme),
		nextSteps: rows.flatMap((r) =>
			r.live_next_step === null ? [] : [{ id: r.live_next_step, theme_id: r.live_next_step_theme! }]
		),
		solutions: rows.flatMap((r) =>
			r.live_solution === null ? [] : [{ id: r.live_solution, next_step_id: r.live_solution_step! }]
		),
		indicators: [...rows]
	});
}

/** A region and all regions below it. */
export function regionWithDescendants(
	regions: readonly { id: number; parent_id: number | null }[],
	rootId: number
): number[] {
	const out = [rootId];
	for (let i = 0; i < out.length; i++) for (const r of regions) if (r.parent_id === out[i]) out.push(r.id);
	return out;
}

/** The column of an indicator row that refers to each node level; exactly one of them is set. */
export const NODE_COLUMNS = {
	ambition: 'ambition_id',
	outcome: 'outcome_id',
	theme: 'theme_id',
	nextStep: 'next_step_id',
	solution: 'solution_id'
} as const satisfies Record<NodeLevel, keyof IndicatorNodeRefs>;

export type NodeColumn = (typeof NODE_COLUMNS)[NodeLevel];

/** The node an indicator hangs on: the level and id of its one node reference (its column: NODE_COLUMNS[level]). */
export function nodeOfIndicator(i: Omit<IndicatorNodeRefs, 'id'>): { level: NodeLevel; id: number } {
	for (const level of LEVELS) {
		const id = i[NODE_COLUMNS[level]];
		if (id !== null) return { level, id };
	}
	throw new Error('an indicator hangs on no node');
}
