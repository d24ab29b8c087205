import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgPoolConfig } from '../../src/lib/server/db/create-db.ts';
import { readEnv } from '../../src/lib/server/env.ts';

const URL_ = 'postgres://kompas:secret@db.example.nl:5432/kompas';

describe(pgPoolConfig.name, () => {
	it('should default to 10 connections and a 30 s statement timeout', () => {
		expect(pgPoolConfig(URL_)).toEqual({ connectionString: URL_, max: 10, statement_timeout: 30_000 });
	});

	it('should pass PG_POOL_MAX and PG_STATEMENT_TIMEOUT_MS from the environment to the pool and its connections', () => {
		const env = readEnv({ PG_POOL_MAX: '25', PG_STATEMENT_TIMEOUT_MS: '1500' });
		const config = pgPoolConfig(URL_, { max: env.PG_POOL_MAX, statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS });
		const pool = new pg.Pool(config);
		expect(pool.options).toMatchObject({ max: 25, statement_timeout: 1500 });
		// what each connection of the pool is made with (its startup message carries statement_timeout)
		const client = new pg.Client(config) as pg.Client & { connectionParameters: { statement_timeout: number } };
		expect(client.connectionParameters.statement_timeout).toBe(1500);
		void pool.end();
	});

	it('should leave the statement timeout off for 0', () => {
		expect(pgPoolConfig(URL_, { statementTimeoutMs: 0 })).not.toHaveProperty('statement_timeout');
	});

	it('should take TLS from the URL: verify-full checks the certificate, no-verify only encrypts, disable is plain', () => {
		const ssl = (query: string) =>
			(new pg.Client(pgPoolConfig(`${URL_}?${query}`)) as pg.Client & { ssl: unknown }).ssl;
		expect(ssl('sslmode=verify-full')).toEqual({});
		expect(ssl('sslmode=no-verify')).toEqual({ rejectUnauthorized: false });
		expect(ssl('sslmode=disable')).toBe(false);
		expect(ssl('')).toBe(false);
	});
});

describe(readEnv.name, () => {
	it('should refuse a pool size or statement timeout out of range, and a short METRICS_TOKEN', () => {
		expect(() => readEnv({ PG_POOL_MAX: '0' })).toThrow(/PG_POOL_MAX/);
		expect(() => readEnv({ PG_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/PG_STATEMENT_TIMEOUT_MS/);
		expect(() => readEnv({ METRICS_TOKEN: 'kort' })).toThrow(/METRICS_TOKEN/);
		expect(() => readEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
		expect(readEnv({ METRICS_TOKEN: ' ' }).METRICS_TOKEN).toBeUndefined();
	});
});
