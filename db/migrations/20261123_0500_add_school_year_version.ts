import type { Kysely } from 'kysely';

/** School years are edited as a whole (their phases' names and dates): a version for optimistic locking. */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('school_years')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('phases_school_year').on('phases').columns(['school_year_id', 'start_date']).execute();
	await db.schema
		.createIndex('evaluation_follow_ups_evaluation')
		.on('evaluation_follow_ups')
		.columns(['evaluation_id'])
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
