import type { Kysely } from 'kysely';

/**
 * Measurement review: when a lead approved or returned a measurement, and an index for the review
 * queue (submitted measurements) and for exports by indicator and date.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('measurements').addColumn('reviewed_at', 'text').execute();
	await db.schema.createIndex('measurements_status').on('measurements').columns(['status', 'indicator_id']).execute();
	await db.schema
		.createIndex('measurements_indicator_date')
		.on('measurements')
		.columns(['indicator_id', 'date'])
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
