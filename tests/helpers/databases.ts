import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createDb, type CreateDbOptions, type Db, type DialectName } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { inCi, missing, TMP } from './environment.ts';

export { TMP };
const pgUrl = process.env.TEST_DATABASE_URL;

/** The dialects the integration suite runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DIALECTS: DialectName[] = pgUrl
	? ['sqlite', 'postgres']
	: (missing('PostgreSQL', 'set TEST_DATABASE_URL=postgres://… to run the integration suite against it'), ['sqlite']);
if (inCi && !pgUrl) throw new Error('CI needs TEST_DATABASE_URL');

let counter = 0;
const unique = () => `t${process.pid}_${Date.now()}_${counter++}`;

export interface TestDb extends Db {
	url: string;
	drop(): Promise<void>;
}

/** A new, empty database of the dialect: a temporary SQLite file, or a fresh PostgreSQL database. */
export async function emptyDb(dialect: DialectName, options: CreateDbOptions = {}): Promise<TestDb> {
	if (dialect === 'sqlite') {
		mkdirSync(TMP, { recursive: true });
		const url = join(TMP, `${unique()}.db`);
		const db = createDb(url, options);
		return {
			...db,
			url,
			drop: async () => {
				await db.close();
				for (const suffix of ['', '-wal', '-shm']) rmSync(url + suffix, { force: true });
			}
		};
	}
	const name = unique().toLowerCase();
	const admin = new pg.Client({ connectionString: pgUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(pgUrl!);
	url.pathname = `/${name}`;
	const db = createDb(url.toString(), options);
	return {
		...db,
		url: url.toString(),
		drop: async () => {
			await db.close();
			await dropDatabase(name);
		}
	};
}

/**
 * Drops a test database, ending connections a test server left open (FORCE). An autovacuum worker on it
 * runs as a superuser, which FORCE may not end (42501), while a plain DROP ends it but not a test server's
 * connection (55006): so on either, wait a moment and try the other way.
 */
async function dropDatabase(name: string) {
	const c = new pg.Client({ connectionString: pgUrl });
	await c.connect();
	try {
		for (let attempt = 0; ; attempt++) {
			try {
				await c.query(`DROP DATABASE IF EXISTS ${name}${attempt % 2 === 0 ? ' WITH (FORCE)' : ''}`);
				return;
			} catch (e) {
				const code = (e as { code?: string }).code;
				if (attempt >= 10 || (code !== '42501' && code !== '55006')) throw e;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	} finally {
		await c.end();
	}
}

export async function migratedDb(dialect: DialectName, options: CreateDbOptions = {}): Promise<TestDb> {
	const db = await emptyDb(dialect, options);
	await migrateToLatest(db);
	return db;
}
