import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../../db/migrations/index.ts';
import type { Db } from './create-db.ts';

export async function migrateToLatest({ db }: Db): Promise<MigrationResultSet> {
	// unordered: migrations written in parallel branches may land in any order; each still runs once
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations },
		allowUnorderedMigrations: true
	});
	const result = await migrator.migrateToLatest();
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
		throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
	}
	return result;
}
