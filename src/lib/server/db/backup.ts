import SQLite from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dialectOf, sqlitePath } from './create-db.ts';

/**
 * A consistent copy of the database while the server keeps running: SQLite's online backup API,
 * or pg_dump (custom format) for PostgreSQL.
 */
export async function backupDatabase(url: string, out: string): Promise<void> {
	mkdirSync(dirname(out), { recursive: true });
	if (dialectOf(url) === 'sqlite') {
		if (!existsSync(sqlitePath(url))) throw new Error(`Database ${sqlitePath(url)} bestaat niet.`);
		const source = new SQLite(sqlitePath(url), { readonly: true, fileMustExist: true });
		try {
			await source.backup(out);
		} finally {
			source.close();
		}
		return;
	}
	const result = spawnSync('pg_dump', ['--format=custom', `--file=${out}`, url], {
		stdio: ['ignore', 'inherit', 'pipe'],
		encoding: 'utf8'
	});
	if (result.error)
		throw new Error(`pg_dump is niet gevonden: installeer de PostgreSQL-clienttools (${result.error.message})`);
	if (result.status !== 0) throw new Error(`pg_dump mislukte: ${result.stderr.trim()}`);
}
