import type { Kysely } from 'kysely';
import { withId } from '../schema-helpers.ts';

/**
 * One-time links to set a password: an invitation (24 h) or a reset asked for on the sign-in page (1 h).
 * Only a SHA-256 hash of the token is stored; `used_at` is set by the one use that wins.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await withId(db, db.schema.createTable('password_tokens'))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('purpose', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();
	await db.schema.createIndex('password_tokens_user').on('password_tokens').column('user_id').execute();
	await db.schema.createIndex('password_tokens_expires_at').on('password_tokens').column('expires_at').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
