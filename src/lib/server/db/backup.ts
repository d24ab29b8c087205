import SQLite from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dialectOf, sqlitePath } from './create-db.ts';
import { pgDumpInvocation, runPgTool } from './pg-tools.ts';

/**
 * A consistent copy of the database while the server keeps running: SQLite's online backup API,
 * or pg_dump (custom format) for PostgreSQL, which gets the connection through PG* variables (no password in `ps`).
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
	await runPgTool(pgDumpInvocation(url, out));
}
