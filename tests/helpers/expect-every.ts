import { expect } from 'vitest';

/**
 * Every item of a non-empty list satisfies the predicate. A bare `.every()` is true for an empty list,
 * so a filter that returns nothing would pass; this fails then, and names the items that do not match.
 */
export function expectEvery<T>(items: readonly T[], predicate: (item: T) => boolean, what = 'the list'): void {
	expect(items.length, `${what} is empty`).toBeGreaterThan(0);
	expect(
		items.filter((item) => !predicate(item)),
		`items of ${what} that do not match`
	).toEqual([]);
}
