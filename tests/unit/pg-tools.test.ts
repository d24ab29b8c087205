import { describe, expect, it } from 'vitest';
import {
	pgDumpInvocation,
	pgEnvironment,
	pgRestoreScriptInvocation,
	psqlInvocation
} from '../../src/lib/server/db/pg-tools.ts';

const URL_WITH_SECRET = 'postgres://kompas%40app:s3cr%C3%ABt%2Fpw@db.example.nl:6543/kompas_prod?sslmode=verify-full';

describe(pgEnvironment.name, () => {
	it('should pass host, port, user, password, database and sslmode as PG* variables, decoded, over inherited ones', () => {
		const env = pgEnvironment(URL_WITH_SECRET, { PATH: '/usr/bin', PGPASSWORD: 'inherited', PGSERVICE: 'x' });
		expect(env).toEqual({
			PATH: '/usr/bin',
			PGSERVICE: 'x',
			PGHOST: 'db.example.nl',
			PGPORT: '6543',
			PGUSER: 'kompas@app',
			PGPASSWORD: 's3crët/pw',
			PGDATABASE: 'kompas_prod',
			PGSSLMODE: 'verify-full'
		});
	});

	it('should read an IPv6 host and a socket folder given as ?host=', () => {
		expect(pgEnvironment('postgres://u@[::1]/d', {}).PGHOST).toBe('::1');
		expect(pgEnvironment('postgresql://u@/d?host=/var/run/postgresql', {})).toEqual({
			PGUSER: 'u',
			PGDATABASE: 'd',
			PGHOST: '/var/run/postgresql'
		});
	});
});

describe('PostgreSQL tool invocations', () => {
	const invocations = [
		pgDumpInvocation(URL_WITH_SECRET, '/srv/kompas/data/backups/k.dump'),
		pgRestoreScriptInvocation(URL_WITH_SECRET, '/srv/kompas/k.dump'),
		psqlInvocation(URL_WITH_SECRET)
	];

	it('should name the dump file and the database only through arguments and PGDATABASE', () => {
		expect(invocations[0].args).toContain('--file=/srv/kompas/data/backups/k.dump');
		expect(invocations[1].args.at(-1)).toBe('/srv/kompas/k.dump');
		for (const { env } of invocations) expect(env.PGDATABASE).toBe('kompas_prod');
	});

	it('should never put the password, user, host or URL on the command line that ps shows', () => {
		for (const { command, args, env } of invocations) {
			const visible = [command, ...args].join(' ');
			expect(visible).not.toMatch(/s3cr|kompas%40app|kompas@app|db\.example\.nl|postgres:\/\//);
			expect(env.PGPASSWORD).toBe('s3crët/pw');
		}
	});
});
