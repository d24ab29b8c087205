import type { Kysely } from 'kysely';

/**
 * The audit log is read newest first (by id), a page at a time, filtered by programme, author or object:
 * each filter gets an index that ends in the id, so a page is one index walk instead of a sort of every
 * matching entry. The same plain indexes on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
	const index = (name: string, cols: string[]) => db.schema.createIndex(name).on('audit_log').columns(cols).execute();
	await index('audit_programme_id', ['programme_id', 'id']);
	await index('audit_user_id', ['user_id', 'id']);
	await index('audit_entity_id', ['entity', 'entity_id', 'id']);
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
