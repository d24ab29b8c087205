import type { Kysely } from 'kysely';
import { withId } from '../schema-helpers.ts';

/** Failed sign-ins, per account and per address, for the login rate limit. */
export async function up(db: Kysely<any>): Promise<void> {
	await withId(db, db.schema.createTable('login_attempts'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('login_attempts_key_at').on('login_attempts').columns(['key', 'at']).execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
