import type { ActionKind } from './plan.schema.ts';
import {
	actionMatches,
	addCategories,
	contribution,
	type ActionFact,
	type DerivedComputation,
	type IndicatorNode
} from './derived.ts';
import { phaseOf, type PhaseSpan } from './phase-calendar.ts';
import type { Observation } from './rollup.ts';
import type { CategoryValue } from './breakdown.ts';

/** Actions grouped by day, step, solution, kind and region: what the dashboard needs from the action log. */
export interface ActionGroup {
	date: string;
	nextStepId: number;
	solutionId: number | null;
	kind: ActionKind;
	regionId: number;
	actions: number;
	jongeren: number;
	ouders: number;
	professionals: number;
	demo: boolean;
}

export interface Reached {
	jongeren: number;
	ouders: number;
	professionals: number;
	total: number;
}

export const NO_ONE: Reached = { jongeren: 0, ouders: 0, professionals: 0, total: 0 };

export function totals(groups: readonly ActionGroup[]): { actions: number; reached: Reached } {
	const r = { jongeren: 0, ouders: 0, professionals: 0 };
	let actions = 0;
	for (const g of groups) {
		actions += g.actions;
		r.jongeren += g.jongeren;
		r.ouders += g.ouders;
		r.professionals += g.professionals;
	}
	return { actions, reached: { ...r, total: r.jongeren + r.ouders + r.professionals } };
}

/**
 * The values of a derived indicator as observations per region, dated at the end of their phase: the same
 * rule as derived.ts (node, kinds, measure; phase via phaseOf, actions outside every phase count nowhere),
 * applied to grouped actions. Actions are events, so a region's value is the sum over its whole subtree
 * (unlike measurements, where a region's own figure already covers its children).
 */
export function derivedObservations(
	groups: readonly ActionGroup[],
	rule: DerivedComputation,
	node: IndicatorNode,
	themeOfStep: ReadonlyMap<number, number>,
	phases: readonly PhaseSpan[]
): Observation[] {
	const byKey = new Map<string, Observation & { categories?: CategoryValue[] }>();
	for (const g of groups) {
		const fact: ActionFact = {
			date: g.date,
			themeId: themeOfStep.get(g.nextStepId) ?? -1,
			nextStepId: g.nextStepId,
			solutionId: g.solutionId,
			kind: g.kind,
			region: String(g.regionId),
			reached: { jongeren: g.jongeren, ouders: g.ouders, professionals: g.professionals }
		};
		if (!actionMatches(fact, rule, node)) continue;
		const phase = phaseOf(g.date, phases);
		// an action between phases (the summer) keeps its own day: counted in no phase, shown as "buiten de fasen"
		const key = phase ? `${g.regionId}|${phase.id}` : `${g.regionId}|${g.date}`;
		const o: Observation & { categories?: CategoryValue[] } = byKey.get(key) ?? {
			regionId: g.regionId,
			date: phase ? phase.end : g.date,
			value: 0,
			n: null,
			source: 'Actielogboek',
			demo: false
		};
		// a group stands for g.actions actions; its reach is already their sum
		o.value += rule.measure === 'actions' ? g.actions : contribution(fact, rule);
		// a split reach indicator: its value per target group, so a category is seen through the same roll-up
		const categories = addCategories(o.categories, fact, rule);
		if (categories) o.categories = categories;
		o.demo ||= g.demo;
		byKey.set(key, o);
	}
	return [...byKey.values()];
}
