import type { Kysely } from 'kysely';

/**
 * Progress at national scale: the latest approved value of each (indicator, region) up to a date is one
 * index seek (the dashboard asks it for every pair of a programme).
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createIndex('measurements_latest')
		.on('measurements')
		.columns(['indicator_id', 'region_id', 'status', 'date'])
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
