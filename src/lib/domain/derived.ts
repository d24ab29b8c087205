import type { DerivedRule, NodeLevel } from './kompas.ts';
import type { ActionKind } from './plan.schema.ts';
import { phaseOf, type PhaseSpan } from './phase-calendar.ts';

/**
 * Derived indicators: values computed from the action log, never typed in. One value per phase and
 * per region where actions were logged: the count of matching actions or the sum of people reached.
 */

export const TARGET_GROUP_KEYS = ['jongeren', 'ouders', 'professionals'] as const;
export type TargetGroup = (typeof TARGET_GROUP_KEYS)[number];

/** What the computation needs to know of one action. */
export interface ActionFact {
	date: string;
	themeId: number;
	nextStepId: number;
	solutionId: number | null;
	kind: ActionKind;
	region: string;
	reached: Record<TargetGroup, number>;
	demo?: boolean;
}

/** The node an indicator hangs on. Ambitions and outcomes take every action of the programme. */
export interface IndicatorNode {
	level: NodeLevel;
	id: number;
}

export interface DerivedPoint<P extends PhaseSpan = PhaseSpan> {
	phase: P;
	region: string;
	value: number;
	/** number of actions behind the value */
	actions: number;
	/** true when any action behind the value is demo data */
	demo: boolean;
}

/** Does the action belong to the node (a solution's actions, a next step's incl. its solutions, a theme's…)? */
export function actionOnNode(
	a: Pick<ActionFact, 'themeId' | 'nextStepId' | 'solutionId'>,
	node: IndicatorNode
): boolean {
	switch (node.level) {
		case 'solution':
			return a.solutionId === node.id;
		case 'nextStep':
			return a.nextStepId === node.id;
		case 'theme':
			return a.themeId === node.id;
		case 'ambition':
		case 'outcome':
			return true;
	}
}

/** Does the action count for the rule on this node? */
export function actionMatches(a: ActionFact, rule: DerivedRule, node: IndicatorNode): boolean {
	if (!actionOnNode(a, node)) return false;
	return !rule.kinds || rule.kinds.length === 0 || rule.kinds.includes(a.kind);
}

/** What one action adds to the value: 1 for a count of actions, its reach in the target group otherwise. */
export function contribution(a: ActionFact, rule: DerivedRule): number {
	if (rule.measure === 'actions') return 1;
	if (rule.targetGroup) return a.reached[rule.targetGroup];
	return TARGET_GROUP_KEYS.reduce((sum, g) => sum + a.reached[g], 0);
}

/**
 * The derived values of one indicator, per phase (via `phaseOf`, the one definition) and region,
 * ordered by phase start and region. Actions outside every phase count nowhere.
 */
export function derivedPoints<P extends PhaseSpan>(
	rule: DerivedRule,
	node: IndicatorNode,
	actions: readonly ActionFact[],
	phases: readonly P[]
): DerivedPoint<P>[] {
	const points = new Map<string, DerivedPoint<P>>();
	for (const a of actions) {
		if (!actionMatches(a, rule, node)) continue;
		const phase = phaseOf(a.date, phases);
		if (!phase) continue;
		const key = `${phase.id}\u0000${a.region}`;
		const point = points.get(key) ?? { phase, region: a.region, value: 0, actions: 0, demo: false };
		point.value += contribution(a, rule);
		point.actions += 1;
		point.demo ||= a.demo === true;
		points.set(key, point);
	}
	return [...points.values()].sort(
		(x, y) => x.phase.start.localeCompare(y.phase.start) || x.region.localeCompare(y.region)
	);
}

/** Where a region sits in the tree: enough to find everything below it. */
export interface RegionNode {
	id: number;
	slug: string;
	parent_id: number | null;
}

/**
 * Derived values of one indicator for a region: per phase, the sum over that region and every region
 * below it (actions are events, so a neighbourhood's reach is the sum of its schools' and clubs').
 */
export function derivedInRegion<
	T extends { region: string; phaseId: number; date: string; value: number; actions: number; demo: boolean }
>(
	points: readonly T[],
	regions: readonly RegionNode[],
	rootSlug: string
): { phaseId: number; date: string; value: number; actions: number; demo: boolean }[] {
	const root = regions.find((r) => r.slug === rootSlug);
	if (!root) return [];
	const inside = new Set([root.id]);
	for (let grew = true; grew;) {
		grew = false;
		for (const r of regions)
			if (r.parent_id !== null && inside.has(r.parent_id) && !inside.has(r.id)) {
				inside.add(r.id);
				grew = true;
			}
	}
	const slugs = new Set(regions.filter((r) => inside.has(r.id)).map((r) => r.slug));
	const byPhase = new Map<number, { phaseId: number; date: string; value: number; actions: number; demo: boolean }>();
	for (const p of points) {
		if (!slugs.has(p.region)) continue;
		const sum = byPhase.get(p.phaseId) ?? { phaseId: p.phaseId, date: p.date, value: 0, actions: 0, demo: false };
		sum.value += p.value;
		sum.actions += p.actions;
		sum.demo ||= p.demo;
		byPhase.set(p.phaseId, sum);
	}
	return [...byPhase.values()].sort((a, b) => a.date.localeCompare(b.date));
}
