import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTables } from '../bench/synthetic-data.ts';
import { writeWithKysely } from '../bench/write-synthetic.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';

/**
 * The programme data version (migration 20261204_0050) rises with every change to what progress reads, on
 * the changed programme only, whichever way the change is written: the triggers leave no write path out.
 */
const TABLES = [
	'programmes',
	'regions',
	'organisations',
	'ambitions',
	'outcomes',
	'themes',
	'next_steps',
	'solutions',
	'indicators',
	'measurements',
	'school_years',
	'phases',
	'evaluations',
	'actions'
] as const;

describe.each(DIALECTS)('programme versions on %s', (dialect) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await migratedDb(dialect);
		const size = { programmes: 2, regions: 6, indicators: 10, measurements: 400, actions: 100, schoolYears: 2 };
		await writeWithKysely(db.db, syntheticTables(size));
		// the synthetic data has no organisations: give each programme one
		for (const { id } of await db.db.selectFrom('programmes').select('id').execute())
			await sql`INSERT INTO organisations (programme_id, name, kind) VALUES (${id}, 'School', 'school')`.execute(db.db);
	}, 120_000);
	afterAll(() => db?.drop());

	const versions = async () => {
		const rows = await db.db.selectFrom('programme_versions').select(['programme_id', 'version']).execute();
		return new Map(rows.map((r) => [r.programme_id, Number(r.version)]));
	};

	it('should have a version for every programme, new ones included', async () => {
		const ids = (await db.db.selectFrom('programmes').select('id').execute()).map((p) => p.id);
		expect(ids).toHaveLength(2);
		expect([...(await versions()).keys()].sort()).toEqual(ids.sort());
	});

	it.each(TABLES)('should raise only the changed programme’s version when %s changes', async (table) => {
		const programmes = await db.db.selectFrom('programmes').select('id').orderBy('id').execute();
		const [a, b] = programmes.map((p) => p.id);
		const before = await versions();
		// a no-op update of one row of programme b still counts as a change (what was written is not compared)
		const row = await sql<{
			id: number;
		}>`SELECT min(id) AS id FROM ${sql.table(table)} t WHERE ${programmeOf(table, b)}`.execute(db.db);
		const id = row.rows[0]?.id;
		expect(id, `a ${table} row of programme ${b}`).toBeTruthy();
		await sql`UPDATE ${sql.table(table)} SET id = id WHERE id = ${id}`.execute(db.db);
		const after = await versions();
		expect(after.get(b)!).toBeGreaterThan(before.get(b)!);
		expect(after.get(a)).toBe(before.get(a));
	});

	it('should raise the version on insert and delete, once per statement on PostgreSQL', async () => {
		const indicator = await db.db
			.selectFrom('indicators')
			.select(['id', 'programme_id'])
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const before = (await versions()).get(indicator.programme_id)!;
		const deleted = await db.db.deleteFrom('measurements').where('indicator_id', '=', indicator.id).execute();
		expect(Number(deleted[0].numDeletedRows)).toBeGreaterThan(1);
		const after = (await versions()).get(indicator.programme_id)!;
		if (dialect === 'postgres') expect(after).toBe(before + 1);
		else expect(after).toBe(before + Number(deleted[0].numDeletedRows));
	});

	it('should drop the version with its programme', async () => {
		const id = (await db.db.selectFrom('programmes').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
		await db.db
			.insertInto('programmes')
			.values({ slug: 'nieuw', name: 'Nieuw', start_date: '2026-09-01' } as never)
			.execute();
		const created = await db.db
			.selectFrom('programmes')
			.select('id')
			.where('slug', '=', 'nieuw')
			.executeTakeFirstOrThrow();
		expect((await versions()).has(created.id)).toBe(true);
		await db.db.deleteFrom('programmes').where('id', '=', created.id).execute();
		expect((await versions()).has(created.id)).toBe(false);
		expect((await versions()).has(id)).toBe(true);
	});
});

/** SQL: the row `t` of `table` belongs to programme `id`. */
function programmeOf(table: (typeof TABLES)[number], id: number) {
	switch (table) {
		case 'programmes':
			return sql`t.id = ${id}`;
		case 'next_steps':
			return sql`t.theme_id IN (SELECT id FROM themes WHERE programme_id = ${id})`;
		case 'solutions':
		case 'evaluations':
			return sql`t.next_step_id IN (SELECT n.id FROM next_steps n JOIN themes th ON th.id = n.theme_id WHERE th.programme_id = ${id})`;
		case 'measurements':
			return sql`t.indicator_id IN (SELECT id FROM indicators WHERE programme_id = ${id})`;
		default:
			return sql`t.programme_id = ${id}`;
	}
}
