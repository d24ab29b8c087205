import type { CategoryValue } from './breakdown.ts';
import { phaseOf, type PhaseSpan } from './phase-calendar.ts';
import type { Aggregation, Frequency } from './plan.schema.ts';
import { isValidAt, type ValidityRule } from './validity.ts';

/**
 * An indicator's figure for a region and period (DESIGN.md "Progress, defined once"): its values rolled
 * up over time and over the region tree. The one implementation of these rules; dashboard, report, API,
 * indicator page, snapshots and downloads all come through `indicatorFigure`.
 *
 * Over time, an indicator is either
 * - cumulative (percentages, scores, yearly or multi-year counts): a value describes the state at its
 *   date. A region's value for a period is its most recent value on or before the period's end, counted
 *   only while it is valid (validity.ts); an older one is verouderd: kept for display, never counted.
 * - per-period (a `sum` measured `per_phase`, and everything derived from the action log): a value covers
 *   its own phase. The school-year figure adds the phase figures from the school year's first phase up to
 *   the chosen phase; values dated between phases (the summer) count in no phase and are reported apart
 *   ("buiten de fasen").
 *
 * Over regions, most recent information wins: a region's own value is used when it is at least as recent
 * as the newest counting value among its children; otherwise the children's values combine by the
 * aggregation rule — `sum`, `mean`, `weighted_mean` (by n; a child without n is left out and named; a plain
 * mean only when no child has n), `latest`. For per-period indicators the rule applies per phase. Every
 * combined figure carries its coverage. Actions are events, not figures, so a derived indicator adds up
 * everything logged in the region's subtree.
 */

export interface Observation {
	regionId: number;
	date: string;
	value: number;
	n: number | null;
	source?: string | null;
	demo?: boolean;
	/** its values per category (breakdown.ts), when read for a breakdown */
	categories?: readonly CategoryValue[];
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

/**
 * Why a child region's value is not in a combined figure: only a value past its validity, no value at all,
 * no n for a weighted mean, or (aggregation `latest`) a fresh value older than the one used.
 */
export type LeftOutReason = 'verouderd' | 'geen-gegevens' | 'geen-n' | 'ouder';

/** What a combined figure stands for: which child regions it combines, and which it leaves out and why. */
export interface Coverage {
	aggregation: Aggregation;
	/** child regions whose values were combined */
	used: number[];
	leftOut: { regionId: number; reason: LeftOutReason }[];
	/** total n behind the figure, when the values have one */
	n: number | null;
	/** a weighted mean without any n: a plain mean instead */
	unweighted: boolean;
}

/** A phase's part of a per-period figure. */
export interface PhasePart {
	phaseId: number;
	value: number;
	coverage: Coverage | null;
}

/** A counting figure: the region's own value, or its children's combined (with coverage). */
export interface Figure extends Rolled {
	/** the region's own value (coverage null), not a combination of its children */
	own: boolean;
	coverage: Coverage | null;
	/** per-period indicators: the phase figures summed, first phase first */
	phases: PhasePart[] | null;
}

export interface FigureResult {
	/** what counts for the period: fresh, rolled up; null = no recent data ("geen recente gegevens") */
	figure: Figure | null;
	/** when nothing counts: the newest value there is, verouderd at the period's end (shown with its date) */
	stale: Rolled | null;
	/** per-period values of the school year dated between its phases, counted in no phase */
	outsidePhases: Rolled | null;
}

export interface IndicatorRule {
	aggregation: Aggregation;
	frequency: Frequency;
	derived?: unknown;
	validMonths?: number | null;
	targetDate?: string | null;
}

export interface RegionNode {
	id: number;
	parentId: number | null;
}

export interface Window {
	/** first day counted by per-period indicators (the school year's first phase); null = from the beginning */
	start: string | null;
	/** last day counted (the end of the chosen phase or school year) */
	end: string;
}

export interface FigurePeriod {
	window: Window;
	/** the school year's phases from the first up to the chosen one (empty: a programme without phases) */
	phases: readonly PhaseSpan[];
	/** every phase of the programme, for the validity of per-phase values */
	allPhases: readonly PhaseSpan[];
	/** the days of the school year (1 August–31 July) up to the period's end whose values fall in no phase */
	outside: { start: string; end: string } | null;
}

/** Per-period (flow) or cumulative (state): see the module comment. */
export const isPerPeriod = (rule: Pick<IndicatorRule, 'aggregation' | 'frequency' | 'derived'>): boolean =>
	(rule.derived !== null && rule.derived !== undefined) ||
	(rule.aggregation === 'sum' && rule.frequency === 'per_phase');

const validity = (rule: IndicatorRule): ValidityRule => ({
	frequency: rule.frequency,
	validMonths: rule.validMonths ?? null,
	targetDate: rule.targetDate ?? null
});

const newest = <T extends { date: string }>(items: readonly T[]): T =>
	items.reduce((a, b) => (b.date > a.date ? b : a));
const sumN = (items: readonly { n: number | null }[]): number | null =>
	items.some((i) => i.n !== null) ? items.reduce((s, i) => s + (i.n ?? 0), 0) : null;
const toRolled = (o: Observation): Rolled => ({
	value: o.value,
	n: o.n,
	date: o.date,
	source: o.source ?? null,
	demo: o.demo === true
});

/** Several values of one region added up (a phase's values, a school year's phases). */
export function total(items: readonly Rolled[]): Rolled | null {
	if (items.length === 0) return null;
	const last = newest(items);
	return {
		value: items.reduce((s, r) => s + r.value, 0),
		n: sumN(items),
		date: last.date,
		source: last.source,
		demo: items.some((r) => r.demo)
	};
}

/** Sibling values combined by the aggregation rule, with which of them count; null when none has a value. */
export function combine(
	aggregation: Aggregation,
	values: readonly (Rolled & { regionId: number })[]
): { value: Rolled; used: number[]; withoutN: number[]; unweighted: boolean } | null {
	if (values.length === 0) return null;
	const ids = (items: readonly { regionId: number }[]) => items.map((v) => v.regionId);
	const mean = (items: readonly Rolled[]) => items.reduce((s, r) => s + r.value, 0) / items.length;
	const of = (items: readonly Rolled[], value: number): Rolled => {
		const last = newest(items);
		return { value, n: sumN(items), date: last.date, source: last.source, demo: items.some((r) => r.demo) };
	};
	switch (aggregation) {
		case 'sum':
			return { value: total(values)!, used: ids(values), withoutN: [], unweighted: false };
		case 'mean':
			return { value: of(values, mean(values)), used: ids(values), withoutN: [], unweighted: false };
		case 'weighted_mean': {
			const weighted = values.filter((r) => r.n !== null && r.n > 0);
			if (weighted.length === 0)
				return { value: of(values, mean(values)), used: ids(values), withoutN: [], unweighted: true };
			const w = weighted.reduce((s, r) => s + (r.n ?? 0), 0);
			const value = weighted.reduce((s, r) => s + r.value * (r.n ?? 0), 0) / w;
			const withoutN = values.filter((r) => !weighted.includes(r));
			return { value: of(weighted, value), used: ids(weighted), withoutN: ids(withoutN), unweighted: false };
		}
		case 'latest': {
			const last = newest(values);
			return { value: last, used: [last.regionId], withoutN: [], unweighted: false };
		}
	}
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
		const id = stack.pop();
		if (id === undefined) break;
		out.push(id);
		stack.push(...(children.get(id) ?? []));
	}
	return out;
}

