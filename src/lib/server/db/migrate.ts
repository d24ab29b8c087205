import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../db/migrations/index.ts';
import type { Db } from './create-db.ts';

// unordered: migrations written in parallel branches may land in any order; each still runs once
const migratorOf = (db: Db['db']) =>
	new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });

/** The names of the migrations this version has that the database has not run (read only; readiness). */
export async function pendingMigrations({ db }: Db): Promise<string[]> {
	return (await migratorOf(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export async function migrateToLatest({ db }: Db): Promise<MigrationResultSet> {
	const migrator = migratorOf(db);
	const result = await migrator.migrateToLatest();
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
	}
	return result;
}
