import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Either the database or an open transaction: repositories work inside both. */
export type Conn = Kysely<Database> | Transaction<Database>;

export const bool = (b: boolean | undefined | null): number => (b ? 1 : 0);
export const nowIso = (): string => new Date().toISOString();

/**
 * Runs `fn` in a transaction of its own, or inside the one the caller already has open: Kysely's
 * transactions do not nest, and a service called from a larger unit of work (the first start) must join it.
 */
export const transact = <T>(db: Conn, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> =>
	db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
