import type { CategoryTarget, Dimension, DimensionValue } from './breakdown.ts';
import { categoryKey } from './category-view.ts';
import type { Unit } from './plan.schema.ts';
import { refuse, type Issue, type Result } from './result.ts';
import { groupSize, SUPPRESSION_TEXT, type Suppression } from './small-groups.ts';

/**
 * Progress for one category (`?geslacht=meisje`): which category a URL asks for, how an indicator's plan
 * reads for it (its category's baseline and target, never the total's) and whether a rolled-up figure of it
 * may be shown (small-groups.ts, the one threshold). The figures themselves come from the same roll-up and
 * progress rules as the total (breakdown.ts `throughCategory`, programme-progress.ts).
 */

/** One category chosen across a programme: the dimension and its value, as the plan names them. */
export interface ChosenCategory {
	dimension: Dimension;
	value: DimensionValue;
	/** `geslacht:meisje` */
	key: string;
}

/** The filter as it goes back into a URL: `{ geslacht: 'meisje' }`. */
export const categoryParam = (c: ChosenCategory | null): Record<string, string> =>
	c ? { [c.dimension.key]: c.value.key } : {};

/** What a page heading and a file say, so a printed report is never mistaken for the total. */
export const categoryHeading = (c: ChosenCategory) =>
	`Alleen ${c.value.name.toLowerCase()} (${c.dimension.name.toLowerCase()})`;

/** The figure note of a view under a category: what its figures are, and what is left out. */
export function categoryNote(c: ChosenCategory & { minGroupSize: number }): string {
	const dimension = c.dimension.name.toLowerCase();
	return `Alle cijfers zijn die van ${c.value.name.toLowerCase()} (${dimension}): afgerold met dezelfde regels als de totalen, tegen de nulmeting en streefwaarde van die categorie. Indicatoren die niet naar ${dimension} zijn uitgesplitst tonen geen cijfer en tellen niet mee in de voortgang per thema. Een cijfer van minder dan ${c.minGroupSize} respondenten wordt niet getoond (${SUPPRESSION_TEXT.small}). Acties en bereik uit het actielog blijven totalen.`;
}

/** A refusal of the filter: 400 `invalid_filter` with an issue on the parameter that names it. */
const refuseFilter = (issues: Issue[]) =>
	refuse({ code: 'invalid_filter', status: 400, message: issues[0].message, issues });

/**
 * The category a query asks for: at most one `<dimension>=<category>` among the parameters that are not
 * the page's own (`reserved`). An unknown dimension or value, or two at once, is refused in Dutch; an
 * archived value is allowed (its history stays readable). No filter: null.
 */
export function chooseCategory(
	params: Iterable<[string, string]>,
	dimensions: readonly Dimension[],
	reserved: readonly string[]
): Result<ChosenCategory | null> {
	const asked = [...params].filter(([k, v]) => !reserved.includes(k) && v !== '');
	if (asked.length === 0) return { ok: true, value: null };
	const issues: Issue[] = [];
	const chosen: ChosenCategory[] = [];
	for (const [k, v] of asked) {
		const dimension = dimensions.find((d) => d.key === k);
		const value = dimension?.values.find((x) => x.key === v);
		if (!dimension)
			issues.push({
				path: k,
				message: dimensions.length
					? `Onbekende uitsplitsing ${k}: kies uit ${dimensions.map((d) => d.key).join(', ')}.`
					: `Onbekende uitsplitsing ${k}: dit programma heeft geen dimensies.`
			});
		else if (!value)
			issues.push({
				path: k,
				message: `Onbekende categorie ${v} van ${dimension.name.toLowerCase()}: kies uit ${dimension.values.map((x) => x.key).join(', ')}.`
			});
		else chosen.push({ dimension, value, key: categoryKey({ dimension: dimension.key, category: value.key }) });
	}
	if (issues.length) return refuseFilter(issues);
	if (chosen.length > 1) return refuseFilter([{ path: asked[1][0], message: 'Kies één uitsplitsing tegelijk.' }]);
	return { ok: true, value: chosen[0] };
}

/** The plan of an indicator as one category sees it: its category's baseline and target, else none. */
export function categoryPlan<
	T extends {
		baseline: {
			value: number;
			date: string | null;
			source: string | null;
			demo: boolean;
			region: string | null;
		} | null;
		target: { value: number; date: string | null; demo: boolean } | null;
		targets?: readonly { date: string; value: number }[];
	}
>(indicator: T, targets: readonly CategoryTarget[], key: string): T {
	const own = targets.find((t) => categoryKey(t) === key);
	return {
		...indicator,
		baseline: own?.baseline
			? {
					value: own.baseline.value,
					date: own.baseline.date,
					source: own.baseline.source,
					demo: own.baseline.demo ?? false,
					region: null
				}
			: null,
		target: own?.target ? { value: own.target.value, date: own.target.date, demo: own.target.demo ?? false } : null,
		// period targets are the total's path: a category has none of its own
		targets: []
	};
}

/**
 * Whether a rolled-up figure of a category may be shown: null, or why not. Its group is its n (a count
 * without n: its value); smaller than the programme's minimum, or unknown, and it is not shown.
 */
export function figureSuppression(
	unit: Unit,
	figure: { value: number; n: number | null } | null,
	minGroupSize: number
): Suppression | null {
	if (figure === null) return null;
	const size = groupSize(unit, figure);
	return size === null || size < minGroupSize ? 'small' : null;
}
