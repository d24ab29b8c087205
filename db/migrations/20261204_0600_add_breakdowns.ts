import type { Kysely } from 'kysely';

/**
 * Breakdowns (issue 17): a programme's dimensions with their values (`programmes.dimensions`, JSON of
 * `Dimension[]`, breakdown.ts) and the smallest group whose figure may be shown (`min_group_size`, the
 * privacy safeguard of small-groups.ts); the dimensions an indicator is split by (`indicators.dimensions`,
 * JSON list of keys) with baseline and target per category (`category_targets`); and a measurement's values
 * per category (`measurements.categories`, JSON of `CategoryValue[]`). JSON on the row it belongs to, so a
 * measurement and its categories are written, versioned and audited as one (optimistic locking included),
 * and the existing programme-version triggers see every change.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('programmes').addColumn('dimensions', 'text').execute();
	await db.schema
		.alterTable('programmes')
		.addColumn('min_group_size', 'integer', (c) => c.notNull().defaultTo(10))
		.execute();
	await db.schema.alterTable('indicators').addColumn('dimensions', 'text').execute();
	await db.schema.alterTable('indicators').addColumn('category_targets', 'text').execute();
	await db.schema.alterTable('measurements').addColumn('categories', 'text').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
