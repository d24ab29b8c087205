import type { Kysely } from 'kysely';

/**
 * A change made with an API token has no user: the audit log names the token instead, so every entry
 * says who made it. Tokens are revoked, never deleted, so the name stays readable.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('audit_log')
		.addColumn('api_token_id', 'integer', (c) => c.references('api_tokens.id'))
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
