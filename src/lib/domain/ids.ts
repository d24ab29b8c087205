import { z } from 'zod';
import { MAX_INT } from './input-rules.ts';

/**
 * Row ids and versions are 32-bit integers in PostgreSQL: a larger number names nothing, and must be
 * refused as input before it reaches a query (where PostgreSQL would fail on it).
 */
export const MAX_ID = MAX_INT;

export const isId = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= MAX_ID;

/** An id or version in JSON. */
export const idNumber = () => z.number().int().positive().max(MAX_ID);

/** An id or version in a URL or form field. */
export const idField = () => z.coerce.number().int().positive().max(MAX_ID);

/** A path segment as an id ("12"), or null when it is not one. */
export function idFromPath(segment: string | undefined): number | null {
	const n = Number(segment);
	return isId(n) && String(n) === segment ? n : null;
}