interface Visited {
	figure: Figure | null;
	stale: Rolled | null;
}

/**
 * Most recent information wins, over the region tree: `own` holds each region's own value and whether it
 * counts (is fresh). A region's own counting value is used when it is at least as recent as the newest
 * counting value among its children; otherwise the children's counting values combine by the rule.
 */
export function rollUpRegion(
	aggregation: Aggregation,
	regions: readonly RegionNode[],
	own: ReadonlyMap<number, { value: Rolled; counts: boolean }>,
	regionId: number | null
): Visited {
	const children = childrenOf(regions);
	const visit = (id: number | null): Visited => {
		const mine = id === null ? undefined : own.get(id);
		const kids = (children.get(id) ?? []).map((c) => ({ id: c, ...visit(c) }));
		const counting = kids.flatMap((k) => (k.figure ? [{ ...k.figure, regionId: k.id }] : []));
		const newestChild = counting.length ? newest(counting).date : null;
		if (mine?.counts && (newestChild === null || mine.value.date >= newestChild))
			return { figure: { ...mine.value, own: true, coverage: null, phases: null }, stale: null };
		const combined = combine(aggregation, counting);
		if (combined) {
			const leftOut = kids
				.filter((k) => !combined.used.includes(k.id))
				.map((k) => ({
					regionId: k.id,
					reason: (combined.withoutN.includes(k.id)
						? 'geen-n'
						: k.figure
							? 'ouder'
							: k.stale
								? 'verouderd'
								: 'geen-gegevens') as LeftOutReason
				}));
			const coverage: Coverage = {
				aggregation,
				used: combined.used,
				leftOut,
				n: combined.value.n,
				unweighted: combined.unweighted
			};
			return { figure: { ...combined.value, own: false, coverage, phases: null }, stale: null };
		}
		const stales = [...(mine && !mine.counts ? [mine.value] : []), ...kids.flatMap((k) => (k.stale ? [k.stale] : []))];
		return { figure: null, stale: stales.length ? newest(stales) : null };
	};
	return visit(regionId);
}

/** Observations per region. */
function byRegion(observations: readonly Observation[]): Map<number, Observation[]> {
	const map = new Map<number, Observation[]>();
	for (const o of observations) map.set(o.regionId, [...(map.get(o.regionId) ?? []), o]);
	return map;
}

