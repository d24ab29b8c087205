import type { Aggregation } from './plan.schema.ts';

/**
 * Roll-up of indicator values over time and over the region tree (DESIGN.md "Region roll-up follows the
 * indicator's aggregation rule over child regions").
 *
 * Over time, an indicator is either
 * - per-period: each value covers only its own phase (how many were reached *this* phase). It is an
 *   indicator with aggregation `sum` and frequency `per_phase`, and every indicator derived from the action
 *   log. Its value for a selection is the SUM of its values from the start of the school year up to the end
 *   of the chosen phase, since its target is a school-year total;
 * - cumulative (everything else: percentages, scores, yearly or multi-year counts): each value already
 *   describes the state at its date. Its value for a selection is the LATEST value on or before the end of
 *   the chosen phase.
 *
 * Over regions, a region's own value wins (a figure measured for a whole municipality already includes its
 * neighbourhoods); a region without its own value combines its children's values by the aggregation rule:
 * `sum`; `mean` (unweighted); `weighted_mean` (by n; children without n are left out when any child has n,
 * a plain mean when none has); `latest` (the child value with the most recent date). A region without data
 * anywhere in its subtree has no value (null), never 0.
 */

export interface Observation {
	regionId: number;
	date: string;
	value: number;
	n: number | null;
	source?: string | null;
	demo?: boolean;
}

/** A value after roll-up: n is the total weight behind it, date and source those of its newest part. */
export interface Rolled {
	value: number;
	n: number | null;
	date: string;
	source: string | null;
	/** any invented (demo) value behind it */
	demo: boolean;
}

export interface TimeRule {
	aggregation: Aggregation;
	frequency: string;
	derived?: unknown;
}

export interface Window {
	/** first day counted by per-period indicators (the school year's start); null = from the beginning */
	start: string | null;
	/** last day counted (the end of the chosen phase) */
	end: string;
}

/** Per-period (flow) or cumulative (state): see the module comment. */
export const isPerPeriod = (rule: TimeRule): boolean =>
	(rule.derived !== null && rule.derived !== undefined) ||
	(rule.aggregation === 'sum' && rule.frequency === 'per_phase');

const newest = (items: readonly Rolled[]): Rolled => items.reduce((a, b) => (b.date > a.date ? b : a));
const sumN = (items: readonly { n: number | null }[]): number | null =>
	items.some((i) => i.n !== null) ? items.reduce((s, i) => s + (i.n ?? 0), 0) : null;
const anyDemo = (items: readonly Rolled[]) => items.some((r) => r.demo);
const total = (items: readonly Rolled[]): Rolled => {
	const last = newest(items);
	return {
		value: items.reduce((s, r) => s + r.value, 0),
		n: sumN(items),
		date: last.date,
		source: last.source,
		demo: anyDemo(items)
	};
};

/** One region's value in a window, from its own observations. */
export function rollUpTime(observations: readonly Observation[], perPeriod: boolean, window: Window): Rolled | null {
	const inWindow = observations.filter(
		(o) => o.date <= window.end && (!perPeriod || window.start === null || o.date >= window.start)
	);
	if (inWindow.length === 0) return null;
	const rolled = inWindow.map((o) => ({
		value: o.value,
		n: o.n,
		date: o.date,
		source: o.source ?? null,
		demo: o.demo === true
	}));
	if (!perPeriod) return newest(rolled);
	return total(rolled);
}

/** Sibling values combined by the aggregation rule; null when none has a value. */
export function combine(aggregation: Aggregation, values: readonly Rolled[]): Rolled | null {
	if (values.length === 0) return null;
	const last = newest(values);
	const base = { n: sumN(values), date: last.date, source: last.source, demo: anyDemo(values) };
	const mean = (items: readonly Rolled[]) => items.reduce((s, r) => s + r.value, 0) / items.length;
	switch (aggregation) {
		case 'sum':
			return total(values);
		case 'mean':
			return { ...base, value: mean(values) };
		case 'weighted_mean': {
			const weighted = values.filter((r) => r.n !== null && r.n > 0);
			if (weighted.length === 0) return { ...base, value: mean(values) };
			const w = weighted.reduce((s, r) => s + r.n!, 0);
			return { ...base, value: weighted.reduce((s, r) => s + r.value * r.n!, 0) / w, n: w, demo: anyDemo(weighted) };
		}
		case 'latest':
			return last;
	}
}

export interface RegionNode {
	id: number;
	parentId: number | null;
}

/** Children per parent id (null = the programme's top regions). */
export function childrenOf(regions: readonly RegionNode[]): Map<number | null, number[]> {
	const map = new Map<number | null, number[]>();
	for (const r of regions) map.set(r.parentId, [...(map.get(r.parentId) ?? []), r.id]);
	return map;
}

/** A region and everything below it (null = the whole programme). */
export function subtree(regions: readonly RegionNode[], rootId: number | null): number[] {
	const children = childrenOf(regions);
	const out: number[] = rootId === null ? [] : [rootId];
	const stack = [...(children.get(rootId) ?? [])];
	while (stack.length) {
		const id = stack.pop()!;
		out.push(id);
		stack.push(...(children.get(id) ?? []));
	}
	return out;
}

/**
 * The value of a region (null = the whole programme, the top regions combined): its own value, else its
 * children's values combined by the rule, recursively.
 */
export function rollUpRegion(
	aggregation: Aggregation,
	regions: readonly RegionNode[],
	own: ReadonlyMap<number, Rolled>,
	regionId: number | null
): Rolled | null {
	const children = childrenOf(regions);
	const visit = (id: number | null): Rolled | null => {
		const mine = id === null ? undefined : own.get(id);
		if (mine) return mine;
		const values = (children.get(id) ?? []).map(visit).filter((v): v is Rolled => v !== null);
		return combine(aggregation, values);
	};
	return visit(regionId);
}
