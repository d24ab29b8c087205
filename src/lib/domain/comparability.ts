import { childrenOf, type RegionNode } from './rollup.ts';

/**
 * Comparability of a baseline (DESIGN.md "Progress, defined once"): a baseline has a scope, the area it
 * was measured for — a region of the programme, `nederland`, or none given (the programme's own starting
 * point, measured as its values are). Progress of a region against a baseline of another scope is "niet
 * vergelijkbaar": shown, labelled, and left out of theme progress, unless the plan marks the indicator
 * `comparable: true`.
 */

/** The scope of a national figure (Gezondheidsmonitor Jeugd, landelijk). */
export const NATIONAL = 'nederland';

export interface ScopedRegion extends RegionNode {
	slug: string;
	name: string;
}

export type Comparability = { comparable: true } | { comparable: false; scope: string; label: string };

/**
 * Do two areas describe the same population? The same region, or a region and one of its ancestors (null =
 * the whole programme) when every region from the ancestor down has a single child: nothing else lies in it.
 */
export function sameArea(regions: readonly RegionNode[], a: number | null, b: number | null): boolean {
	if (a === b) return true;
	const children = childrenOf(regions);
	const parentOf = new Map(regions.map((r) => [r.id, r.parentId]));
	const soleChainDown = (ancestor: number | null, descendant: number): boolean => {
		for (let at: number | null = descendant; at !== ancestor;) {
			if (at === null) return false;
			const parent: number | null = parentOf.get(at) ?? null;
			if ((children.get(parent) ?? []).length !== 1) return false;
			at = parent;
		}
		return true;
	};
	return (b !== null && soleChainDown(a, b)) || (a !== null && soleChainDown(b, a));
}

/** Can `regionId`'s values (null = the whole programme) be set against a baseline measured for `scope`? */
export function comparability(
	indicator: { comparable: boolean; baselineScope: string | null },
	regions: readonly ScopedRegion[],
	regionId: number | null
): Comparability {
	const scope = indicator.baselineScope;
	if (indicator.comparable || scope === null) return { comparable: true };
	if (scope === NATIONAL) return { comparable: false, scope, label: 'landelijke nulmeting — niet vergelijkbaar' };
	const region = regions.find((r) => r.slug === scope);
	if (region && sameArea(regions, region.id, regionId)) return { comparable: true };
	return {
		comparable: false,
		scope,
		label: `nulmeting van ${region?.name ?? scope} — niet vergelijkbaar`
	};
}
