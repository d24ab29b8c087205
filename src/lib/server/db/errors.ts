import { thrownCode } from '../thrown.ts';

/**
 * Whether a database error is a unique-key violation, on either dialect: the way a check-then-insert
 * learns that someone else (or a double click) stored the same key first.
 */
export function isUniqueViolation(e: unknown): boolean {
	const code = thrownCode(e);
	// PostgreSQL: unique_violation; better-sqlite3: the extended result codes of a UNIQUE or PRIMARY KEY constraint
	return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
