import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Either the database or an open transaction: repositories work inside both. */
export type Conn = Kysely<Database> | Transaction<Database>;

export const bool = (b: boolean | undefined | null): number => (b ? 1 : 0);
export const nowIso = (): string => new Date().toISOString();
