import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOfDb } from './create-db.ts';
import type { Database } from './schema.ts';

/**
 * Runs `fn` in a transaction that holds an exclusive lock on each of `keys` until it commits, across
 * every server process on the same database: the way a count-then-insert stays atomic.
 *
 * - PostgreSQL: a transaction-level advisory lock per key (`pg_advisory_xact_lock`), taken in sorted order
 *   so two callers with overlapping keys cannot deadlock; callers with other keys do not wait.
 * - SQLite: `BEGIN IMMEDIATE`, which takes the database's write lock up front (createDb's dialect begins
 *   every transaction so; a deferred read that later writes can be overtaken by another process). Other
 *   processes wait for it through `busy_timeout`; within one process Kysely's single connection already
 *   runs one transaction at a time. `fn` gets a real transaction, so the services it calls join it
 *   (`transact`). The lock covers the whole file, so keep `fn` short (no hashing in it).
 */
export async function withKeyLocks<T>(
	db: Kysely<Database>,
	keys: string[],
	fn: (tx: Transaction<Database>) => Promise<T>
): Promise<T> {
	if (dialectOfDb(db) === 'postgres') {
		return db.transaction().execute(async (tx) => {
			for (const key of [...new Set(keys)].sort())
				await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
			return fn(tx);
		});
	}
	// createDb's SQLite dialect begins every transaction with BEGIN IMMEDIATE
	return db.transaction().execute(fn);
}
