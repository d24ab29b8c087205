import type { DerivedRule } from './kompas.ts';
import type { Observation } from './rollup.ts';

/** Actions grouped by day, step, solution, kind and region: what the dashboard needs from the action log. */
export interface ActionGroup {
	date: string;
	nextStepId: number;
	solutionId: number | null;
	kind: string;
	regionId: number;
	actions: number;
	jongeren: number;
	ouders: number;
	professionals: number;
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

/** Which actions an indicator derived from the log counts: those of its own node (step/solution/theme). */
export interface DerivedScope {
	solutionId?: number;
	nextStepIds?: ReadonlySet<number>;
}

function matches(g: ActionGroup, rule: DerivedRule, scope: DerivedScope): boolean {
	if (scope.solutionId !== undefined && g.solutionId !== scope.solutionId) return false;
	if (scope.nextStepIds && !scope.nextStepIds.has(g.nextStepId)) return false;
	return !rule.kinds || rule.kinds.includes(g.kind);
}

const measureOf = (g: ActionGroup, rule: DerivedRule): number =>
	rule.measure === 'actions' ? g.actions : rule.targetGroup ? g[rule.targetGroup] : g.jongeren + g.ouders + g.professionals;

/**
 * The values of a derived indicator as observations per region and day, to be rolled up like measured
 * per-period values. Actions are events: a region's value is the sum over its whole subtree (see
 * `derivedInRegion`), unlike measurements, where a region's own figure already covers its children.
 */
export function derivedObservations(groups: readonly ActionGroup[], rule: DerivedRule, scope: DerivedScope): Observation[] {
	const byKey = new Map<string, Observation>();
	for (const g of groups) {
		if (!matches(g, rule, scope)) continue;
		const key = `${g.regionId}|${g.date}`;
		const o = byKey.get(key) ?? { regionId: g.regionId, date: g.date, value: 0, n: null, source: 'Actielogboek' };
		o.value += measureOf(g, rule);
		byKey.set(key, o);
	}
	return [...byKey.values()];
}
