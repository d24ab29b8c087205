import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bootstrap } from '../../src/lib/server/bootstrap.ts';
import { readEnv } from '../../src/lib/server/env.ts';
import type { DialectName } from '../../src/lib/server/db/create-db.ts';
import { DEMO_ROLES } from '../../src/lib/server/services/user.service.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Several built servers started at the same moment on one empty database (the issue: both printed
 * passwords for the same accounts, only one of each pair worked, the plans were loaded twice). The first
 * start runs once under a lock: one set of accounts, every printed password signs in, plans loaded once.
 */
const PLANS = 2;
const ACCOUNTS = 1 + PLANS * DEMO_ROLES.length;
const PASSWORD_LINE = /(?:E-mail: (\S+) {2}wachtwoord: (\S+)|Demo-account (\S+) \(.*?\) wachtwoord: (\S+))/g;

/** Every e-mail and password printed in the servers' output, in order. */
function printedPasswords(outputs: string[]): { email: string; password: string }[] {
	return outputs.flatMap((out) =>
		[...out.matchAll(PASSWORD_LINE)].map((m) => ({ email: m[1] ?? m[3], password: m[2] ?? m[4] }))
	);
}

const signIn = (server: RunningServer, email: string, password: string) =>
	fetch(`${server.url}/api/v1/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.url },
		body: JSON.stringify({ email, password })
	});

const trials: Record<DialectName, { trials: number; servers: number }> = {
	postgres: { trials: 5, servers: 3 },
	sqlite: { trials: 3, servers: 2 }
};

describe.each(DIALECTS)('first start of several servers together on an empty %s database', (dialect) => {
	const { trials: n, servers } = trials[dialect];

	it.each(Array.from({ length: n }, (_, i) => i + 1))(
		`should seed once with ${servers} servers (trial %i): one set of accounts, every printed password signs in, plans loaded once`,
		async () => {
			const db: TestDb = await emptyDb(dialect);
			const started = await Promise.allSettled(
				Array.from({ length: servers }, () => startServer({ DATABASE_URL: db.url }))
			);
			const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
			try {
				for (const s of started) if (s.status === 'rejected') throw s.reason;
				await checkOneFirstStart(db, running);
			} finally {
				await Promise.all(running.map((s) => s.stop()));
				await db.drop();
			}
		},
		180_000
	);
});

async function checkOneFirstStart(db: TestDb, running: RunningServer[]) {
	const printed = printedPasswords(running.map((s) => s.output()));
	// one password per account, all servers together: no account printed twice
	expect(printed).toHaveLength(ACCOUNTS);
	expect(new Set(printed.map((p) => p.email)).size).toBe(ACCOUNTS);
	expect(printed.map((p) => p.email)).toContain('admin@kompas.local');
	// every printed password signs in, through any of the servers
	for (const [i, p] of printed.entries()) {
		const res = await signIn(running[i % running.length], p.email, p.password);
		expect(res.status, `${p.email} with its printed password`).toBe(200);
	}

	const users = await db.db.selectFrom('users').select('email').execute();
	expect(users.map((u) => u.email).sort()).toEqual(printed.map((p) => p.email).sort());
	const programmes = await db.db.selectFrom('programmes').select('slug').execute();
	expect(programmes).toHaveLength(PLANS);
	const loads = await db.db
		.selectFrom('audit_log')
		.select('id')
		.where('entity', '=', 'plan')
		.where('action', '=', 'load')
		.execute();
	expect(loads).toHaveLength(PLANS);
	const years = await db.db
		.selectFrom('school_years')
		.select((eb) => ['programme_id', 'name', eb.fn.countAll<number>().as('n')])
		.groupBy(['programme_id', 'name'])
		.execute();
	expect(years.length).toBeGreaterThan(0);
	expect(years.every((y) => Number(y.n) === 1)).toBe(true);
}

describe.each(DIALECTS)('a first start that fails half-way on %s', (dialect) => {
	it('should leave nothing behind, and seed whole on the next start', async () => {
		const db = await migratedDb(dialect);
		try {
			// the last step of the seeding (creating the accounts) fails, after the plans and demo data were written
			if (dialect === 'postgres') {
				await sql`create function refuse_insert() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`.execute(
					db.db
				);
				await sql`create trigger refuse before insert on users for each row execute function refuse_insert()`.execute(
					db.db
				);
			} else
				await sql`create trigger refuse before insert on users begin select raise(abort, 'boom'); end`.execute(db.db);
			const lines: string[] = [];
			const env = readEnv({ DATABASE_URL: db.url });
			await expect(bootstrap(env, { log: (l) => lines.push(l) })).rejects.toThrow('boom');
			expect(lines.filter((l) => /wachtwoord|geladen|demo-metingen/.test(l))).toEqual([]);
			for (const table of ['programmes', 'measurements', 'actions', 'users', 'audit_log', 'school_years'] as const)
				expect(await db.db.selectFrom(table).select('id').execute(), table).toEqual([]);

			await sql`drop trigger refuse${sql.raw(dialect === 'postgres' ? ' on users' : '')}`.execute(db.db);
			const started = await bootstrap(env, { log: (l) => lines.push(l) });
			await started.close();
			expect(await db.db.selectFrom('programmes').select('id').execute()).toHaveLength(PLANS);
			expect(printedPasswords([lines.join('\n')])).toHaveLength(ACCOUNTS);
		} finally {
			await db.drop();
		}
	});
});

describe('migrations of a new SQLite file by two processes at the same moment', () => {
	// Kysely's Migrator takes no lock and no transaction on SQLite: without the write lock around the run,
	// the second process failed with 'table "programmes" already exists' (seen in 3 of 3 trials)
	it('should apply each migration once, whichever process gets there first', async () => {
		const trials = await Promise.all(Array.from({ length: 3 }, () => emptyDb('sqlite')));
		const children = trials.flatMap((db) =>
			[1, 2].map(() => spawn('npx', ['tsx', 'tests/helpers/migrate-at.ts', db.url], { stdio: 'pipe', detached: true }))
		);
		try {
			for (const db of trials) await db.close();
			const outputs = children.map((child) => {
				let out = '';
				child.stdout.on('data', (d) => (out += d));
				return { text: () => out, done: new Promise((resolve) => child.once('exit', resolve)) };
			});
			// every process is ready (tsx started, database open) before any migrates
			const deadline = Date.now() + 90_000;
			while (!outputs.every((o) => o.text().includes('ready')) && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 50));
			for (const child of children) child.stdin.write('go\n');
			await Promise.all(outputs.map((o) => o.done));
			expect(outputs.map((o) => o.text().trim())).toEqual(Array(6).fill('ready\nok'));
		} finally {
			for (const child of children) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL'); // npx and the tsx it started
			await Promise.all(trials.map((db) => db.drop()));
		}
	}, 120_000);
});
