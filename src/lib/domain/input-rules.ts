import { z } from 'zod';

/**
 * Rules every input obeys before it reaches a database, so that SQLite and PostgreSQL accept and refuse
 * the same: PostgreSQL cannot store a NUL character in text and keeps integers in 32 bits, where SQLite
 * would silently take either.
 */

export const NUL_MESSAGE = 'bevat een ongeldig teken (NUL)';

export const hasNul = (text: string): boolean => text.includes('\u0000');

/**
 * The path of the first string (or object key) holding a NUL character in a parsed JSON value, or null
 * when there is none. Walks without recursion, each node once and linked to its parent (never copying a
 * path on the way), so a deeply nested body costs linear time and cannot overflow the stack.
 */
export function nulPath(value: unknown): (string | number)[] | null {
	type Node = { value: unknown; key: string | number | null; parent: Node | null };
	const pathOf = (node: Node | null, last?: string): (string | number)[] => {
		const path: (string | number)[] = last === undefined ? [] : [last];
		for (let n = node; n && n.key !== null; n = n.parent) path.push(n.key);
		return path.reverse();
	};
	const stack: Node[] = [{ value, key: null, parent: null }];
	while (stack.length) {
		const node = stack.pop()!;
		const v = node.value;
		if (typeof v === 'string') {
			if (hasNul(v)) return pathOf(node);
		} else if (Array.isArray(v)) {
			for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
		} else if (v !== null && typeof v === 'object') {
			const entries = Object.entries(v);
			for (let i = entries.length - 1; i >= 0; i--) {
				const [key, child] = entries[i];
				if (hasNul(key)) return pathOf(node, key);
				stack.push({ value: child, key, parent: node });
			}
		}
	}
	return null;
}

/** Integer columns are 32-bit signed in PostgreSQL: the range every integer input is checked against. */
export const MAX_INT = 2 ** 31 - 1;
export const MIN_INT = -(2 ** 31);

export const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= MIN_INT && n <= MAX_INT;

/** A whole number that fits an integer column; narrow it further with `.min()` / `.max()`. */
export const int32 = () => z.number().int().min(MIN_INT).max(MAX_INT);
