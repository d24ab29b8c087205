import SQLite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { plural } from '../../domain/dutch-format.ts';
import { createDb, dialectOf, sqlitePath, type DialectName } from './create-db.ts';
import { migrateToLatest } from './migrate.ts';
import { pgRestoreScriptInvocation, psqlInvocation, type PgInvocation } from './pg-tools.ts';

/** A restore that was refused before anything changed; its message is for the operator (Dutch). */
export class RestoreRefused extends Error {}

const SQLITE_MAGIC = 'SQLite format 3\0';
const PG_DUMP_MAGIC = 'PGDMP';

function head(file: string, bytes: number): string {
	const fd = openSync(file, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('latin1');
	} finally {
		closeSync(fd);
	}
}

/** Refuses a file that is not a backup `npm run db:backup` makes for this kind of database. */
function checkBackupFile(file: string, dialect: DialectName): void {
	if (!existsSync(file)) throw new RestoreRefused(`Bestand niet gevonden: ${file}.`);
	const start = head(file, 16);
	if (dialect === 'postgres') {
		if (!start.startsWith(PG_DUMP_MAGIC))
			throw new RestoreRefused(
				`${file} is geen PostgreSQL-back-up (pg_dump --format=custom, zoals npm run db:backup die maakt)${start === SQLITE_MAGIC ? ': het is een SQLite-database' : ''}.`
			);
		return;
	}
	if (start !== SQLITE_MAGIC)
		throw new RestoreRefused(
			`${file} is geen SQLite-back-up${start.startsWith(PG_DUMP_MAGIC) ? ': het is een PostgreSQL-back-up (pg_dump), en DATABASE_URL kiest SQLite' : ''}.`
		);
	const backup = new SQLite(file, { readonly: true, fileMustExist: true });
	try {
		const kompas = backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'programmes'").get();
		if (!kompas) throw new RestoreRefused(`${file} is geen back-up van Kompas Monitor (er is geen tabel programmes).`);
		const check = backup.pragma('quick_check', { simple: true });
		if (check !== 'ok') throw new RestoreRefused(`${file} is beschadigd (quick_check: ${String(check)}).`);
	} finally {
		backup.close();
	}
}

/** How many programmes and users the database holds (0 and 0 when it was never migrated). */
async function contentsOf(url: string): Promise<{ programmes: number; users: number }> {
	if (dialectOf(url) === 'sqlite' && !existsSync(sqlitePath(url))) return { programmes: 0, users: 0 };
	const target = createDb(url);
	try {
		const tables = new Set((await target.db.introspection.getTables()).map((t) => t.name));
		const count = async (table: 'programmes' | 'users') =>
			tables.has(table)
				? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(target.db)).rows[0].n)
				: 0;
		return { programmes: await count('programmes'), users: await count('users') };
	} finally {
		await target.close();
	}
}

/**
 * Replaces the database at `url` with a backup made by `npm run db:backup`, then migrates it (a backup of an
 * older version gets the newer migrations). Refused, with nothing changed, when the file is not a backup of
 * that database kind, or when the database already holds programmes or users and `force` is not set.
 * SQLite: through SQLite's backup API into the database file (never a file copy over a live WAL database).
 * PostgreSQL: pg_restore's SQL run by psql in one transaction that first drops every table of the schema, so a
 * failure leaves the database as it was and tables of newer migrations do not linger.
 */
export async function restoreDatabase(url: string, file: string, { force = false } = {}): Promise<void> {
	const dialect = dialectOf(url);
	checkBackupFile(file, dialect);
	const held = await contentsOf(url);
	if (!force && held.programmes + held.users > 0)
		throw new RestoreRefused(
			`De database bevat al gegevens (${plural(held.programmes, 'programma', "programma's")}, ${plural(held.users, 'gebruiker', 'gebruikers')}); terugzetten overschrijft die. Er is niets gewijzigd. Weet u het zeker, voeg dan --force toe.`
		);
	if (dialect === 'sqlite') {
		const target = sqlitePath(url);
		if (existsSync(target) && realpathSync(target) === realpathSync(file))
			throw new RestoreRefused(`${file} is de database zelf.`);
		mkdirSync(dirname(target), { recursive: true });
		const backup = new SQLite(file, { readonly: true, fileMustExist: true });
		try {
			await backup.backup(target);
		} finally {
			backup.close();
		}
	} else await restorePostgres(url, file);
	const restored = createDb(url);
	try {
		await migrateToLatest(restored);
	} finally {
		await restored.close();
	}
}

/**
 * Drops every table of the current schema (their indexes, sequences and triggers go with them) and its
 * functions (the programme-version triggers'), but none an extension brought, since the dump recreates them.
 */
const DROP_TABLES = `DO $$ DECLARE t record; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);
  END LOOP;
  FOR t IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
    WHERE s.nspname = current_schema()
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', t.fn);
  END LOOP;
END $$;
`;

function restorePostgres(url: string, file: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const failures: string[] = [];
		const start = (inv: PgInvocation, stdio: ('pipe' | 'ignore')[]) => {
			const child = spawn(inv.command, inv.args, { env: inv.env, stdio: stdio as ['pipe', 'pipe', 'pipe'] });
			let stderr = '';
			child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
			child.on('error', (e) =>
				failures.push(`${inv.command} is niet gevonden: installeer de PostgreSQL-clienttools (${e.message})`)
			);
			const done = new Promise<number | null>((r) => child.on('close', r)).then((code) => {
				if (code !== 0 && code !== null) failures.push(`${inv.command} mislukte: ${stderr.trim() || `exit ${code}`}`);
				return code;
			});
			return { child, done };
		};
		const psql = start(psqlInvocation(url), ['pipe', 'ignore', 'pipe']);
		psql.child.stdin!.on('error', () => {}); // psql's exit status says what went wrong
		psql.child.stdin!.write(DROP_TABLES);
		const script = start(pgRestoreScriptInvocation(url, file), ['ignore', 'pipe', 'pipe']);
		script.child.stdout!.pipe(psql.child.stdin!, { end: false });
		void script.done.then((code) => {
			// psql commits when its input ends: end it only after a complete script, else stop it (its transaction rolls back)
			if (code === 0) psql.child.stdin!.end();
			else psql.child.kill('SIGTERM');
		});
		void psql.done.then(async () => {
			if (script.child.exitCode === null) script.child.kill('SIGTERM'); // psql gave up: nobody reads the script any more
			await script.done;
			if (failures.length) reject(new Error(failures.join('\n')));
			else resolve();
		});
	});
}
