import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../schema-helpers.ts';

/**
 * PostgreSQL at scale: the latest two approved values of an (indicator, region) up to a date are one
 * backward walk of this partial covering index, read without visiting the table (an index-only scan;
 * the progress repository's LATERAL query). SQLite keeps its seeks on measurements_latest, already fast
 * in-process, so it gets no second index to maintain.
 */
export async function up(db: Kysely<any>): Promise<void> {
	if (!isPostgres(db)) return;
	await sql`CREATE INDEX measurements_approved_latest ON measurements (indicator_id, region_id, date)
		INCLUDE (value, n, source, demo) WHERE status = 'approved' AND value IS NOT NULL`.execute(db);
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
