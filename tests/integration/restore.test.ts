import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { backupDatabase } from '../../src/lib/server/db/backup.ts';
import type { Db } from '../../src/lib/server/db/create-db.ts';
import { RestoreRefused, restoreDatabase } from '../../src/lib/server/db/restore.ts';
import { createUser } from '../../src/lib/server/services/user.service.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans } from '../helpers/plans.ts';

/** Every row of every table, in a fixed order: "the data are equal" means these are equal. */
async function everyRow(db: Db): Promise<Record<string, unknown[]>> {
	const out: Record<string, unknown[]> = {};
	const tables = (await db.db.introspection.getTables()).map((t) => t.name).sort();
	for (const table of tables)
		out[table] = (await sql`SELECT * FROM ${sql.table(table)}`.execute(db.db)).rows
			.map((row) => JSON.stringify(row))
			.sort();
	return out;
}

const addUser = async (db: Db, email: string) => {
	const made = await createUser(
		{ db: db.db, actor: null },
		{ email, name: 'Herstel Test', password: 'een lang wachtwoord', isAdmin: false }
	);
	expect(made.ok).toBe(true);
};

const restoreCli = (url: string, ...args: string[]) =>
	spawnSync('npm', ['run', '--silent', 'db:restore', '--', ...args], {
		env: { ...process.env, DATABASE_URL: url },
		encoding: 'utf8'
	});

describe.each(DIALECTS)('restore on %s', (dialect) => {
	const dbs: TestDb[] = [];
	const file = join(TMP, `restore-${process.pid}-${dialect}.${dialect === 'sqlite' ? 'db' : 'dump'}`);
	afterEach(async () => {
		for (const db of dbs.splice(0)) await db.drop();
		rmSync(file, { force: true });
	});
	const fresh = async () => {
		const db = await migratedDb(dialect);
		dbs.push(db);
		return db;
	};

	it('should undo every change made after the backup and give back equal data', async () => {
		const db = await fresh();
		await loadBothPlans(db, { demo: true, demoAsOf: '2026-11-30' });
		await addUser(db, 'voor@herstel.test');
		const before = await everyRow(db);
		expect(before.programmes).toHaveLength(2);
		await backupDatabase(db.url, file);

		await addUser(db, 'na@herstel.test');
		await db.db.deleteFrom('measurements').execute();
		expect(await everyRow(db)).not.toEqual(before);

		await restoreDatabase(db.url, file, { force: true });
		expect(await everyRow(db)).toEqual(before);
	});

	it('should refuse a database that holds data without --force, and change nothing', async () => {
		const source = await fresh();
		await loadBothPlans(source);
		await backupDatabase(source.url, file);
		const target = await fresh();
		await addUser(target, 'bestaat@herstel.test');
		const before = await everyRow(target);

		await expect(restoreDatabase(target.url, file)).rejects.toThrow(RestoreRefused);
		const run = restoreCli(target.url, file);
		expect(run.status, run.stdout + run.stderr).toBe(1);
		expect(run.stderr).toContain("De database bevat al gegevens (0 programma's, 1 gebruiker)");
		expect(run.stderr).toContain('--force');
		expect(await everyRow(target)).toEqual(before);

		const forced = restoreCli(target.url, file, '--force');
		expect(forced.status, forced.stdout + forced.stderr).toBe(0);
		expect(await everyRow(target)).toEqual(await everyRow(source));
	});

	it('should restore into an empty database without --force', async () => {
		const source = await fresh();
		await loadBothPlans(source);
		await backupDatabase(source.url, file);
		const target = await emptyDb(dialect); // never migrated
		dbs.push(target);
		await restoreDatabase(target.url, file);
		expect(await everyRow(target)).toEqual(await everyRow(source));
	});

	it('should refuse a file that is not a backup of this kind of database, and change nothing', async () => {
		const target = await fresh();
		await addUser(target, 'blijft@herstel.test');
		const before = await everyRow(target);
		writeFileSync(file, 'id;naam\n1;geen back-up\n');
		const run = restoreCli(target.url, file, '--force');
		expect(run.status).toBe(1);
		expect(run.stderr).toContain(`${file} is geen ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}-back-up`);
		expect(await everyRow(target)).toEqual(before);
	});

	it('should migrate a backup of an older version, replacing the tables of newer migrations', async () => {
		const old = await emptyDb(dialect);
		dbs.push(old);
		const migrator = new Migrator({ db: old.db, provider: { getMigrations: async () => migrations } });
		expect((await migrator.migrateTo('20261123_0001_create_model')).error).toBeUndefined();
		await backupDatabase(old.url, file);

		const target = await fresh();
		await loadBothPlans(target);
		await sql`INSERT INTO login_attempts (key, at) VALUES ('account:x', '2026-11-30T10:00:00.000Z')`.execute(target.db);
		await restoreDatabase(target.url, file, { force: true });

		const rows = await everyRow(target);
		expect(rows.programmes).toEqual([]);
		expect(rows.login_attempts).toEqual([]); // the newer table came back through its migration, empty
		const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(target.db);
		expect(applied.rows.map((r) => r.name).sort()).toEqual(Object.keys(migrations).sort());
	});
});
