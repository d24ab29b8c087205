import { dutchCount } from './dutch-format.ts';
import type { Aggregation } from './plan.schema.ts';
import type { Figure, LeftOutReason } from './rollup.ts';

/**
 * What a figure covers, in words (B1), the one wording for pages and downloads: "gewogen gemiddelde van
 * 3 van 4 scholen, n = 412; niet meegeteld: Limus College (geen recente meting)".
 */

export interface CoverageRegion {
	id: number;
	name: string;
	/** the plan's kind of region (school, wijk, …): the children are named by it when they share one */
	kind: string;
}

const HOW: Record<Aggregation, string> = {
	sum: 'som',
	mean: 'gemiddelde',
	weighted_mean: 'gewogen gemiddelde',
	latest: 'laatste waarde'
};

export const LEFT_OUT_LABEL: Record<LeftOutReason, string> = {
	verouderd: 'geen recente meting',
	'geen-gegevens': 'geen gegevens',
	'geen-n': 'geen n',
	ouder: 'oudere meting'
};

const PLURAL: Readonly<Record<string, string>> = {
	school: 'scholen',
	wijk: 'wijken',
	gemeente: 'gemeenten',
	club: 'clubs',
	buurt: 'buurten',
	regio: "regio's"
};

/** "scholen" when every child is a school; else "deelregio's". */
function childrenNoun(ids: readonly number[], regions: readonly CoverageRegion[]): string {
	const kinds = new Set(ids.map((id) => regions.find((r) => r.id === id)?.kind ?? ''));
	const [kind] = kinds;
	return kinds.size === 1 && PLURAL[kind] ? PLURAL[kind] : "deelregio's";
}

/**
 * A figure's coverage in words: its own measurement, a sum of the action log, or which of the child regions
 * it combines by which rule, its total n, and which children were left out and why. Null without a figure.
 */
export function coverageText(
	figure: Pick<Figure, 'own' | 'coverage' | 'n'> | null,
	regions: readonly CoverageRegion[]
): string | null {
	if (figure === null) return null;
	if (figure.own) return 'eigen meting van de regio';
	const c = figure.coverage;
	if (c === null) return 'opgeteld uit het actielog';
	const all = [...c.used, ...c.leftOut.map((l) => l.regionId)];
	const how = c.unweighted ? 'gemiddelde (geen n bekend)' : HOW[c.aggregation];
	const n = c.n === null ? '' : `, n = ${dutchCount(c.n)}`;
	const name = (id: number) => regions.find((r) => r.id === id)?.name ?? `regio ${id}`;
	const leftOut = c.leftOut.length
		? `; niet meegeteld: ${c.leftOut.map((l) => `${name(l.regionId)} (${LEFT_OUT_LABEL[l.reason]})`).join(', ')}`
		: '';
	return `${how} van ${c.used.length} van ${all.length} ${childrenNoun(all, regions)}${n}${leftOut}`;
}
