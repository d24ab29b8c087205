import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/lib/server/db/schema.ts';
import type { TableRows } from './synthetic-data.ts';

/** Writes synthetic rows into an empty, migrated database, and checks that ids came out as implied. */

/** Any dialect, through Kysely: batched multi-row inserts in one transaction. */
export async function writeWithKysely(db: Kysely<Database>, tables: readonly TableRows[]): Promise<void> {
	await db.transaction().execute(async (tx) => {
		for (const { table, rows } of tables) {
			if (rows.length === 0) continue;
			// stay well below PostgreSQL's 65,535 parameters per statement
			const batch = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]).length));
			for (let i = 0; i < rows.length; i += batch)
				await tx
					.insertInto(table as 'regions')
					.values(rows.slice(i, i + batch) as never)
					.execute();
		}
	});
	await checkIds(
		(table) =>
			db
				.selectFrom(table as 'regions')
				.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('max')])
				.executeTakeFirstOrThrow(),
		tables
	);
}

/** SQLite, fast: one prepared statement per table inside one transaction. */
export function writeSqliteFile(file: string, tables: readonly TableRows[]): void {
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = OFF');
	sqlite.transaction(() => {
		for (const { table, rows } of tables) {
			if (rows.length === 0) continue;
			const cols = Object.keys(rows[0]);
			const insert = sqlite.prepare(
				`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`
			);
			for (const row of rows) insert.run(row);
		}
	})();
	sqlite.exec('ANALYZE');
	for (const { table, rows } of tables) {
		const r = sqlite.prepare(`SELECT count(*) AS n, max(id) AS max FROM ${table}`).get() as { n: number; max: number };
		if (Number(r.n) !== rows.length || Number(r.max) !== rows.length)
			throw new Error(`${table}: expected ids 1..${rows.length}, got ${r.n} rows up to ${r.max}`);
	}
	sqlite.close();
}

/**
 * PostgreSQL, fast: per table multi-row `INSERT … SELECT FROM json_populate_recordset` in chunks (the rows
 * typed by the table's own row type, so no column list of types here), in one transaction without waiting
 * for the WAL flush; then VACUUM (ANALYZE).
 */
export async function writePostgres(url: string, tables: readonly TableRows[]): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query('BEGIN');
		await client.query('SET LOCAL synchronous_commit = off');
		for (const { table, rows } of tables) {
			if (rows.length === 0) continue;
			const cols = Object.keys(rows[0]).join(', ');
			for (let i = 0; i < rows.length; i += 20_000)
				await client.query(
					`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $1::json)`,
					[JSON.stringify(rows.slice(i, i + 20_000))]
				);
		}
		await client.query('COMMIT');
		// as autovacuum would after a while: statistics for the planner, and the visibility map that lets
		// the figures read the covering index alone (index-only scans)
		await client.query('VACUUM (ANALYZE)');
		await checkIds(
			async (table) => (await client.query(`SELECT count(*) AS n, max(id) AS max FROM ${table}`)).rows[0],
			tables
		);
	} finally {
		await client.end();
	}
}

async function checkIds(stats: (table: string) => Promise<{ n: number; max: unknown }>, tables: readonly TableRows[]) {
	for (const { table, rows } of tables) {
		const r = await stats(table);
		if (Number(r.n) !== rows.length || (rows.length && Number(r.max) !== rows.length))
			throw new Error(
				`${table}: expected ids 1..${rows.length}, got ${r.n} rows up to ${r.max} (was the database empty?)`
			);
	}
}
