import type { DerivedRule, NodeLevel } from './kompas.ts';
import type { ActionKind } from './plan.schema.ts';
import { phaseOf, type PhaseSpan } from './phase-calendar.ts';
// types only: the system map's labels use TARGET_GROUP_KEYS in the browser, and breakdown.ts would bring zod along
import type { CategoryValue, Dimension } from './breakdown.ts';

/**
 * Derived indicators: values computed from the action log, never typed in. One value per phase and
 * per region where actions were logged: the count of matching actions or the sum of people reached.
 */

export const TARGET_GROUP_KEYS = ['jongeren', 'ouders', 'professionals'] as const;
export type TargetGroup = (typeof TARGET_GROUP_KEYS)[number];

export const isTargetGroup = (key: string): key is TargetGroup =>
	(TARGET_GROUP_KEYS as readonly string[]).includes(key);

/**
 * A derived reach indicator split by target group (issue 17): the key of its dimension whose values are
 * target groups (`doelgroep: jongeren, ouders, professionals`), and those groups. Its total is the sum
 * over these groups, its categories the sum per group.
 */
export interface ReachSplit {
	dimension: string;
	groups: TargetGroup[];
}

/** A derived rule as it is computed: the plan's rule plus the split its indicator's dimension asks for. */
export type DerivedComputation = DerivedRule & { split?: ReachSplit | null };

/** Is this dimension one a derived reach indicator may be split by: every value a target group? */
export const isTargetGroupDimension = (d: Dimension) => d.values.every((v) => isTargetGroup(v.key));

/**
 * The split of a derived indicator from its dimensions (keys) and the programme's: its target-group
 * dimension, every value of it (archived ones too: their actions were logged and still count), or null.
 */
export function reachSplit(
	rule: DerivedRule | null,
	indicatorDimensions: readonly string[],
	programmeDimensions: readonly Dimension[]
): ReachSplit | null {
	if (rule?.measure !== 'reached') return null;
	const d = programmeDimensions.find((x) => indicatorDimensions.includes(x.key) && isTargetGroupDimension(x));
	return d ? { dimension: d.key, groups: d.values.map((v) => v.key).filter(isTargetGroup) } : null;
}

/** The rule with its split, as derivedPoints and derivedObservations take it; null stays null. */
export function withReachSplit(
	rule: DerivedRule | null,
	indicatorDimensions: readonly string[],
	programmeDimensions: readonly Dimension[]
): DerivedComputation | null {
	if (!rule) return null;
	const split = reachSplit(rule, indicatorDimensions, programmeDimensions);
	return split ? { ...rule, split } : rule;
}

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
	/** a split reach indicator: the value per target group (counts, no n) */
	categories?: CategoryValue[];
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
export function actionMatches(a: ActionFact, rule: DerivedComputation, node: IndicatorNode): boolean {
	if (!actionOnNode(a, node)) return false;
	return !rule.kinds || rule.kinds.length === 0 || rule.kinds.includes(a.kind);
}

/**
 * What one action adds to the value: 1 for a count of actions; its reach in the target group; for a
 * split one, its reach summed over the split's groups; else its reach in every group.
 */
export function contribution(a: Pick<ActionFact, 'reached'>, rule: DerivedComputation): number {
	if (rule.measure === 'actions') return 1;
	if (rule.split) return rule.split.groups.reduce((sum, g) => sum + a.reached[g], 0);
	if (rule.targetGroup) return a.reached[rule.targetGroup];
	return TARGET_GROUP_KEYS.reduce((sum, g) => sum + a.reached[g], 0);
}

/**
 * Adds what one action (or a group of them) reached to a split value's categories, one per group of the
 * split (0 included: nobody of that group was reached); undefined when the rule is not split. The
 * categories add up to `contribution`, so total and categories are one computation.
 */
export function addCategories(
	categories: CategoryValue[] | undefined,
	a: Pick<ActionFact, 'reached'>,
	rule: DerivedComputation
): CategoryValue[] | undefined {
	const split = rule.measure === 'reached' ? rule.split : null;
	if (!split) return undefined;
	const list = categories ?? split.groups.map((g) => ({ dimension: split.dimension, category: g, value: 0 }));
	list.forEach((c, i) => (c.value += a.reached[split.groups[i]]));
	return list;
}

/** Adds categories of the same split (the same order) to a sum; for roll-ups over regions. */
export function sumCategories(
	sum: CategoryValue[] | undefined,
	add: readonly CategoryValue[] | undefined
): CategoryValue[] | undefined {
	if (!add) return sum;
	if (!sum) return add.map((c) => ({ ...c }));
	add.forEach((c, i) => (sum[i].value += c.value));
	return sum;
}

/**
 * The derived values of one indicator, per phase (via `phaseOf`, the one definition) and region,
 * ordered by phase start and region. Actions outside every phase count nowhere.
 */
export function derivedPoints<P extends PhaseSpan>(
	rule: DerivedComputation,
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
		const categories = addCategories(point.categories, a, rule);
		if (categories) point.categories = categories;
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

/** A derived value summed over a region's subtree, per phase. */
interface RegionSum {
	phaseId: number;
	date: string;
	value: number;
	actions: number;
	demo: boolean;
	categories?: CategoryValue[];
}

/**
 * Derived values of one indicator for a region: per phase, the sum over that region and every region
 * below it (actions are events, so a neighbourhood's reach is the sum of its schools' and clubs').
 */
export function derivedInRegion<T extends RegionSum & { region: string }>(
	points: readonly T[],
	regions: readonly RegionNode[],
	rootSlug: string
): RegionSum[] {
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
	const byPhase = new Map<number, RegionSum>();
	for (const p of points) {
		if (!slugs.has(p.region)) continue;
		const sum: RegionSum = byPhase.get(p.phaseId) ?? {
			phaseId: p.phaseId,
			date: p.date,
			value: 0,
			actions: 0,
			demo: false
		};
		sum.value += p.value;
		sum.actions += p.actions;
		sum.demo ||= p.demo;
		const categories = sumCategories(sum.categories, p.categories);
		if (categories) sum.categories = categories;
		byPhase.set(p.phaseId, sum);
	}
	return [...byPhase.values()].sort((a, b) => a.date.localeCompare(b.date));
}
