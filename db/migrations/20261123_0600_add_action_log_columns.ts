import type { Kysely } from 'kysely';

/**
 * The action log: deleted actions are kept (marked) so their idempotency key still answers a late
 * resubmission; organisations get a version for concurrent edits by leads.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('actions').addColumn('deleted_at', 'text').execute();
	await db.schema
		.alterTable('organisations')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.execute();
	await db.schema.createIndex('actions_author_date').on('actions').columns(['author_id', 'date']).execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
