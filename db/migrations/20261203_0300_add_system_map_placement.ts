import type { Kysely } from 'kysely';

/**
 * The system map ("De som der delen"): where a theme and a next step act — the level (0 maatschappelijke
 * norm … 3 uitingsvormen), the perspectives (jongeren, ouders, professionals: comma-separated in that order,
 * null = none given) and the societal trend. Themes already had `level` and `trend`.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('themes').addColumn('perspectives', 'text').execute();
	await db.schema.alterTable('next_steps').addColumn('level', 'integer').execute();
	await db.schema.alterTable('next_steps').addColumn('perspectives', 'text').execute();
	await db.schema.alterTable('next_steps').addColumn('trend', 'text').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
