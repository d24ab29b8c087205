import type { Kysely } from 'kysely';

/**
 * Validation rules per indicator (issue 16): the allowed range of a value (`rule_min`, `rule_max`) and the
 * largest change against the previous approved value (`rule_max_change`, absolute, in the indicator's unit);
 * null = no rule. A measurement keeps why a reviewer should look twice (`review_flags`, a JSON list of Dutch
 * reasons; null = none), so the reason shown is the one found when the value was entered.
 */
export async function up(db: Kysely<any>): Promise<void> {
	for (const name of ['rule_min', 'rule_max', 'rule_max_change'])
		await db.schema.alterTable('indicators').addColumn(name, 'double precision').execute();
	await db.schema.alterTable('measurements').addColumn('review_flags', 'text').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
