import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DIALECTS, emptyDb } from '../helpers/databases.ts';
import { freePort, startServer } from '../helpers/server.ts';

/**
 * A database that is not there yet at start (PostgreSQL still starting, a container, a reboot): the server
 * waits with backoff, saying what it waits for (never the password), and starts once it is there; after
 * DB_WAIT_SECONDS it stops with a clear message instead of "Migration unknown failed".
 */
describe('an unreachable database at start', () => {
	it('should wait DB_WAIT_SECONDS, naming host, port, database and error but no password, then exit non-zero', async () => {
		const port = await freePort(); // nothing listens there
		const url = `postgres://kompas:geheim-wachtwoord@127.0.0.1:${port}/nergens`;
		const start = startServer({ DATABASE_URL: url, DB_WAIT_SECONDS: '2' });
		const failure = await start.then(
			(s) => s.stop().then(() => null),
			(e: Error) => e.message
		);
		expect(failure).not.toBeNull();
		expect(failure).toContain(`Wacht op database 127.0.0.1:${port}/nergens (ECONNREFUSED`);
		expect(failure).toContain(`Database 127.0.0.1:${port}/nergens niet bereikbaar na 2 s (ECONNREFUSED`);
		expect(failure).not.toContain('geheim-wachtwoord');
		expect(failure).not.toContain('Migration unknown failed');
		expect(failure).toMatch(/\[server exited: [1-9]\d*\]/);
	});

	it('should make an operator command wait the same way and exit 1', () => {
		const r = spawnSync('npx', ['tsx', 'src/lib/server/cli/migrate.ts'], {
			env: {
				...process.env,
				DATABASE_URL: 'postgres://kompas:geheim-wachtwoord@127.0.0.1:9/nergens',
				DB_WAIT_SECONDS: '1'
			},
			encoding: 'utf8'
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('Wacht op database 127.0.0.1:9/nergens (ECONNREFUSED');
		expect(r.stderr).toContain('niet bereikbaar na 1 s');
		expect(r.stderr + r.stdout).not.toContain('geheim-wachtwoord');
	});

	it.runIf(DIALECTS.includes('postgres'))(
		'should start once a PostgreSQL database that did not exist yet is created',
		async () => {
			const db = await emptyDb('postgres');
			const name = new URL(db.url).pathname.slice(1);
			const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
			await admin.connect();
			const port = await freePort();
			let log = '';
			// started by hand (not startServer) to create the database only once the server says it waits
			const child = spawn(process.execPath, ['build/index.js'], {
				env: { ...process.env, DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: String(port), DB_WAIT_SECONDS: '60' },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child.stdout.on('data', (d) => (log += d));
			child.stderr.on('data', (d) => (log += d));
			try {
				await admin.query(`DROP DATABASE ${name}`);
				await until(
					() => log.includes(`Wacht op database 127.0.0.1:5432/${name} (3D000`),
					() => log
				);
				await admin.query(`CREATE DATABASE ${name}`);
				await until(
					() =>
						fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
							(r) => r.ok,
							() => false
						),
					() => log
				);
				expect(log).toContain('Eerste start: beheerder aangemaakt');
				expect(child.exitCode).toBeNull();
			} finally {
				if (child.exitCode === null) {
					const exited = new Promise((resolve) => child.once('exit', resolve));
					child.kill('SIGTERM');
					await exited;
				}
				await admin.end();
				await db.drop();
			}
		},
		120_000
	);
});

/** Polls `ok` every 100 ms for up to 60 s; fails with the server's output. */
async function until(ok: () => boolean | Promise<boolean>, output: () => string) {
	const deadline = Date.now() + 60_000;
	while (!(await ok())) {
		if (Date.now() > deadline) throw new Error(`timed out; server output:\n${output()}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
