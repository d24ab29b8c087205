import SQLite from 'better-sqlite3';
import {
	CompiledQuery,
	Kysely,
	PostgresAdapter,
	PostgresDialect,
	SqliteDialect,
	type DatabaseConnection,
	type Driver,
	type LogEvent,
	type QueryResult
} from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type { Database } from './schema.ts';
import { thrownCode } from '../thrown.ts';
import { sqliteFileOf } from '../paths.ts';
import { log as logger } from '../log.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
	db: Kysely<Database>;
	dialect: DialectName;
	close(): Promise<void>;
	/** PostgreSQL: the pool's connections right now (metrics); absent on SQLite */
	poolStats?: () => PoolStats;
}

export interface PoolStats {
	total: number;
	idle: number;
	waiting: number;
}

export interface PgPoolOptions {
	/** connections at most (PG_POOL_MAX) */
	max: number;
	/** PostgreSQL ends a statement running longer, per connection (PG_STATEMENT_TIMEOUT_MS); 0: no limit */
	statementTimeoutMs: number;
}

export const PG_POOL_DEFAULTS: PgPoolOptions = { max: 10, statementTimeoutMs: 30_000 };

export interface CreateDbOptions {
	/** called after every executed query; used by tests and benchmarks to count queries */
	onQuery?: (event: LogEvent) => void;
	/** PostgreSQL only; TLS comes from the URL (`?sslmode=…`, parsed by pg) */
	pool?: Partial<PgPoolOptions>;
}

/** The pg Pool configuration of a URL: the one place pool size, statement timeout and TLS (from the URL) meet. */
export function pgPoolConfig(url: string, options: Partial<PgPoolOptions> = {}): pg.PoolConfig {
	const { max, statementTimeoutMs } = { ...PG_POOL_DEFAULTS, ...options };
	// pg reads sslmode, sslrootcert, sslcert and sslkey from the connection string itself
	return { connectionString: url, max, ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}) };
}

export function dialectOf(url: string): DialectName {
	return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/** A file path, `file:` URL or `:memory:` → the SQLite file name. */
export function sqlitePath(url: string): string {
	if (url === ':memory:') return url;
	return resolve(sqliteFileOf(url) ?? url);
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

/** Whether a database or an open transaction speaks PostgreSQL (for the repositories' few dialect-specific queries). */
export const onPostgres = (db: Kysely<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** The one place that chooses SQLite or PostgreSQL. */
export function createDb(url: string, options: CreateDbOptions = {}): Db {
	const log = options.onQuery;
	const dialect = dialectOf(url);
	if (dialect === 'postgres') {
		const pool = new pg.Pool(pgPoolConfig(url, options.pool));
		// An idle connection that the server drops (restart, failover) must not crash the process;
		// the pool replaces it, and the next query reports any lasting problem.
		pool.on('error', (e) => logger().warn({ err: e }, 'PostgreSQL: idle connection lost'));
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
		dialects.set(db, dialect);
		const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
		return { db, dialect, close: () => db.destroy(), poolStats };
	}
	const path = sqlitePath(url);
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new SQLite(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('synchronous = NORMAL');
	const gate: WriteGate = { closed: null };
	const db = new Kysely<Database>({ dialect: gatedSqlite(new SqliteDialect({ database: sqlite }), gate), log });
	dialects.set(db, dialect);
	if (path !== ':memory:') writers.set(db, (work) => writeAlone(path, gate, work));
	return { db, dialect, close: () => db.destroy() };
}

/**
 * A long bulk write (an import) on SQLite runs on a connection of its own, so the server's one connection
 * keeps answering reads meanwhile (WAL: they see the last commit). While it writes, the gate holds back
 * the server connection's writes and transactions — asynchronously, for SQLite's own wait on a lock
 * (busy_timeout) would stop the whole process, and with it the import that holds the lock.
 */
type WriteGate = { closed: Promise<void> | null };
export type ExclusiveWriter = <T>(work: (db: Kysely<Database>) => Promise<T>) => Promise<T>;
const writers = new WeakMap<Kysely<Database>, ExclusiveWriter>();

/** The separate writer of a SQLite database (null for PostgreSQL, whose pool already gives a transaction its own connection). */
export const exclusiveWriter = (db: Kysely<Database>): ExclusiveWriter | null => writers.get(db) ?? null;

async function writeAlone<T>(path: string, gate: WriteGate, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
	while (gate.closed) await gate.closed; // one bulk writer at a time
	let open!: () => void;
	gate.closed = new Promise((resolve) => (open = resolve));
	const own = new SQLite(path);
	own.pragma('foreign_keys = ON');
	own.pragma('busy_timeout = 0');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: own }) });
	try {
		// a transaction the server connection began before the gate closed ends first; wait for it without blocking
		for (;;) {
			try {
				own.exec('BEGIN IMMEDIATE');
				break;
			} catch (e) {
				if (thrownCode(e) !== 'SQLITE_BUSY') throw e;
				await sleep(5);
			}
		}
		try {
			const result = await work(db);
			own.exec('COMMIT');
			return result;
		} catch (e) {
			if (own.inTransaction) own.exec('ROLLBACK');
			throw e;
		}
	} finally {
		await db.destroy();
		gate.closed = null;
		open();
	}
}

/** The server connection's writes and transactions wait while the gate is closed; its transactions take the write lock at once. */
function gatedSqlite(dialect: SqliteDialect, gate: WriteGate): SqliteDialect {
	const createDriver = dialect.createDriver.bind(dialect);
	dialect.createDriver = (): Driver => {
		const driver = createDriver();
		let inTransaction = false;
		const wrap = (connection: DatabaseConnection): DatabaseConnection => ({
			async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
				const statement = query.sql.trimStart().slice(0, 8).toLowerCase();
				if (statement.startsWith('begin')) {
					while (gate.closed) await gate.closed;
					inTransaction = true;
					// a deferred transaction could find the lock taken at its first write, inside SQLite's blocking wait
					return connection.executeQuery(CompiledQuery.raw('begin immediate'));
				}
				if (statement.startsWith('commit') || statement.startsWith('rollback')) inTransaction = false;
				else if (!inTransaction && !statement.startsWith('select')) while (gate.closed) await gate.closed;
				return connection.executeQuery(query);
			},
			streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize)
		});
		return {
			init: () => driver.init(),
			acquireConnection: async () => wrap(await driver.acquireConnection()),
			beginTransaction: (c, settings) => driver.beginTransaction(c, settings),
			commitTransaction: (c) => driver.commitTransaction(c),
			rollbackTransaction: (c) => driver.rollbackTransaction(c),
			savepoint: driver.savepoint?.bind(driver),
			rollbackToSavepoint: driver.rollbackToSavepoint?.bind(driver),
			releaseSavepoint: driver.releaseSavepoint?.bind(driver),
			releaseConnection: (c) => driver.releaseConnection(c),
			destroy: () => driver.destroy()
		};
	};
	return dialect;
}
