import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../db/migrations/index.ts';
import type { Db } from './create-db.ts';
import type { Database } from './schema.ts';

/** The names of the migrations this version has that the database has not run (read only; readiness). */
export async function pendingMigrations({ db }: Db): Promise<string[]> {
	return (await migrator(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Applies the pending migrations, once across every process on the database. On PostgreSQL Kysely's
 * Migrator runs them in one transaction under an advisory lock. On SQLite it takes no lock and no
 * transaction (two servers starting on a new file would both create the same tables), so here the whole
 * run holds SQLite's write lock (`BEGIN IMMEDIATE`): the second process waits, then finds nothing to do.
 */
export async function migrateToLatest({ db, dialect }: Db): Promise<MigrationResultSet> {
	const result =
		dialect === 'postgres'
			? await migrator(db).migrateToLatest()
			: await db.connection().execute(async (conn) => {
					await sql`begin immediate`.execute(conn);
					const r = await migrator(conn).migrateToLatest();
					await sql.raw(r.error ? 'rollback' : 'commit').execute(conn);
					return r;
				});
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
	}
	return result;
}

// unordered: migrations written in parallel branches may land in any order; each still runs once
const migrator = (db: Kysely<Database>) =>
	new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
