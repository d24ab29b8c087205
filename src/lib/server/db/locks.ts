import { sql, type Kysely } from 'kysely';
import { dialectOfDb } from './create-db.ts';
import type { Database } from './schema.ts';
import type { Conn } from './types.ts';

/**
 * Runs `fn` in a transaction that holds an exclusive lock on each of `keys` until it commits, across
 * every server process on the same database: the way a count-then-insert stays atomic.
 *
 * - PostgreSQL: a transaction-level advisory lock per key (`pg_advisory_xact_lock`), taken in sorted order
 *   so two callers with overlapping keys cannot deadlock; callers with other keys do not wait.
 * - SQLite: `BEGIN IMMEDIATE`, which takes the database's write lock up front (Kysely's own transactions
 *   begin deferred, and a deferred read that later writes can be overtaken by another process). Other
 *   processes wait for it through `busy_timeout`; within one process Kysely's single connection already
 *   runs one transaction at a time. The lock covers the whole file, so keep `fn` short (no hashing in it).
 */
export async function withKeyLocks<T>(db: Kysely<Database>, keys: string[], fn: (tx: Conn) => Promise<T>): Promise<T> {
	if (dialectOfDb(db) === 'postgres') {
		return db.transaction().execute(async (tx) => {
			for (const key of [...new Set(keys)].sort())
				await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
			return fn(tx);
		});
	}
	return db.connection().execute(async (conn) => {
		await sql`begin immediate`.execute(conn);
		try {
			const result = await fn(conn);
			await sql`commit`.execute(conn);
			return result;
		} catch (e) {
			await sql`rollback`.execute(conn).catch(() => undefined);
			throw e;
		}
	});
}
