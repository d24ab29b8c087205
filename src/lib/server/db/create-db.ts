import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
	db: Kysely<Database>;
	dialect: DialectName;
	close(): Promise<void>;
}

export interface CreateDbOptions {
	/** called after every executed query; used by tests and benchmarks to count queries */
	onQuery?: (event: LogEvent) => void;
}

export function dialectOf(url: string): DialectName {
	return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** A file path, `file:` URL or `:memory:` → the SQLite file name. */
export function sqlitePath(url: string): string {
	if (url === ':memory:') return url;
	return resolve(url.startsWith('file:') ? url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : url);
}

// PostgreSQL returns int8 (count, sum) as strings; our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

const dialects = new WeakMap<Kysely<Database>, DialectName>();

/** The dialect of a database made by createDb (for the few dialect-specific helpers in this folder). */
export function dialectOfDb(db: Kysely<Database>): DialectName {
	const dialect = dialects.get(db);
	if (!dialect) throw new Error('dialectOfDb: not a database made by createDb');
	return dialect;
}

/** The one place that chooses SQLite or PostgreSQL. */
export function createDb(url: string, options: CreateDbOptions = {}): Db {
	const log = options.onQuery;
	const dialect = dialectOf(url);
	if (dialect === 'postgres') {
		const pool = new pg.Pool({ connectionString: url, max: 10 });
		// An idle connection that the server drops (restart, failover) must not crash the process;
		// the pool replaces it, and the next query reports any lasting problem.
		pool.on('error', (e) => console.error(`PostgreSQL: idle connection lost: ${e.message}`));
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
		dialects.set(db, dialect);
		return { db, dialect, close: () => db.destroy() };
	}
	const path = sqlitePath(url);
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
	dialects.set(db, dialect);
	return { db, dialect, close: () => db.destroy() };
}