/** A cumulative indicator: each region's most recent value up to the end, counting while valid. */
function cumulativeFigure(
	rule: IndicatorRule,
	regions: readonly RegionNode[],
	observations: readonly Observation[],
	regionId: number | null,
	period: FigurePeriod
): FigureResult {
	const own = new Map<number, { value: Rolled; counts: boolean }>();
	for (const [id, obs] of byRegion(observations)) {
		const upToEnd = obs.filter((o) => o.date <= period.window.end);
		if (upToEnd.length === 0) continue;
		const last = toRolled(newest(upToEnd));
		own.set(id, { value: last, counts: isValidAt(last.date, period.window.end, validity(rule), period.allPhases) });
	}
	return { ...rollUpRegion(rule.aggregation, regions, own, regionId), outsidePhases: null };
}

/** A per-period indicator: per phase the region rule, the school year's phases added up. */
function perPeriodFigure(
	rule: IndicatorRule,
	regions: readonly RegionNode[],
	observations: readonly Observation[],
	regionId: number | null,
	period: FigurePeriod
): FigureResult {
	const derived = rule.derived !== null && rule.derived !== undefined;
	const tree = derived ? new Set(subtree(regions, regionId)) : null;
	const mine = tree ? observations.filter((o) => tree.has(o.regionId)) : observations;
	const { start, end } = period.window;
	const counted = mine.filter((o) => o.date <= end && (start === null || o.date >= start));
	// a programme without phases has one period: everything up to the end
	const phases: readonly PhaseSpan[] = period.phases.length
		? period.phases
		: [{ id: 0, start: period.window.start ?? '0000-01-01', end: period.window.end }];
	/** values of one phase (or of the days between phases) as one figure: the region rule, or events added up */
	const figureOf = (values: readonly Observation[]): Figure | null => {
		if (values.length === 0) return null;
		if (derived) {
			const sum = total(values.map(toRolled));
			return sum && { ...sum, n: null, own: false, coverage: null, phases: null };
		}
		const own = new Map<number, { value: Rolled; counts: boolean }>();
		for (const [id, obs] of byRegion(values)) {
			const sum = total(obs.map(toRolled));
			if (sum) own.set(id, { value: sum, counts: true });
		}
		return rollUpRegion(rule.aggregation, regions, own, regionId).figure;
	};
	const parts = phases.flatMap((phase) => {
		const figure = figureOf(counted.filter((o) => phaseOf(o.date, [phase]) !== null));
		return figure ? [{ phaseId: phase.id, figure }] : [];
	});
	// the days between phases are one more "phase" under the same rule, counted in none
	const outside = period.outside;
	const between = outside
		? mine.filter((o) => o.date >= outside.start && o.date <= outside.end && phaseOf(o.date, period.allPhases) === null)
		: [];
	const summer = figureOf(between);
	const outsidePhases: Rolled | null = summer && {
		value: summer.value,
		n: summer.n,
		date: summer.date,
		source: summer.source,
		demo: summer.demo
	};
	const sum = total(parts.map((p) => p.figure));
	if (!sum) return { figure: null, stale: null, outsidePhases };
	const figure: Figure = {
		...sum,
		n: derived ? null : sum.n,
		own: parts.every((p) => p.figure.own),
		coverage: mergeCoverage(parts.map((p) => p.figure.coverage)),
		phases: parts.map((p) => ({ phaseId: p.phaseId, value: p.figure.value, coverage: p.figure.coverage }))
	};
	return { figure, stale: null, outsidePhases };
}

/** The coverage of a school-year total: children used in any phase; the rest left out, with their last reason. */
function mergeCoverage(parts: readonly (Coverage | null)[]): Coverage | null {
	const present = parts.filter((c): c is Coverage => c !== null);
	if (present.length === 0) return null;
	const used = [...new Set(present.flatMap((c) => c.used))];
	const leftOut = new Map<number, LeftOutReason>();
	for (const c of present) for (const l of c.leftOut) if (!used.includes(l.regionId)) leftOut.set(l.regionId, l.reason);
	return {
		aggregation: present[0].aggregation,
		used,
		leftOut: [...leftOut].map(([regionId, reason]) => ({ regionId, reason })),
		n: sumN(present),
		unweighted: present.some((c) => c.unweighted)
	};
}

/**
 * The figure of one indicator for a region (null = the whole programme) and period, from its values
 * per region — raw values, or per region only those that can matter (the latest up to the period's end
 * for a cumulative indicator, per-day sums of the school year for a per-period one): the result is the same.
 */
export function indicatorFigure(
	rule: IndicatorRule,
	regions: readonly RegionNode[],
	observations: readonly Observation[],
	regionId: number | null,
	period: FigurePeriod
): FigureResult {
	return isPerPeriod(rule)
		? perPeriodFigure(rule, regions, observations, regionId, period)
		: cumulativeFigure(rule, regions, observations, regionId, period);
}
