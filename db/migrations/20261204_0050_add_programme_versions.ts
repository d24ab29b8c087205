import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../schema-helpers.ts';

/**
 * A version per programme that rises with every change to what its progress is computed from: the plan
 * (nodes, indicators, regions, organisations), the calendar (school years, phases), evaluations,
 * measurements and actions. Kept by triggers, so no write path — form, API, import, plan load, restore,
 * a helper added later — can forget it, on any server. A cached result computed after reading version V
 * is valid for as long as the version is still V (the overview's per-programme cache).
 *
 * SQLite fires a row trigger per changed row (one writer at a time, so no contention); PostgreSQL a
 * statement trigger per statement over its transition table, so an import of 10,000 rows bumps once.
 */
const TABLES: Record<string, (row: string) => string> = {
	programmes: (r) => `${r}.id`,
	regions: (r) => `${r}.programme_id`,
	organisations: (r) => `${r}.programme_id`,
	ambitions: (r) => `${r}.programme_id`,
	outcomes: (r) => `${r}.programme_id`,
	themes: (r) => `${r}.programme_id`,
	next_steps: (r) => `(SELECT programme_id FROM themes WHERE id = ${r}.theme_id)`,
	solutions: (r) =>
		`(SELECT t.programme_id FROM next_steps n JOIN themes t ON t.id = n.theme_id WHERE n.id = ${r}.next_step_id)`,
	indicators: (r) => `${r}.programme_id`,
	measurements: (r) => `(SELECT programme_id FROM indicators WHERE id = ${r}.indicator_id)`,
	school_years: (r) => `${r}.programme_id`,
	phases: (r) => `${r}.programme_id`,
	evaluations: (r) =>
		`(SELECT t.programme_id FROM next_steps n JOIN themes t ON t.id = n.theme_id WHERE n.id = ${r}.next_step_id)`,
	actions: (r) => `${r}.programme_id`
};

const EVENTS = [
	{ name: 'insert', row: 'NEW', transition: 'NEW' },
	{ name: 'update', row: 'NEW', transition: 'NEW' },
	{ name: 'delete', row: 'OLD', transition: 'OLD' }
] as const;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('programme_versions')
		.addColumn('programme_id', 'integer', (c) => c.primaryKey().references('programmes.id').onDelete('cascade'))
		.addColumn('version', 'bigint', (c) => c.notNull().defaultTo(1))
		.execute();
	await sql`INSERT INTO programme_versions (programme_id) SELECT id FROM programmes`.execute(db);
	if (isPostgres(db)) await postgresTriggers(db);
	else await sqliteTriggers(db);
}

async function sqliteTriggers(db: Kysely<any>) {
	await sql`CREATE TRIGGER programme_versions_new AFTER INSERT ON programmes BEGIN
		INSERT INTO programme_versions (programme_id) VALUES (NEW.id); END`.execute(db);
	for (const [table, programmeOf] of Object.entries(TABLES))
		for (const event of EVENTS) {
			if (table === 'programmes' && event.name !== 'update') continue;
			await sql
				.raw(
					`CREATE TRIGGER ${table}_version_${event.name} AFTER ${event.name.toUpperCase()} ON ${table} BEGIN
					UPDATE programme_versions SET version = version + 1 WHERE programme_id = ${programmeOf(event.row)}; END`
				)
				.execute(db);
		}
}

async function postgresTriggers(db: Kysely<any>) {
	await sql`CREATE FUNCTION programme_versions_new() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO programme_versions (programme_id) SELECT id FROM changed; RETURN NULL; END $$`.execute(db);
	await sql`CREATE TRIGGER programme_versions_new AFTER INSERT ON programmes
		REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION programme_versions_new()`.execute(db);
	for (const [table, programmeOf] of Object.entries(TABLES)) {
		// ORDER BY: transactions touching the same programmes lock their version rows in one order
		await sql
			.raw(
				`CREATE FUNCTION ${table}_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				PERFORM 1 FROM programme_versions WHERE programme_id IN (SELECT ${programmeOf('c')} FROM changed c)
					ORDER BY programme_id FOR UPDATE;
				UPDATE programme_versions SET version = version + 1
					WHERE programme_id IN (SELECT ${programmeOf('c')} FROM changed c);
				RETURN NULL; END $$`
			)
			.execute(db);
		for (const event of EVENTS) {
			if (table === 'programmes' && event.name !== 'update') continue;
			await sql
				.raw(
					`CREATE TRIGGER ${table}_version_${event.name} AFTER ${event.name.toUpperCase()} ON ${table}
					REFERENCING ${event.transition} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ${table}_version()`
				)
				.execute(db);
		}
	}
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
