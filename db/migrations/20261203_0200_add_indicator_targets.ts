import type { Kysely } from 'kysely';

/**
 * Period targets (issue 14): the targets a plan gives per school year between the baseline and the final
 * target, as JSON text (`[{"date":"2025-07-31","value":30,"demo":true}]`, sorted by date; null = none).
 * A text column rather than a table: both dialects store it alike, and the progress query that reads the
 * indicators reads them with no extra round trip.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('indicators').addColumn('targets', 'text').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
