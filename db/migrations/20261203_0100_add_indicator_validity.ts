import type { Kysely } from 'kysely';

/**
 * Figures a funder can trust (DESIGN.md "Progress, defined once"): how long a value stays valid when the
 * plan says so (`validMonths`), the area a baseline was measured for (a region slug or `nederland`; null =
 * the programme's own starting point), whether values of every region compare with the baseline
 * (`comparable`), and the indicators a funder sees first (`key`).
 */
export async function up(db: Kysely<any>): Promise<void> {
	for (const [name, type] of [
		['valid_months', 'integer'],
		['baseline_region', 'text'],
		['comparable', 'integer'],
		['key_indicator', 'integer']
	] as const) {
		await db.schema
			.alterTable('indicators')
			.addColumn(name, type, (c) => (type === 'integer' && name !== 'valid_months' ? c.notNull().defaultTo(0) : c))
			.execute();
	}
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
