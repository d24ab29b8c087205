import type { CategoryValue } from './breakdown.ts';

/** The parts of breakdown.ts that browser code uses: no zod here. */

/** The key of a category across a programme: `geslacht:meisje`. */
export const categoryKey = (c: { dimension: string; category: string }) => `${c.dimension}:${c.category}`;

/**
 * Observations seen through one category (`geslacht:meisje`): each with the category's value and n in
 * place of the total's, those without the category left out. Roll-up, freshness, coverage and progress
 * then follow the same rules for a category as for the total (DESIGN.md "Progress, defined once").
 */
export function throughCategory<T extends { value: number; n: number | null; categories?: readonly CategoryValue[] }>(
	observations: readonly T[],
	key: string
): T[] {
	const seen: T[] = [];
	for (const o of observations) {
		const c = o.categories?.find((x) => categoryKey(x) === key);
		if (c) seen.push({ ...o, value: c.value, n: c.n ?? null });
	}
	return seen;
}
